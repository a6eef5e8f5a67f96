"""Analysts' SQL: one SELECT, on the read-only snapshot, in a locked-down worker process.

DuckDB's lockdown settings (`enable_external_access=false`,
`lock_configuration=true`) apply to a whole process, so untrusted SQL runs in
its own short-lived process (warehouse/query_worker.py, started fresh with
`python -m`, so it shares nothing with the dashboard); the parent enforces the
time limit by ending it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse.jsonlog import append_line
from warehouse.query_errors import explain
from warehouse.store import Warehouse, WarehouseMissing, now_vietnam

ROOT = Path(__file__).resolve().parent.parent  # where `python -m warehouse.query_worker` resolves
SHOWN_ROWS = 10_000  # rows shown on screen / printed
EXPORTED_ROWS = 100_000  # rows in an export


class QueryError(Exception):
    """A query refused or failed; the message is Vietnamese and safe to show, DuckDB's own in `detail`."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


@dataclass
class Limits:
    timeout_s: float = 30.0
    memory_limit: str = "2GB"
    threads: int = 1

    @classmethod
    def from_env(cls) -> Limits:
        """DOTHIXANH_SQL_TIMEOUT (seconds, default 30) and DOTHIXANH_SQL_MEMORY (default 2GB)."""
        return cls(
            timeout_s=float(os.environ.get("DOTHIXANH_SQL_TIMEOUT", "30")),
            memory_limit=os.environ.get("DOTHIXANH_SQL_MEMORY", "2GB"),
        )


def row_caps() -> tuple[int, int]:
    """(rows shown, rows exported): DOTHIXANH_SQL_SHOWN_ROWS and DOTHIXANH_SQL_EXPORTED_ROWS."""
    return (
        int(os.environ.get("DOTHIXANH_SQL_SHOWN_ROWS", SHOWN_ROWS)),
        int(os.environ.get("DOTHIXANH_SQL_EXPORTED_ROWS", EXPORTED_ROWS)),
    )


def check_statement(query: str) -> None:
    """Accept exactly one SELECT statement."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryError(explain(str(exc)), detail=str(exc)) from None
    if not statements:
        raise QueryError("Chưa có câu truy vấn.")
    if len(statements) > 1:
        raise QueryError("Mỗi lần chỉ chạy một câu truy vấn (không dùng nhiều câu cách nhau bởi ;).")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = statements[0].type.name
        raise QueryError(f"Chỉ cho phép câu SELECT để đọc số liệu; câu {kind} không được chạy.")


def run_readonly(
    warehouse: Warehouse,
    query: str,
    *,
    max_rows: int = SHOWN_ROWS,
    limits: Limits | None = None,
    user: str | None = None,
) -> tuple[pl.DataFrame, bool]:
    """Run one SELECT on the snapshot; return (rows, whether more rows were cut off).

    Every attempt, refused or not, is logged with who, when, how long and how many rows.
    """
    limits = limits or Limits.from_env()
    started = time.monotonic()
    try:
        frame, truncated = _run(warehouse, query, max_rows, limits)
    except QueryError as exc:
        error = f"{exc} ({exc.detail})" if exc.detail else str(exc)
        _log(warehouse, user, query, time.monotonic() - started, None, error)
        raise
    _log(warehouse, user, query, time.monotonic() - started, frame.height, None)
    return frame, truncated


def _run(warehouse: Warehouse, query: str, max_rows: int, limits: Limits) -> tuple[pl.DataFrame, bool]:
    check_statement(query)
    if not warehouse.snapshot_path.exists():
        raise QueryError(str(WarehouseMissing(f"Chưa có kho dữ liệu trong {warehouse.home}.")))
    try:
        with warehouse.holding_snapshot() as path:  # no publish prunes the version the worker reads
            return _run_worker(path, query, max_rows, limits)
    except WarehouseMissing as exc:
        raise QueryError(str(exc)) from None


def _run_worker(path: Path, query: str, max_rows: int, limits: Limits) -> tuple[pl.DataFrame, bool]:
    request = {
        "path": str(path),
        "query": query,
        "max_rows": max_rows,
        "memory_limit": limits.memory_limit,
        "threads": limits.threads,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "warehouse.query_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        out, err = worker.communicate((json.dumps(request) + "\n").encode(), timeout=limits.timeout_s)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise QueryError(
            f"Truy vấn chạy quá {str(limits.timeout_s).removesuffix('.0').replace('.', ',')} giây nên đã bị dừng. "
            "Hãy thu hẹp điều kiện lọc hoặc thêm LIMIT."
        ) from None
    head, _, body = out.partition(b"\n")
    if not head:
        raise QueryError(
            "Truy vấn làm tiến trình chạy bị dừng đột ngột (có thể do vượt giới hạn bộ nhớ). "
            + err.decode("utf-8", "replace")[-300:]
        )
    status = json.loads(head)
    if status["status"] == "error":
        raise QueryError(_explain(status["message"], limits), detail=status["message"])
    frame = pl.read_ipc_stream(io.BytesIO(body))
    return frame.head(max_rows), frame.height > max_rows


def query_log_path(warehouse: Warehouse):
    return warehouse.home / "logs" / "queries.jsonl"


def _log(warehouse: Warehouse, user, query, seconds, rows, error) -> None:
    """One line per query; a log that cannot be written (a full disk) never fails the query."""
    entry = {
        "at": now_vietnam().isoformat(timespec="seconds"),
        "user": user,
        "seconds": round(seconds, 3),
        "rows": rows,
        "status": "error" if error else "ok",
        "error": error,
        "query": query,
    }
    append_line(query_log_path(warehouse), entry)


def _explain(message: str, limits: Limits) -> str:
    lowered = message.lower()
    if "out of memory" in lowered or "memory limit" in lowered:
        return f"Truy vấn cần quá nhiều bộ nhớ (giới hạn {limits.memory_limit}) nên đã bị dừng."
    if "external access" in lowered or "permission" in lowered:
        return "Truy vấn không được đọc hay ghi tệp ngoài kho dữ liệu."
    return explain(message)
