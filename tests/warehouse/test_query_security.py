"""Analysts' SQL can never hurt anything: every hostile statement is refused, and the next query works."""

from __future__ import annotations

import json

import pytest

from pipelines.ingest import ingest, init_ward
from warehouse.query import Limits, QueryError, query_log_path, run_readonly
from warehouse.store import Warehouse

GROUPS = "group_code,group_name,households,population\nTDP01,Tổ 1,300,1100\nTDP02,Tổ 2,150,520\n"
UNITS = "unit_code,unit_name,feeds\nCAP,Công an phường,violations\n"
# For the queries that must work: a worker process starts (Python, DuckDB) within this on a busy
# machine. A test of the time limit itself runs a query that can never finish against a small limit.
GENEROUS = Limits(timeout_s=300)


@pytest.fixture(scope="module")
def ward(tmp_path_factory) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("sec") / "home")
    init_ward(wh, (GROUPS.encode(), "g.csv"), (UNITS.encode(), "u.csv"))
    rows = "".join(f"V{i},CAP,0{1 + i % 9}/06/2026,TDP0{1 + i % 2},other,reminder,\n" for i in range(3000))
    data = ("record_id,unit_code,detected_on,group_code,category,action,fine_vnd\n" + rows).encode()
    ingest(wh, data, feed="violations", unit_code="CAP", file_name="v.csv")
    return wh


HOSTILE = {
    "read_csv of /etc/passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text of /etc/passwd": "SELECT * FROM read_text('/etc/passwd')",
    "read_blob of /etc/passwd": "SELECT * FROM read_blob('/etc/passwd')",
    "glob of /etc": "SELECT * FROM glob('/etc/*')",
    "replacement scan of a file": "SELECT * FROM '/etc/passwd'",
    "read_parquet of a file": "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "read_json over http": "SELECT * FROM read_json('http://127.0.0.1:9/x.json')",
    "COPY ... TO": "COPY (SELECT * FROM violations) TO '/tmp/leak.csv'",
    "EXPORT DATABASE": "EXPORT DATABASE '/tmp/leak'",
    "ATTACH": "ATTACH '/tmp/other.duckdb' AS other",
    "INSTALL": "INSTALL httpfs",
    "LOAD": "LOAD json",
    "SET a setting": "SET enable_external_access = true",
    "SET memory": "SET memory_limit = '100GB'",
    "PRAGMA": "PRAGMA enable_profiling",
    "CREATE TABLE": "CREATE TABLE x AS SELECT 1",
    "INSERT": "INSERT INTO core.violations (record_id) VALUES ('x')",
    "UPDATE": "UPDATE core.violations SET category = 'x'",
    "DELETE": "DELETE FROM core.violations",
    "DROP": "DROP VIEW violations",
    "several statements": "SELECT 1; DELETE FROM core.violations",
    "CHECKPOINT": "CHECKPOINT",
    "CALL a pragma": "CALL pragma_version()",
    "DETACH": "DETACH snapshot",
    "sqlite_scan": "SELECT * FROM sqlite_scan('/tmp/x.db', 't')",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_statement_is_refused_and_the_console_still_works(ward, name, tmp_path):
    before = ward.snapshot_path.read_bytes()
    with pytest.raises(QueryError) as refused:
        run_readonly(ward, HOSTILE[name], user="tester", limits=GENEROUS)
    assert str(refused.value).strip()
    assert ward.snapshot_path.read_bytes() == before
    frame, truncated = run_readonly(ward, "SELECT count(*) AS n FROM violations", limits=GENEROUS)
    assert frame["n"][0] == 3000 and not truncated


def test_nothing_was_written_outside(ward):
    from pathlib import Path

    assert not Path("/tmp/leak.csv").exists()
    assert not Path("/tmp/leak").exists()


def test_a_cross_join_of_the_facts_hits_the_time_limit(ward):
    # 3.000⁴ rows: no machine finishes this, so only the limit can end it
    query = "SELECT count(*) FROM violations a, violations b, violations c, violations d WHERE a.note IS NULL"
    with pytest.raises(QueryError, match="quá 2 giây"):
        run_readonly(ward, query, limits=Limits(timeout_s=2))
    assert run_readonly(ward, "SELECT 1 AS x", limits=GENEROUS)[0]["x"][0] == 1


def test_a_recursive_cte_that_never_ends_is_stopped(ward):
    query = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    with pytest.raises(QueryError, match=r"giây|bộ nhớ"):
        run_readonly(ward, query, limits=Limits(timeout_s=3, memory_limit="200MB"))
    assert run_readonly(ward, "SELECT 1 AS x", limits=GENEROUS)[0]["x"][0] == 1


def test_a_memory_bomb_hits_the_memory_limit(ward):
    query = "SELECT max(length(s)) FROM (SELECT string_agg(repeat('x', 1000), '') AS s FROM range(10000000))"
    with pytest.raises(QueryError, match="bộ nhớ"):
        run_readonly(ward, query, limits=Limits(timeout_s=300, memory_limit="100MB"))
    assert run_readonly(ward, "SELECT 1 AS x", limits=GENEROUS)[0]["x"][0] == 1


def test_results_are_capped_and_the_cap_is_stated(ward):
    frame, truncated = run_readonly(ward, "SELECT * FROM violations", max_rows=100, limits=GENEROUS)
    assert frame.height == 100 and truncated
    frame, truncated = run_readonly(ward, "SELECT * FROM violations LIMIT 50", max_rows=100, limits=GENEROUS)
    assert frame.height == 50 and not truncated


def test_every_query_is_logged_with_who_when_how_long_and_rows(ward):
    run_readonly(ward, "SELECT * FROM units", user="phan.tich", limits=GENEROUS)
    with pytest.raises(QueryError):
        run_readonly(ward, "DROP VIEW units", user="phan.tich", limits=GENEROUS)
    entries = [json.loads(line) for line in query_log_path(ward).read_text(encoding="utf-8").splitlines()]
    ok, refused = entries[-2], entries[-1]
    assert (ok["user"], ok["status"], ok["rows"], ok["query"]) == (
        "phan.tich",
        "ok",
        1,
        "SELECT * FROM units",
    )
    assert refused["status"] == "error" and "SELECT" in refused["error"]
    assert ok["seconds"] >= 0 and ok["at"].startswith("20")
