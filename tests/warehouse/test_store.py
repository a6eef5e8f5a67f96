"""The warehouse keeps everything, loads in one transaction, and lets readers in during a load."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.ingest import ingest, init_ward
from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 29)

GROUPS = "group_code,group_name,households,population\nTDP01,Tổ 1,300,1100\nTDP02,Tổ 2,150,520\n"
UNITS = "unit_code,unit_name,feeds\nCAP,Công an phường Lê Chân,violations\nKT,Phòng Kinh tế,violations\n"
HEADER = "Số hồ sơ,Mã đơn vị,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"


def violations_csv(rows: int, prefix: str = "V", unit: str = "CAP", note: str = "") -> bytes:
    lines = [
        f"{prefix}{i:06d},{unit},{1 + i % 28:02d}/06/2026,TDP0{1 + i % 2},other,reminder,,{note}\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


@pytest.fixture
def ward(tmp_path) -> Warehouse:
    wh = Warehouse(tmp_path / "home")
    init_ward(wh, (GROUPS.encode(), "groups.csv"), (UNITS.encode(), "units.csv"))
    return wh


def count(wh: Warehouse, sql: str, params=None):
    with wh.reading() as con:
        return con.sql(sql, params=params or []).fetchall()[0][0]


def test_original_file_is_kept_byte_for_byte_with_its_hash(ward):
    data = violations_csv(3)
    result = ingest(ward, data, feed="violations", unit_code="CAP", file_name="thang6.csv", today=TODAY)
    with ward.reading() as con:
        sha, path, name, unit, feed, received = con.sql(
            "SELECT sha256, stored_path, file_name, unit_code, feed, received_at FROM uploads WHERE upload_id = ?",
            params=[result.upload_id],
        ).fetchall()[0]
    assert ward.original_file(path) == data
    assert sha == hashlib.sha256(data).hexdigest()
    assert (name, unit, feed) == ("thang6.csv", "CAP", "violations")
    assert received is not None


def test_every_record_traces_to_its_file_and_line(ward):
    data = violations_csv(4)
    result = ingest(ward, data, feed="violations", unit_code="CAP", file_name="a.csv", today=TODAY)
    with ward.reading() as con:
        rows = con.sql(
            "SELECT v.record_id, v.source_line, u.stored_path FROM violations v "
            "JOIN uploads u USING (upload_id) ORDER BY v.source_line"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(f"V{i:06d}", i + 2) for i in range(4)]
    original = ward.original_file(rows[0][2]).decode().splitlines()
    for record_id, line, _ in rows:
        assert original[line - 1].startswith(record_id + ",")
    assert {r[2] for r in rows} == {ward.file_path(hashlib.sha256(data).hexdigest())}
    assert result.rows_accepted == 4


def test_same_bytes_twice_change_nothing(ward):
    data = violations_csv(5)
    first = ingest(ward, data, feed="violations", unit_code="CAP", file_name="a.csv", today=TODAY)
    uploads_before = count(ward, "SELECT count(*) FROM uploads")
    again = ingest(ward, data, feed="violations", unit_code="CAP", file_name="a (1).csv", today=TODAY)
    assert again.status == "duplicate"
    assert again.upload_id == first.upload_id
    assert count(ward, "SELECT count(*) FROM violations") == 5
    assert count(ward, "SELECT count(*) FROM uploads") == uploads_before


def test_resent_key_is_a_correction_not_a_second_record(ward):
    ingest(ward, violations_csv(3), feed="violations", unit_code="CAP", file_name="a.csv", today=TODAY)
    fixed = HEADER + "V000001,CAP,02/06/2026,TDP02,public_order,fine,2.000.000,đính chính\n"
    result = ingest(ward, fixed.encode(), feed="violations", unit_code="CAP", file_name="b.csv", today=TODAY)
    assert (result.rows_new, result.rows_corrected) == (0, 1)
    assert count(ward, "SELECT count(*) FROM violations") == 3
    current_sql = "SELECT category, action, fine_vnd, upload_id FROM violations WHERE record_id = 'V000001'"
    history_sql = "SELECT category, superseded_by FROM core.violations_history WHERE record_id = 'V000001'"
    with ward.reading() as con:
        current = con.sql(current_sql).fetchall()
        history = con.sql(history_sql).fetchall()
    assert current == [("public_order", "fine", 2_000_000, result.upload_id)]
    assert history == [("other", result.upload_id)]


def test_same_id_from_another_unit_is_another_record(ward):
    ingest(ward, violations_csv(2), feed="violations", unit_code="CAP", file_name="a.csv", today=TODAY)
    other = violations_csv(2, unit="KT")
    result = ingest(ward, other, feed="violations", unit_code="KT", file_name="b.csv", today=TODAY)
    assert result.rows_new == 2
    assert count(ward, "SELECT count(*) FROM violations") == 4


def test_a_failure_in_the_middle_of_a_load_leaves_the_warehouse_as_it_was(ward):
    ingest(ward, violations_csv(3), feed="violations", unit_code="CAP", file_name="a.csv", today=TODAY)
    snapshot_before = ward.snapshot_path.read_bytes()
    bad = (
        HEADER
        + "V000001,CAP,02/06/2026,TDP02,public_order,reminder,,\nX1,CAP,31/02/2026,TDP01,other,reminder,,\n"
    )
    with pytest.raises(RuntimeError, match="simulated failure"):
        ingest(
            ward,
            bad.encode(),
            feed="violations",
            unit_code="CAP",
            file_name="b.csv",
            today=TODAY,
            fail_after_insert=True,
        )
    assert ward.snapshot_path.read_bytes() == snapshot_before
    # The master database too: a later load sees no trace of the failed one.
    result = ingest(
        ward, violations_csv(1, prefix="N"), feed="violations", unit_code="CAP", file_name="c.csv"
    )
    assert result.rows_new == 1
    with ward.reading() as con:
        assert con.sql("SELECT count(*) FROM violations").fetchall()[0][0] == 4
        assert con.sql("SELECT category FROM violations WHERE record_id = 'V000001'").fetchall() == [
            ("other",)
        ]
        assert con.sql("SELECT count(*) FROM uploads").fetchall()[0][0] == 2
        assert con.sql("SELECT count(*) FROM rejected_rows").fetchall()[0][0] == 0
        assert con.sql("SELECT count(*) FROM core.violations_history").fetchall()[0][0] == 0


READER = r"""
import sys, time, duckdb, json
path, stop_file, progress_file = sys.argv[1], sys.argv[2], sys.argv[3]
seen, errors, reads = set(), [], 0
import os
while not os.path.exists(stop_file):
    rows = None
    try:
        con = duckdb.connect(path, read_only=True)
        rows = con.sql("SELECT count(*) FROM violations").fetchall()[0][0]
        loaded = con.sql("SELECT coalesce(sum(rows_new), 0) FROM uploads WHERE status = 'loaded'").fetchall()[0][0]
        con.close()
        reads += 1
        seen.add(rows)
        if rows != loaded:
            errors.append(f"inconsistent: {rows} rows but uploads say {loaded}")
    except Exception as exc:
        errors.append(repr(exc))
    with open(progress_file + ".tmp", "w") as out:  # what it read last, for the test to wait on
        json.dump({"reads": reads, "rows": rows, "errors": len(errors)}, out)
    os.replace(progress_file + ".tmp", progress_file)
    time.sleep(0.01)
print(json.dumps({"reads": reads, "seen": sorted(seen), "errors": errors}))
"""
PATIENCE = 300  # seconds: the ceiling of a wait for the reader process (polled, so quick when the machine is)


def _wait_until_read(progress: Path, rows: int, reader: subprocess.Popen) -> None:
    """Until the reader has read a snapshot holding exactly `rows` violations."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            last = json.loads(progress.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            last = None
        if last and (last["rows"] == rows or last["errors"]):
            return
        assert reader.poll() is None, "the reader process ended early"
        assert time.monotonic() < deadline, f"the reader never read {rows} rows: {last}"
        time.sleep(0.05)


def test_readers_in_another_process_read_consistent_figures_during_loads(ward, tmp_path):
    stop, progress = tmp_path / "stop", tmp_path / "progress.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(ward.snapshot_path), str(stop), str(progress)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_read(progress, 0, reader)  # reading before the first load begins
        for batch in range(3):
            data = violations_csv(20_000, prefix=f"B{batch}-")
            result = ingest(
                ward, data, feed="violations", unit_code="CAP", file_name=f"{batch}.csv", today=TODAY
            )
            assert result.status == "loaded"
            _wait_until_read(progress, 20_000 * (batch + 1), reader)  # and it sees every load once done
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=PATIENCE)
    report = json.loads(out)
    assert report["errors"] == []
    assert report["reads"] >= 4
    assert set(report["seen"]) <= {0, 20_000, 40_000, 60_000}
    assert 60_000 in report["seen"]


def test_two_loads_started_together_both_succeed(ward, tmp_path):
    env = {**os.environ, "DOTHIXANH_HOME": str(ward.home)}
    files = []
    for name in ("x", "y"):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(violations_csv(30_000, prefix=f"{name}-"))
        files.append(path)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "ingest",
                str(p),
                "--feed",
                "violations",
                "--unit",
                "CAP",
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for p in files
    ]
    results = [p.communicate(timeout=PATIENCE) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert json.loads(out)["status"] == "loaded"
    assert count(ward, "SELECT count(*) FROM violations") == 60_000
    assert count(ward, "SELECT count(DISTINCT upload_id) FROM violations") == 2
