"""A warm worker that judges untrusted files: `python -m pipelines.sandbox_worker`.

Started by pipelines.sandbox (never forked from a caller: Polars' thread pool does
not survive fork, and multiprocessing's spawn would re-run a Streamlit script). It
imports Great Expectations and builds every suite once, says it is ready, then
judges one file per request (precheck → read → type → validate) under the
per-file limits the request names: address space (RLIMIT_AS) and CPU seconds
(RLIMIT_CPU); the parent adds the wall clock and kills it when it runs over. A
worker that hits a limit dies, and only it: its parent refuses the file and starts
another one.

Messages on the protocol pipe are framed by pipelines.sandbox (`send`/`receive`);
stdout is pointed at stderr so that a library printing something cannot corrupt them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.abc
import importlib.util
import os
import resource
import signal
import sys
import threading
import time
import warnings
from pathlib import Path


def _die_with_parent() -> None:
    """End this worker as soon as its parent is gone, even in the middle of a file.

    (PR_SET_PDEATHSIG would fire when the parent *thread* that started us ends, and pools
    start workers from short-lived threads; so a watchdog thread polls the parent's pid.)
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


# Engines Great Expectations imports at start when they are installed, though a worker validates
# pandas frames only: with the city's Spark in the same environment (`make test`), pyspark alone
# cost each worker start about 2 s. Marked absent here, GX takes them as not installed.
UNUSED_ENGINES = ("pyspark", "py4j")
# Modules GX imports at start for what a worker never asks of it (distribution statistics, charts
# of results): loaded when first used instead. Together 3–4 s of the 10 s a worker took to start.
LOADED_WHEN_USED = ("scipy.stats", "altair")


class _LoadWhenUsed(importlib.abc.MetaPathFinder):
    """Finds the modules of LOADED_WHEN_USED as the other finders do, but runs them on first use."""

    def find_spec(self, name, path, target=None):
        if name not in LOADED_WHEN_USED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            if (spec := finder.find_spec(name, path, target)) is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def _lighter_start() -> None:
    for name in UNUSED_ENGINES:
        sys.modules.setdefault(name, None)  # `import pyspark` now raises ImportError
    if not any(isinstance(finder, _LoadWhenUsed) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LoadWhenUsed())


def _warm() -> None:
    """Everything a file will need, once per worker: GX and its suites, the Excel reader."""
    warnings.filterwarnings("ignore")
    _lighter_start()
    import fastexcel  # noqa: F401

    from kernel import contracts as c
    from pipelines.ingest import prepare
    from pipelines.messages import Reference
    from pipelines.reading import FileRefused
    from pipelines.templates import template_csv
    from pipelines.validation import _import_gx_quietly, _suite_and_batch

    _import_gx_quietly()
    for name in c.ALL_CONTRACTS:
        _suite_and_batch(name)
    # One run of one suite: GX and Polars pay their first-run costs here, not on a clerk's file.
    # Each other feed's first file costs about 0,3 s more (its metrics' first run); warming all ten
    # feeds would cost every worker start, and every one-shot `dothixanh ingest`, 4 s of CPU.
    contract = c.ALL_CONTRACTS["violations"]
    with contextlib.suppress(FileRefused):
        prepare(template_csv(contract), contract, Reference(), file_name="warm.csv")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit(memory_mb: int | None, cpu_s: float | None) -> None:
    infinity = resource.RLIM_INFINITY
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024 if memory_mb else infinity, infinity))
    resource.setrlimit(
        resource.RLIMIT_CPU, (int(_cpu_seconds() + cpu_s) + 1 if cpu_s else infinity, infinity)
    )


def _reset_peak() -> None:
    """Start a new peak-memory count for the next file (Linux: VmHWM, reset by clear_refs 5)."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def judge_request(request: dict, data: list[bytes], progress) -> dict:
    """One file: the reply header; the accepted rows, errors and error file are written as files
    into the request's folder `out` (pipelines.sandbox names them).

    `data` holds the file's bytes alone (empty when the request names the file's `path`), and is
    emptied once they are read (memory)."""
    from kernel import contracts as c

    home = request.get("feeds_home")
    with c.using_home(home) if home else contextlib.nullcontext():
        return _judge(request, data, progress)


def _judge(request: dict, data: list[bytes], progress) -> dict:
    from kernel import contracts as c
    from pipelines.ingest import check_unit, prepare
    from pipelines.messages import Reference
    from pipelines.precheck import Limits, precheck
    from pipelines.sandbox import ACCEPTED_FILE, ERROR_WORKBOOK, ERRORS_FILE

    _test_hooks(request["file_name"])
    contract = c.ALL_CONTRACTS[request["feed"]]
    reference = Reference(
        groups={code: (name, hh) for code, (name, hh) in request["reference"]["groups"].items()},
        units={code: (name, list(feeds)) for code, (name, feeds) in request["reference"]["units"].items()},
        locks={(f, m): (by, at) for f, m, by, at in request["reference"].get("locks", [])},
    )
    if request.get("path"):  # a kept original, read here rather than sent through the pipes
        with open(request["path"], "rb") as file:
            data[:] = [file.read()]
    progress("Kiểm tra cấu trúc tệp")
    precheck(data[0], request["file_name"], Limits(**request["precheck"]))
    unit_code = request.get("unit_code")
    if unit_code and request.get("check_unit", True):
        check_unit(reference, request["feed"], unit_code)
    extra = {"date_order": request["date_order"]} if request.get("date_order") else {}
    today = dt.date.fromisoformat(request["today"]) if request.get("today") else None
    prepared = prepare(
        data,
        contract,
        reference,
        unit_code=unit_code,
        file_name=request["file_name"],
        today=today,
        progress=progress,
        **extra,
    )
    out = Path(request["out"])
    if request.get("error_file") and prepared.rejected_lines:
        from pipelines.error_file import error_file_xlsx

        (out / ERROR_WORKBOOK).write_bytes(error_file_xlsx(prepared))
    extras = list(prepared.parsed.extras)
    hint = prepared.date_order_hint
    # The typed file and its cells as written are not sent: freed before the accepted rows are
    # written out.
    prepared.parsed.typed = prepared.parsed.strings = None
    # Written to files the caller maps: the rows never pass through this worker's memory again
    # (an in-memory buffer of them was a large file's peak) nor through a pipe.
    prepared.accepted.write_ipc(out / ACCEPTED_FILE, compression="uncompressed")
    prepared.errors.write_ipc(out / ERRORS_FILE, compression="uncompressed")
    return {
        "status": "ok",
        "rows_total": prepared.rows_total,
        "rejected_lines": prepared.rejected_lines,
        "validation": prepared.validation,
        "extra_columns": extras,
        "encoding": prepared.raw.encoding,
        "delimiter": prepared.raw.delimiter,
        "file_format": prepared.raw.file_format,
        "date_order_hint": hint,  # JSON-safe (pipelines/dates.py)
    }


def _test_hooks(file_name: str) -> None:
    """DOTHIXANH_SANDBOX_FAULT, for tests only: `kill-on:NAME` (the worker dies on that file) or
    `barrier:DIR:N` (each file waits, up to a minute, until N workers are judging at once)."""
    fault = os.environ.get("DOTHIXANH_SANDBOX_FAULT", "")
    if fault.startswith("kill-on:") and file_name == fault.removeprefix("kill-on:"):
        os.kill(os.getpid(), signal.SIGKILL)
    if fault.startswith("barrier:"):
        folder, count = fault.removeprefix("barrier:").rsplit(":", 1)
        with open(os.path.join(folder, f"{os.getpid()}.arrived"), "w"):
            pass
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(name.endswith(".arrived") for name in os.listdir(folder)) >= int(count):
                with open(os.path.join(folder, f"{os.getpid()}.met"), "w"):
                    pass
                return
            time.sleep(0.05)


def main() -> None:
    from pipelines.sandbox import receive, send

    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the protocol
    requests = sys.stdin.buffer
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _die_with_parent()
    _warm()
    send(protocol, {"status": "ready", "pid": os.getpid(), "rss_mb": round(_rss_mb())})
    from pipelines.reading import FileRefused

    while True:
        try:
            request, blobs = receive(requests)
        except EOFError:
            return
        limits = request.get("limits", {})

        def progress(step: str) -> None:
            send(protocol, {"status": "progress", "step": step})

        _reset_peak()
        cpu_before = _cpu_seconds()
        try:
            _limit(limits.get("memory_mb"), limits.get("cpu_s"))
            reply = judge_request(request, blobs, progress)  # it empties `blobs` (memory)
        except FileRefused as refused:
            reply = {"status": "refused", "reason": refused.reason}
        except MemoryError:
            _limit(None, None)
            send(protocol, {"status": "memory"})
            os._exit(3)  # a worker that ran out of memory may be half broken: its parent starts another
        except Exception as exc:  # a bug, not the file's fault: reported, the worker lives on
            reply = {"status": "error", "message": f"{exc.__class__.__name__}: {exc}"[:2000]}
        finally:
            _limit(None, None)
        reply["rss_mb"] = round(_rss_mb())
        # What this one file cost: the fuzz tests and benchmarks hold refusals to these.
        reply["usage"] = {"cpu_seconds": round(_cpu_seconds() - cpu_before, 3), "peak_mb": round(_peak_mb())}
        send(protocol, reply)


if __name__ == "__main__":
    main()
