"""Bounded storage: a few snapshot versions beyond the open ones, crash leftovers cleaned, ≤ 3× the warehouse."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import demo
from warehouse import store
from warehouse.store import Warehouse


def publish(warehouse: Warehouse, times: int = 1) -> None:
    for _ in range(times):
        with warehouse.writing():
            pass


def snapshot_bytes(warehouse: Warehouse) -> int:
    return sum(p.stat().st_size for p in warehouse.snapshots_dir.iterdir() if p.is_file())


def test_at_most_three_versions_are_kept_and_the_current_one_is_never_removed(warehouse):
    publish(warehouse, 6)
    versions = warehouse.snapshot_versions()
    assert len(versions) == 3
    assert warehouse.current_snapshot() == versions[-1]
    assert warehouse.published_seq() == warehouse.master_seq()


def test_the_number_kept_is_configurable(warehouse, monkeypatch):
    monkeypatch.setenv("DOTHIXANH_SNAPSHOTS", "5")
    publish(warehouse, 7)
    assert len(warehouse.snapshot_versions()) == 5
    monkeypatch.setenv("DOTHIXANH_SNAPSHOTS", "2")
    publish(warehouse)
    assert len(warehouse.snapshot_versions()) == 2


def test_a_version_a_reader_still_has_open_is_kept_beyond_the_three(warehouse):
    reader = warehouse.connect_reader()  # the dashboard's long-lived connection
    held = warehouse.current_snapshot()
    try:
        publish(warehouse, 5)
        assert held.exists()
        others = [v for v in warehouse.snapshot_versions() if v != held]
        assert len(others) == 3
        assert reader.sql("SELECT count(*) FROM uploads").fetchall() == [(0,)]  # still reads its version
    finally:
        reader.close()
        del reader
    publish(warehouse)
    assert not held.exists()  # closed: pruned at the next publish
    assert len(warehouse.snapshot_versions()) == 3


def test_a_version_another_tool_opened_with_duckdb_is_kept(warehouse):
    held = warehouse.current_snapshot()
    tool = subprocess.Popen(  # an analyst's own DuckDB on the snapshot, outside our code
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(held)!r}, read_only=True); "
            "print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert tool.stdout.readline().strip() == "open"
        publish(warehouse, 5)
        assert held.exists()
    finally:
        tool.communicate("", timeout=60)
    publish(warehouse)
    assert not held.exists()


def test_a_query_in_progress_keeps_its_version(warehouse):
    with warehouse.holding_snapshot() as path:  # what `dothixanh sql` holds while its worker reads
        publish(warehouse, 5)
        assert path.exists()
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.sql("SELECT count(*) FROM uploads").fetchall() == [(0,)]


def test_leftovers_of_a_killed_writer_are_removed_by_the_next_one(warehouse):
    partial = warehouse.snapshots_dir / "snapshot-1.tmp"
    partial.write_bytes(b"\0" * 1000)
    link = warehouse.home / ".snapshot-999999.link"
    link.symlink_to("snapshots/nowhere.duckdb")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    stale_file = warehouse.files_dir / "ab" / f"ab12.{dead_pid}.tmp"
    stale_file.parent.mkdir(parents=True, exist_ok=True)
    stale_file.write_bytes(b"half a file")
    live_file = warehouse.files_dir / "ab" / f"ab34.{os.getpid()}.tmp"  # a store still in progress
    live_file.write_bytes(b"being written")
    publish(warehouse)
    assert not partial.exists() and not link.is_symlink() and not stale_file.exists()
    assert live_file.exists()


def test_during_a_publish_the_unopened_versions_stay_within_three(warehouse, monkeypatch):
    publish(warehouse, 4)
    seen = []
    copy = store.copy_file

    def watched(source: Path, target: Path) -> str:
        how = copy(source, target)
        seen.append(len(list(warehouse.snapshots_dir.iterdir())))  # the new copy is complete here
        return how

    monkeypatch.setattr(store, "copy_file", watched)
    publish(warehouse, 3)
    assert seen == [3, 3, 3]


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory):
    """A small demo ward built through `build_demo`, with snapshots/ measured at every copy and prune."""
    home = tmp_path_factory.mktemp("demo-storage") / "home"
    warehouse = Warehouse(home)
    peaks: list[tuple[int, int]] = []  # (bytes in snapshots/, bytes of the master) at each moment
    copies: list[Path] = []
    copy, prune = store.copy_file, Warehouse._prune_snapshots

    def measure() -> None:
        peaks.append((snapshot_bytes(warehouse), warehouse.master_path.stat().st_size))

    def watched_copy(source, target):
        how = copy(source, target)
        measure()
        copies.append(target)
        return how

    def watched_prune(self, **kw):
        measure()
        removed = prune(self, **kw)
        measure()
        return removed

    mp = pytest.MonkeyPatch()
    mp.setattr(store, "copy_file", watched_copy)
    mp.setattr(Warehouse, "_prune_snapshots", watched_prune)
    try:
        demo.build_demo(warehouse, until=dt.date(2026, 6, 30))
    finally:
        mp.undo()
    return warehouse, peaks, copies


def test_the_demo_build_keeps_snapshot_disk_within_three_times_the_warehouse(demo_build):
    warehouse, peaks, copies = demo_build
    # One copy per step a user would take: the ward's set-up, the second groups list (valid from
    # 01/10/2026), the whole batch of unit files at once, then the approvals batch (one refresh).
    assert len(copies) == 4
    for used, master in peaks:
        assert used <= 3 * master
    assert snapshot_bytes(warehouse) <= 3 * warehouse.master_path.stat().st_size
    assert len(warehouse.snapshot_versions()) <= 3
    assert warehouse.published_seq() == warehouse.master_seq()
    assert list(warehouse.snapshots_dir.glob("*.tmp")) == []
