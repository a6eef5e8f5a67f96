"""A full disk: a load is refused before it commits, never told it failed after, and logs never fail work.

The disk is made full two ways: the DOTHIXANH_FAULT hook (warehouse/faults.py: the free-space
probe reports a full disk, or one write raises ENOSPC half-way), and, where this machine lets
us mount one, a small tmpfs really filled up.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.ingest import ingest
from services.cli import main
from warehouse.store import Warehouse

HEADER = "Số hồ sơ,Mã đơn vị,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"


def violations_csv(rows: int, prefix: str, note: str = "") -> bytes:
    lines = [
        f"{prefix}{i:05d},CAP,{1 + i % 28:02d}/06/2026,TDP0{1 + i % 2},other,reminder,,{note}\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


def write_file(folder: Path, prefix: str) -> Path:
    """A unit's file of 100 new violations (ids starting with `prefix`), as b.csv in `folder`."""
    sent = folder / "b.csv"
    sent.write_bytes(violations_csv(100, prefix))
    return sent


def ingest_with_fault(capsys, home: Path, monkeypatch, path: Path, fault: str) -> tuple[int, dict]:
    """`dothixanh ingest` of `path` with the disk fault `fault` set (DOTHIXANH_FAULT)."""
    monkeypatch.setenv("DOTHIXANH_FAULT", fault)
    return cli_ingest(capsys, home, path)


def cli_ingest(capsys, home: Path, path: Path) -> tuple[int, dict]:
    code = main(["ingest", str(path), "--feed", "violations", "--unit", "CAP", "--json"])
    return code, json.loads(capsys.readouterr().out)


def state(warehouse: Warehouse) -> tuple:
    """What a user could count: uploads, records, and the published snapshot's uploads."""
    con = __import__("duckdb").connect(str(warehouse.master_path), read_only=True)
    try:
        master = con.sql("SELECT (SELECT count(*) FROM raw.uploads), (SELECT count(*) FROM core.violations)")
        master = master.fetchall()[0]
    finally:
        con.close()
    with warehouse.reading() as snap:
        published = snap.sql("SELECT count(*) FROM raw.uploads").fetchall()[0][0]
    return (*master, published)


def leftovers(warehouse: Warehouse) -> list[Path]:
    return [
        *warehouse.snapshots_dir.glob("*.tmp"),
        *warehouse.home.glob(".snapshot-*.link"),
        *warehouse.files_dir.rglob("*.tmp"),
    ]


@pytest.fixture
def home(warehouse, monkeypatch) -> Path:
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    monkeypatch.delenv("DOTHIXANH_FAULT", raising=False)
    return warehouse.home


def test_no_room_for_the_load_and_a_snapshot_is_refused_in_vietnamese_and_nothing_is_written(
    home, warehouse, tmp_path, capsys, monkeypatch
):
    before = state(warehouse)
    sent = write_file(tmp_path, "B")
    code, report = ingest_with_fault(capsys, home, monkeypatch, sent, "disk-full")
    assert code == 1
    assert report["status"] == "refused"
    assert "Ổ đĩa của máy chủ không còn đủ chỗ" in report["reason"]
    assert "gửi lại" in report["reason"]
    assert state(warehouse) == before
    assert leftovers(warehouse) == []
    # Once there is room again the same file loads.
    monkeypatch.delenv("DOTHIXANH_FAULT")
    code, report = cli_ingest(capsys, home, sent)
    assert (code, report["status"], report["rows_new"]) == (0, "loaded", 100)


def test_original_file_that_cannot_be_kept_leaves_no_partial_file(
    home, warehouse, tmp_path, capsys, monkeypatch
):
    before = state(warehouse)
    sent = write_file(tmp_path, "S")
    code, report = ingest_with_fault(capsys, home, monkeypatch, sent, "disk-full-store")
    assert (code, report["status"]) == (1, "refused")
    assert "Ổ đĩa" in report["reason"]
    assert state(warehouse) == before
    assert leftovers(warehouse) == []


def test_publish_failing_after_the_commit_says_the_file_is_in_and_the_dashboard_catches_up(
    home, warehouse, tmp_path, capsys, monkeypatch
):
    uploads, records, published = state(warehouse)
    sent = write_file(tmp_path, "P")
    code, report = ingest_with_fault(capsys, home, monkeypatch, sent, "disk-full-publish")
    assert (code, report["status"], report["rows_new"]) == (0, "loaded", 100)
    assert "đã được nạp vào kho" in report["warning"]
    assert "ổ đĩa của máy chủ đã đầy" in report["warning"]
    assert "Không cần gửi lại" in report["warning"]
    assert state(warehouse) == (uploads + 1, records + 100, published)  # in, not yet shown
    assert warehouse.published_seq() != warehouse.master_seq()
    assert leftovers(warehouse) == []
    # The clerk re-sends anyway: told it is already in; and with room again the dashboard catches up.
    monkeypatch.delenv("DOTHIXANH_FAULT")
    code, report = cli_ingest(capsys, home, sent)
    assert (code, report["status"]) == (0, "duplicate")
    assert state(warehouse) == (uploads + 1, records + 100, uploads + 1)
    assert warehouse.published_seq() == warehouse.master_seq()


def test_serve_catch_up_publishes_what_a_full_disk_held_back(home, warehouse, monkeypatch):
    monkeypatch.setenv("DOTHIXANH_FAULT", "disk-full-publish")
    result = ingest(warehouse, violations_csv(10, "Q"), feed="violations", unit_code="CAP", file_name="q.csv")
    assert result.status == "loaded" and result.warning
    monkeypatch.delenv("DOTHIXANH_FAULT")
    done = Warehouse(home).catch_up()
    assert done == {"refreshed": False, "published": True, "warning": None}
    assert warehouse.published_seq() == warehouse.master_seq()
    assert Warehouse(home).catch_up() == {"refreshed": False, "published": False, "warning": None}


def test_a_query_log_that_cannot_be_written_never_fails_the_query(home, warehouse, capsys):
    log = home / "logs" / "queries.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.mkdir()  # not a file: every append fails, as on a full disk (and even for root)
    assert main(["sql", "SELECT count(*) AS n FROM uploads", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 0}]


# -- a real full disk ---------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB tmpfs (needs root and permission to mount; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"không gắn được tmpfs ở máy này: {done.stderr.strip()[:200]}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(mount: Path, leave: int) -> Path:
    """Fill the disk until `leave` bytes are free."""
    filler = mount / "filler.bin"
    free = shutil.disk_usage(mount).free
    with open(filler, "ab") as out:
        remaining = free - leave
        while remaining > 0:
            chunk = min(remaining, 4 * 2**20)
            try:
                out.write(b"\0" * chunk)
                out.flush()
            except OSError:
                break
            remaining -= chunk
    return filler


def test_on_a_really_full_disk_loads_are_refused_cleanly_and_queries_still_run(
    small_disk, empty_ward_home, tmp_path, capsys, monkeypatch
):
    home = small_disk / "home"
    shutil.copytree(empty_ward_home, home, symlinks=True)
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    monkeypatch.delenv("DOTHIXANH_FAULT", raising=False)
    warehouse = Warehouse(home)
    before = state(warehouse)
    sent = tmp_path / "b.csv"
    sent.write_bytes(violations_csv(2000, "T", note="x" * 400))  # about 1 MB

    filler = fill(small_disk, leave=4 * 2**20)  # room for the file, not for the load and a snapshot
    code, report = cli_ingest(capsys, home, sent)
    assert (code, report["status"]) == (1, "refused")
    assert "Ổ đĩa của máy chủ không còn đủ chỗ" in report["reason"]
    assert state(warehouse) == before and leftovers(warehouse) == []

    fill(small_disk, leave=0)  # nothing left at all: not even the original file can be kept
    assert shutil.disk_usage(small_disk).free < len(sent.read_bytes())
    code, report = cli_ingest(capsys, home, sent)
    assert (code, report["status"]) == (1, "refused")
    assert "Ổ đĩa" in report["reason"]
    assert state(warehouse) == before and leftovers(warehouse) == []
    # Analysts' queries still answer although their log line cannot be written.
    assert main(["sql", "SELECT count(*) AS n FROM uploads", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": before[0]}]

    os.remove(filler)  # the administrator frees space; the same file now loads
    code, report = cli_ingest(capsys, home, sent)
    assert (code, report["status"], report["rows_new"]) == (0, "loaded", 2000)
    assert report.get("warning") is None
    assert leftovers(warehouse) == []
