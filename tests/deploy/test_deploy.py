"""deploy/: the systemd units and the Caddy configuration are valid and agree with the app."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ["dothixanh.service", "dothixanh@.service", "dothixanh-backup.service", "dothixanh-backup.timer"]
VENV_DOTHIXANH = "/opt/dothixanh/.venv/bin/dothixanh"


def _upload_cap_mb() -> int:
    config = tomllib.loads((ROOT / "dashboard" / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return config["server"]["maxUploadSize"]


def test_service_runs_serve_on_localhost_with_hardening():
    unit = (DEPLOY / "dothixanh.service").read_text(encoding="utf-8")
    assert f"ExecStart={VENV_DOTHIXANH} serve --host 127.0.0.1 --port 8501" in unit
    for line in (
        "User=dothixanh",
        "Environment=DOTHIXANH_HOME=/var/lib/dothixanh",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/dothixanh",
        "PrivateTmp=yes",
    ):
        assert line in unit.splitlines(), line
    assert re.search(r"^TimeoutStopSec=\d+$", unit, re.M) and re.search(r"^MemoryMax=\S+$", unit, re.M)
    assert f"Environment=DOTHIXANH_MAX_UPLOAD_MB={_upload_cap_mb()}" in unit


def test_caddy_accepts_the_upload_cap_and_keeps_sessions_sticky():
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    size = int(re.search(r"max_size (\d+)MB", caddyfile).group(1))
    assert size >= _upload_cap_mb()
    assert "lb_policy cookie" in caddyfile
    assert "reverse_proxy 127.0.0.1:8501" in caddyfile


def test_backup_timer_runs_nightly_and_prunes():
    timer = (DEPLOY / "dothixanh-backup.timer").read_text(encoding="utf-8")
    service = (DEPLOY / "dothixanh-backup.service").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-* 01:30:00" in timer and "Persistent=true" in timer
    assert f"{VENV_DOTHIXANH} backup --output" in service
    assert "-mtime +${KEEP_DAYS} -delete" in service


@pytest.mark.skipif(shutil.which("caddy") is None, reason="caddy is not installed (apt-get install caddy)")
def test_caddyfile_is_valid_for_caddy():
    result = subprocess.run(
        ["caddy", "validate", "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    # The venv of a real install is /opt/dothixanh/.venv; here, this test's own interpreter's.
    here = Path(sys.executable).parent / "dothixanh"
    if not here.exists():
        pytest.skip(f"{here} is missing (pip install -e .)")
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(VENV_DOTHIXANH, str(here))
        (tmp_path / name.replace("@.", "@8502.")).write_text(text, encoding="utf-8")
        if "@" in name:  # an instance needs its template beside it
            (tmp_path / name).write_text(text, encoding="utf-8")
    names = [str(tmp_path / n.replace("@.", "@8502.")) for n in UNITS]
    result = subprocess.run(
        ["systemd-analyze", "verify", *names], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
