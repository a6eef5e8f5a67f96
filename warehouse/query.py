"""Analysts' SQL: one SELECT, on the read-only snapshot, in a locked-down worker process.

DuckDB's lockdown settings (`enable_external_access=false`,
`lock_configuration=true`) apply to a whole process, so untrusted SQL runs in
its own short-lived process; the parent enforces the time limit by ending it.
"""

from __future__ import annotations

import fcntl
import io
import json
import multiprocessing as mp
import time
from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.store import Warehouse, WarehouseMissing, now_vietnam

SHOWN_ROWS = 10_000  # rows shown on screen / printed
EXPORTED_ROWS = 100_000  # rows in an export


class QueryError(Exception):
    """A query refused or failed; the message is Vietnamese and safe to show."""


@dataclass
class Limits:
    timeout_s: float = 30.0
    memory_limit: str = "2GB"
    threads: int = 1


def check_statement(query: str) -> None:
    """Accept exactly one SELECT statement."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryError(f"Câu truy vấn có lỗi cú pháp: {exc}") from None
    if not statements:
        raise QueryError("Chưa có câu truy vấn.")
    if len(statements) > 1:
        raise QueryError("Mỗi lần chỉ chạy một câu truy vấn (không dùng nhiều câu cách nhau bởi ;).")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = statements[0].type.name
        raise QueryError(f"Chỉ cho phép câu SELECT để đọc số liệu; câu {kind} không được chạy.")


def _worker(path: str, query: str, max_rows: int, limits: Limits, conn) -> None:
    try:
        con = duckdb.connect(path, read_only=True)
        con.execute(f"SET memory_limit = '{limits.memory_limit}'")
        con.execute(f"SET threads = {int(limits.threads)}")
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET lock_configuration = true")
        frame = con.sql(query).limit(max_rows + 1).pl()
        conn.send(("ok", frame.serialize(format="binary")))
    except duckdb.Error as exc:
        conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
    except Exception as exc:  # report, never hang the parent
        conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
    finally:
        conn.close()


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
    limits = limits or Limits()
    started = time.monotonic()
    try:
        frame, truncated = _run(warehouse, query, max_rows, limits)
    except QueryError as exc:
        _log(warehouse, user, query, time.monotonic() - started, None, str(exc))
        raise
    _log(warehouse, user, query, time.monotonic() - started, frame.height, None)
    return frame, truncated


def _run(warehouse: Warehouse, query: str, max_rows: int, limits: Limits) -> tuple[pl.DataFrame, bool]:
    check_statement(query)
    if not warehouse.snapshot_path.exists():
        raise QueryError(str(WarehouseMissing(f"Chưa có kho dữ liệu trong {warehouse.home}.")))
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_worker, args=(str(warehouse.current_snapshot()), query, max_rows, limits, child), daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(limits.timeout_s):
            raise QueryError(
                f"Truy vấn chạy quá {limits.timeout_s:g} giây nên đã bị dừng. "
                "Hãy thu hẹp điều kiện lọc hoặc thêm LIMIT."
            )
        status, payload = parent.recv()
    except EOFError:
        raise QueryError(
            "Truy vấn làm tiến trình chạy bị dừng đột ngột (có thể do vượt giới hạn bộ nhớ)."
        ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        raise QueryError(_explain(payload, limits))
    frame = pl.DataFrame.deserialize(io.BytesIO(payload), format="binary")
    return frame.head(max_rows), frame.height > max_rows


def query_log_path(warehouse: Warehouse):
    return warehouse.home / "logs" / "queries.jsonl"


def _log(warehouse: Warehouse, user, query, seconds, rows, error) -> None:
    path = query_log_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "at": now_vietnam().isoformat(timespec="seconds"),
        "user": user,
        "seconds": round(seconds, 3),
        "rows": rows,
        "status": "error" if error else "ok",
        "error": error,
        "query": query,
    }
    with open(path, "a", encoding="utf-8") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _explain(message: str, limits: Limits) -> str:
    lowered = message.lower()
    if "out of memory" in lowered or "memory limit" in lowered:
        return f"Truy vấn cần quá nhiều bộ nhớ (giới hạn {limits.memory_limit}) nên đã bị dừng. {message}"
    if "external access" in lowered or "permission" in lowered:
        return f"Truy vấn không được đọc hay ghi tệp ngoài kho dữ liệu. {message}"
    return message
