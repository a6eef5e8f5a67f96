"""A warm child process that judges (or loads) the fuzz files, so that an abort or a memory blow-up
kills the child and is recorded as that example's failure instead of taking pytest down.

This is the fuzz tests' guard for today's in-process reader; once `pipelines.sandbox` exists the
answers come from its `judge` and this worker only runs the end-to-end loads (through `ingest`,
which then uses the sandbox itself).
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import traceback
import types
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 29)
GIB = 1 << 30


def error_name(exc: BaseException) -> str:
    """`UnicodeDecodeError`, `_csv.Error`, `polars.exceptions.ComputeError`: enough to tell causes apart."""
    module = type(exc).__module__
    return type(exc).__qualname__ if module == "builtins" else f"{module}.{type(exc).__qualname__}"


def short_traceback() -> str:
    """The current exception's traceback with long lines (the file's own cells) cut short."""
    lines = traceback.format_exc().splitlines()
    return "\n".join(line if len(line) <= 300 else line[:300] + " …" for line in lines)[-8000:]


def fixture_reference():
    """The fixture ward's groups and units (tests/fixtures/ward), as `prepare` takes them."""
    from pipelines.messages import Reference

    def rows(name: str) -> list[dict]:
        with open(FIXTURES / "ward" / f"{name}.csv", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    groups = {r["group_code"]: (r["group_name"], int(r["households"])) for r in rows("groups")}
    units = {r["unit_code"]: (r["unit_name"], r["feeds"].replace(",", ";").split(";")) for r in rows("units")}
    return Reference(groups, units)


def summarise(prepared) -> dict:
    """What the properties look at in a Prepared result (it is checked in the parent)."""
    errors = prepared.errors
    contract = prepared.contract
    keys = [list(k) for k in prepared.accepted.select(list(contract.key)).iter_rows()]
    return {
        "rows_total": prepared.rows_total,
        "accepted": prepared.accepted.height,
        "rejected_lines": prepared.rejected_lines,
        "errors": errors.height,
        "error_columns": list(errors.columns),
        "errors_without_message": errors.filter(
            errors["message"].is_null() | (errors["message"].str.strip_chars() == "")
        ).height
        if "message" in errors.columns
        else errors.height,
        "errors_without_line": errors["line"].null_count() if "line" in errors.columns else errors.height,
        "keys": keys,
    }


def _vm(field: str) -> int:
    """A /proc/self/status figure in bytes (VmSize, VmRSS, VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    try:  # Linux: writing 5 resets VmHWM, the peak resident size, to the current size
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(request: tuple) -> dict:
    from pipelines import ingest as ingest_module
    from pipelines.reading import FileRefused

    _op, data, feed, unit_code, file_name, home = request  # the only op left is "ingest"
    answer: dict = {"kind": None}
    captured: list = []
    try:
        # Keep what the file was judged to, to count its accepted keys (`ingest` calls `sandbox.judge`).
        import pipelines.sandbox
        from warehouse.store import Warehouse

        spied = [(pipelines.sandbox, "judge")]
        originals = [(module, name, getattr(module, name)) for module, name in spied]

        def spy(real):
            def call(*args, **kwargs):
                captured.append(real(*args, **kwargs))
                return captured[-1]

            return call

        for module, name, real in originals:
            setattr(module, name, spy(real))
        try:
            result = ingest_module.ingest(
                Warehouse(home),
                data,
                feed=feed,
                unit_code=unit_code,
                file_name=file_name,
                today=TODAY,
                refresh=False,
            )
        finally:
            for module, name, real in originals:
                setattr(module, name, real)
        answer |= {
            "kind": "refused" if result.status == "refused" else "prepared",
            "status": result.status,
            "reason": result.reason,
            "rows_accepted": result.rows_accepted,
        }
        if captured and result.status == "loaded":
            answer["summary"] = summarise(captured[-1])
    except FileRefused as refused:
        answer |= {"kind": "refused", "reason": refused.reason}
    except BaseException as exc:
        answer |= {
            "kind": "error",
            "error_type": error_name(exc),
            "error": str(exc)[:500],
            "traceback": short_traceback(),
        }
    return answer


def _serve(conn, stderr_path: str, memory_bytes: int) -> None:
    # A spawned child's __main__ is `python -c` (no __spec__, no __file__) when the parent ran
    # `python -m pytest`. Great Expectations imports pyspark.sql.connect when pyspark is installed
    # (the city extra), and pyspark takes such a __main__ for its own doctest run and calls
    # sys.exit(0) ("Skipping doctests: No module named 'grpc'"): the worker ended at its first
    # Great Expectations import. Give __main__ the file it runs.
    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is None and not hasattr(main, "__file__"):
        main.__file__ = __file__
    with open(stderr_path, "ab") as err:
        os.dup2(err.fileno(), 2)  # Rust's "memory allocation of … failed" lands here
    from kernel import contracts as c
    from pipelines.ingest import prepare

    # Warm up: Great Expectations and fastexcel imported, thread pools started, before the limit.
    for relative, feed in (
        ("violations/utf8_comma.csv", "violations"),
        ("violations/excel.xlsx", "violations"),
    ):
        prepare((FIXTURES / relative).read_bytes(), c.feed(feed), fixture_reference(), unit_code="CAP")
    limit = _vm("VmSize") + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
    conn.send({"ready": True, "rss": _vm("VmRSS"), "address_limit": limit})
    while True:
        request = conn.recv()
        if request is None:
            return
        _reset_peak()
        rss_before = _vm("VmRSS")
        wall, cpu = time.perf_counter(), _cpu()
        answer = _run(request)
        answer |= {
            "wall": time.perf_counter() - wall,
            "cpu": _cpu() - cpu,
            "rss_before": rss_before,
            "rss_peak": max(_vm("VmHWM"), rss_before),
        }
        conn.send(answer)


class Worker:
    """One warm child; restarted after it dies. `ask` never raises for what the file does."""

    def __init__(self, memory_bytes: int = 2 * GIB, hang_seconds: float = 180.0):
        self.memory_bytes = memory_bytes
        self.hang_seconds = hang_seconds
        self.process = None
        self.conn = None
        handle, self.stderr_path = tempfile.mkstemp(prefix="fuzz-worker-", suffix=".log")
        os.close(handle)
        self.started = 0

    def _start(self) -> None:
        """Start the child. It is spawned with a bare `__main__`: multiprocessing's spawn re-runs the
        parent's `__main__` file in the child, and after a page test in the same pytest process that is
        dashboard/app.py (AppTest runs it as `__main__`), which failed there and killed the child at
        its start (exit code 1), in whichever process had run a page test before the fuzz tests."""
        context = mp.get_context("spawn")  # never fork a process that runs Polars' thread pool
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, self.stderr_path, self.memory_bytes), daemon=True
        )
        real_main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            self.process.start()
        finally:
            sys.modules["__main__"] = real_main
        child.close()
        if not self.conn.poll(600):
            self._stop()
            raise RuntimeError("fuzz worker did not start within 600 s")
        try:
            self.conn.recv()
        except (EOFError, OSError):
            self.process.join(10)
            code = self.process.exitcode
            self._stop()
            raise RuntimeError(
                f"fuzz worker died while starting (exit code {code}); its stderr:\n{self._stderr()}\n"
                "(what failed before its own code ran is in this test's captured stderr)"
            ) from None
        self.started += 1

    def _stderr(self) -> str:
        """What the child wrote to stderr for this file: the start (the cause) and the end."""
        with open(self.stderr_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return text if len(text) <= 6000 else text[:4000] + "\n…\n" + text[-2000:]

    def _stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(10)
        self.process = self.conn = None

    def ask(self, op: str, data: bytes, feed: str, unit_code: str, file_name: str, home: str = "") -> dict:
        if self.process is None or not self.process.is_alive():
            self._start()
        open(self.stderr_path, "wb").close()
        started = time.perf_counter()
        self.conn.send((op, data, feed, unit_code, file_name, home))
        if self.conn.poll(self.hang_seconds):
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                pass
            self.process.join(10)
            code = self.process.exitcode
            answer = {"kind": "died", "exitcode": code, "stderr": self._stderr()}
        else:
            answer = {"kind": "hang", "stderr": self._stderr()}
        answer["wall"] = time.perf_counter() - started
        self._stop()
        return answer

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(10)
            except OSError:
                pass
        self._stop()
        os.unlink(self.stderr_path)
