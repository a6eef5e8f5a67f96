"""kill -9 at every phase of a load: the warehouse holds all of the file or none, and the next command catches up.

Each run starts `dothixanh ingest` as its own process with DOTHIXANH_FAULT naming a phase
(warehouse/faults.py), so the process kills itself with SIGKILL exactly there. Then one of
the next commands a ward would run — the re-sent file, another unit's file, or `serve`'s
catch-up — and the checks a user would notice:

- the file is in completely (its upload row and every accepted row) or not at all;
- the marts are not stale: they equal a fresh refresh of the same data;
- the published snapshot is the master (same publish number, same rows);
- nothing is left behind (`*.tmp`, `.snapshot-PID.link`) and at most 3 versions are kept;
- re-sending the file completes (loaded, or duplicate when it was already in).

By default one run per phase (7 runs); with CI=true or DOTHIXANH_CRASH_RUNS=full every
phase meets every next command and two double faults (20 runs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import sandbox_service
from pipelines.ingest import ingest
from warehouse.refresh import refresh_marts, refresh_state
from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Số hồ sơ,Mã đơn vị,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"
PHASES = ["reading", "loading", "commit", "refresh", "publish-copy", "publish-link"]
NEXT = ["resend", "other-file", "catch-up"]
# Phases killed before the COMMIT: the file is not in; after it: the file is in.
BEFORE_COMMIT = {"reading", "loading"}
BEFORE_LOCK = {"reading"}
# Marts tables whose rows carry the time of the refresh itself.
CLOCKED = {"refresh_state", "settings_source"}


def violations_csv(rows: int, prefix: str) -> bytes:
    lines = [
        f"{prefix}{i:05d},CAP,{1 + i % 28:02d}/06/2026,TDP0{1 + i % 2},other,reminder,,\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


def _full() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("DOTHIXANH_CRASH_RUNS") == "full"


def _runs() -> list[tuple[str, str, str | None]]:
    """(phase, next command, fault of the next command): ≥ 20 in the full set."""
    everything = [(phase, after, None) for phase in PHASES for after in NEXT]
    doubles = [("commit", "catch-up", "refresh"), ("publish-link", "catch-up", "publish-copy")]
    if _full():
        return everything + doubles
    # One run per phase, each with a different next command, and one double fault.
    return [(phase, NEXT[i % len(NEXT)], None) for i, phase in enumerate(PHASES)] + doubles[:1]


def run_cli(home: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOTHIXANH_FAULT"}
    # The warm sandbox service of the module (see `warm_service`) judges the file, as it would for a
    # ward's command: each run then costs its kill and its checks, not a cold start of Great Expectations.
    env.update(DOTHIXANH_HOME=str(home), PYTHONPATH=str(ROOT), DOTHIXANH_SANDBOX_IDLE=str(SERVICE_IDLE))
    if fault:
        env["DOTHIXANH_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT
    )


def run_catch_up(home: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOTHIXANH_FAULT"}
    env.update(PYTHONPATH=str(ROOT))
    if fault:
        env["DOTHIXANH_FAULT"] = fault
    code = "import json,sys; from warehouse.store import Warehouse; print(json.dumps(Warehouse(sys.argv[1]).catch_up()))"
    return subprocess.run([sys.executable, "-c", code, str(home)], env=env, capture_output=True, text=True)


def master_copy(warehouse: Warehouse, folder: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a copy of the master (its WAL replayed), leaving the real one alone."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "copy.duckdb"
    shutil.copyfile(warehouse.master_path, target)
    wal = warehouse.master_path.with_name(warehouse.master_path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, folder / "copy.duckdb.wal")
    return duckdb.connect(str(target))


def file_state(con: duckdb.DuckDBPyConnection, file_name: str) -> tuple[int, int, int]:
    """(loaded uploads of the file, rows it says it loaded, rows of it in core)."""
    uploads = con.sql(
        "SELECT upload_id, rows_new FROM raw.uploads WHERE file_name = ? AND status = 'loaded'",
        params=[file_name],
    ).fetchall()
    ids = [u for u, _ in uploads] or [-1]
    in_core = con.sql(f"SELECT count(*) FROM core.violations WHERE upload_id IN ({','.join(map(str, ids))})")
    return len(uploads), sum(n for _, n in uploads), in_core.fetchall()[0][0]


def marts_rows(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    tables = [
        name
        for (name,) in con.sql(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
        ).fetchall()
        if name not in CLOCKED
    ]
    frames = {}
    for name in tables:
        frame = con.sql(f"SELECT * FROM marts.{name}").pl()
        frames[name] = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
    return frames


def assert_caught_up(warehouse: Warehouse, scratch: Path) -> None:
    """Marts equal a fresh refresh; the snapshot is the master; no leftovers; versions bounded."""
    master = master_copy(warehouse, scratch / "fresh")
    try:
        state = refresh_state(master)
        assert state is not None
        loaded = master.sql("SELECT max(upload_id) FROM raw.uploads WHERE status = 'loaded'").fetchall()[0][0]
        assert state["last_loaded_upload_id"] == loaded, "marts one upload behind"
        master_counts = counts(master)
        seq = master.sql("SELECT seq FROM publish_state").fetchall()[0][0]
        live = marts_rows(master)
        refresh_marts(master, warehouse.home, today=state["as_of"])
        fresh = marts_rows(master)
    finally:
        master.close()
    assert live.keys() == fresh.keys()
    for name in live:
        assert live[name].equals(fresh[name]), f"marts.{name} differs from a fresh refresh"
    assert warehouse.published_seq() == seq
    with warehouse.reading() as snapshot:
        assert counts(snapshot) == master_counts
        published = marts_rows(snapshot)
    for name in live:
        assert published[name].equals(live[name]), f"snapshot's marts.{name} differs from the master's"
    leftovers = [
        *warehouse.snapshots_dir.glob("*.tmp"),
        *warehouse.home.glob(".snapshot-*.link"),
        *warehouse.files_dir.glob("*/*.tmp"),
    ]
    assert leftovers == []
    assert len(warehouse.snapshot_versions()) <= 3


def counts(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.sql(
        "SELECT (SELECT count(*) FROM raw.uploads), (SELECT count(*) FROM core.violations), "
        "(SELECT count(*) FROM raw.rejected_rows), (SELECT last_loaded_upload_id FROM marts.refresh_state)"
    ).fetchall()[0]


SERVICE_IDLE = 900


@pytest.fixture(scope="module")
def warm_service(tmp_path_factory):
    """One sandbox service for every run of the module; each run's home links its `run/` folder to it.

    (A service relays files to its workers and keeps nothing of a home, so sharing it between the
    copies changes no outcome; if it cannot be reached, a command judges in its own cold worker.)"""
    shared = tmp_path_factory.mktemp("svc")
    sandbox_service.start(shared, SERVICE_IDLE)
    yield sandbox_service.run_dir(shared)
    sandbox_service.ServiceClient(shared).stop()


@pytest.fixture(scope="module")
def loaded_ward(tmp_path_factory, new_ward) -> Path:
    """The fixture ward with one file already in, so every phase has marts and a snapshot to keep."""
    home = tmp_path_factory.mktemp("crash") / "home"
    warehouse = new_ward(home)
    first = ingest(warehouse, violations_csv(50, "A"), feed="violations", unit_code="CAP", file_name="a.csv")
    assert first.status == "loaded"
    return home


@pytest.mark.parametrize(("phase", "after", "second_fault"), _runs())
def test_killed_load_leaves_all_or_nothing_and_the_next_command_catches_up(
    loaded_ward, warm_service, tmp_path, phase, after, second_fault
):
    home = tmp_path / "home"
    shutil.copytree(loaded_ward, home, symlinks=True)
    (home / "run").symlink_to(warm_service, target_is_directory=True)
    warehouse = Warehouse(home)
    sent = tmp_path / "b.csv"
    sent.write_bytes(violations_csv(400, "B"))

    killed = run_cli(
        home, "ingest", str(sent), "--feed", "violations", "--unit", "CAP", "--json", fault=phase
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert killed.stdout == ""

    # All or none: the upload row and all its rows, or neither.
    con = master_copy(warehouse, tmp_path / "after-kill")
    try:
        uploads, said, in_core = file_state(con, "b.csv")
    finally:
        con.close()
    assert (uploads, said, in_core) == ((0, 0, 0) if phase in BEFORE_COMMIT else (1, 400, 400))

    if after == "resend":
        result = run_cli(home, "ingest", str(sent), "--feed", "violations", "--unit", "CAP", "--json")
        assert result.returncode == 0, result.stderr[-2000:]
        assert json.loads(result.stdout)["status"] == ("loaded" if phase in BEFORE_COMMIT else "duplicate")
    elif after == "other-file":
        other = ingest(
            warehouse, violations_csv(30, "C"), feed="violations", unit_code="CAP", file_name="c.csv"
        )
        assert other.status == "loaded" and other.warning is None
    else:
        if second_fault:  # the catch-up itself is killed, and the next one finishes the work
            again = run_catch_up(home, fault=second_fault)
            assert again.returncode == -9, again.stderr[-2000:]
        done = run_catch_up(home)
        assert done.returncode == 0, done.stderr[-2000:]
        report = json.loads(done.stdout)
        assert report["warning"] is None
        # Killed while its file was read (in a sandbox worker, before the writer lock), the command
        # left nothing to finish; killed under the lock, the catch-up publishes what it left.
        assert report["published"] == (phase not in BEFORE_LOCK)
    assert_caught_up(warehouse, tmp_path / "check")
    published = warehouse.published_seq()

    # Re-sending the file completes, whatever happened before.
    resent = ingest(warehouse, sent.read_bytes(), feed="violations", unit_code="CAP", file_name="b.csv")
    assert resent.status in ("loaded", "duplicate")
    con = master_copy(warehouse, tmp_path / "final")
    try:
        assert file_state(con, "b.csv") == (1, 400, 400)
    finally:
        con.close()
    if resent.status == "loaded":  # a duplicate writes nothing: the state checked above still holds
        assert_caught_up(warehouse, tmp_path / "check-final")
    else:
        assert warehouse.published_seq() == warehouse.master_seq() == published


def test_full_set_has_at_least_twenty_kill_runs():
    everything = [(phase, after, None) for phase in PHASES for after in NEXT]
    assert len(everything) + 2 >= 20
