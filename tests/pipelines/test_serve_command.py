"""`dothixanh serve`: it execs Streamlit with the dashboard's settings, after catching the warehouse up."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from services import cli

CONFIG = Path(__file__).resolve().parents[2] / "dashboard" / ".streamlit" / "config.toml"


@pytest.fixture
def execv(monkeypatch):
    """Capture os.execv instead of replacing the test process."""
    calls = []

    def fake(path, argv):
        calls.append((path, list(argv)))
        raise SystemExit(0)

    monkeypatch.setattr(os, "execv", fake)
    return calls


def test_serve_execs_streamlit_with_host_port_and_upload_cap(execv, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DOTHIXANH_MAX_UPLOAD_MB", "20")
    with pytest.raises(SystemExit):
        cli.main(["--home", str(tmp_path), "serve", "--host", "0.0.0.0", "--port", "8602"])
    ((path, argv),) = execv
    assert argv[0] == path
    assert argv[1:4] == ["-m", "streamlit", "run"]
    assert argv[4].endswith("dashboard/server.py")
    options = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert options["--server.address"] == "0.0.0.0"
    assert options["--server.port"] == "8602"
    assert options["--server.maxUploadSize"] == "20"
    assert "http://0.0.0.0:8602" in capsys.readouterr().out


def test_serve_catches_the_warehouse_up_first(execv, warehouse, monkeypatch):
    calls = []
    monkeypatch.setattr(type(warehouse), "catch_up", lambda self: calls.append(self.home), raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--home", str(warehouse.home), "serve"])
    assert calls == [warehouse.home]
    assert len(execv) == 1


def test_serve_still_starts_when_catching_up_fails(execv, warehouse, monkeypatch, capsys):
    def broken(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(warehouse), "catch_up", broken, raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--home", str(warehouse.home), "serve"])
    assert len(execv) == 1
    assert "Lưu ý" in capsys.readouterr().err


def test_dashboard_config_hides_developer_tools_and_matches_upload_cap():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["headless"] is True
    assert config["server"]["maxUploadSize"] == 50  # DOTHIXANH_MAX_UPLOAD_MB's default
    assert config["browser"]["gatherUsageStats"] is False
