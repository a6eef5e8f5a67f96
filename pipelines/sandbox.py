"""Judge untrusted files in warm worker processes with hard limits, never in the caller.

A `Sandbox` keeps a few workers (`python -m pipelines.sandbox_worker`, each with
Great Expectations imported and every suite built) and hands each file to an idle
one. The worker reads, types and validates under RLIMIT_AS and RLIMIT_CPU; the
parent enforces the wall clock by killing it. A worker that dies or breaks a limit
costs only itself: the file is refused with the limit it broke, and a fresh worker
takes its place. The worker writes its result as Arrow IPC files (accepted rows,
errors) into a private folder the caller made, which the caller maps into memory:
a 1.000.000-row file's 150 MB of rows never cross a pipe, and nothing the worker
sends is ever unpickled. A file already kept in the warehouse is handed over by its
path (`judge(path=...)`), a preview's bytes through the pipe.

The dashboard and tests use the process's own pool (`default_sandbox()`); the
command line reaches a long-lived pool through `pipelines.sandbox_service` when
one runs, else starts a fresh sandboxed child (`judge(..., sandbox=...)`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import logging
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from kernel import contracts as c
from pipelines.messages import Reference
from pipelines.precheck import TOO_BIG, positive_ints_from_env
from pipelines.precheck import Limits as PrecheckLimits
from pipelines.reading import FileRefused

ROOT = Path(__file__).resolve().parent.parent  # where `python -m pipelines.sandbox_worker` resolves
Progress = Callable[[str], None]
_LEN = struct.Struct("!Q")
_MAX_HEADER = 64 * 1024 * 1024


def _quiet(_: str) -> None:
    pass


class SandboxError(Exception):
    """The sandbox itself could not run (no worker would start); the message is Vietnamese."""


# -- framing: a JSON header with the lengths of the binary blobs that follow it ------------
def send(stream, header: dict, blobs: list[bytes] | tuple = ()) -> None:
    raw = json.dumps({**header, "blobs": [len(b) for b in blobs]}, ensure_ascii=False, default=str).encode()
    stream.write(_LEN.pack(len(raw)) + raw)
    for blob in blobs:
        stream.write(blob)
    stream.flush()


def _read_exact(stream, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) < n:
        raise EOFError("stream ended")
    return data


def receive(stream) -> tuple[dict, list[bytes]]:
    head = stream.read(_LEN.size)
    if not head or len(head) < _LEN.size:
        raise EOFError("stream ended")
    (size,) = _LEN.unpack(head)
    if size > _MAX_HEADER:
        raise EOFError("header too large")
    header = json.loads(_read_exact(stream, size))
    return header, [_read_exact(stream, n) for n in header.pop("blobs", [])]


# -- limits ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    """Per-file limits of a worker, and the pool's size (defaults fit a 2-core, 24 GB server)."""

    memory_mb: int = 4096  # DOTHIXANH_SANDBOX_MEMORY_MB: address space of a worker (RLIMIT_AS)
    cpu_seconds: int = 120  # DOTHIXANH_SANDBOX_CPU_SECONDS: CPU time for one file (RLIMIT_CPU)
    timeout_seconds: int = 180  # DOTHIXANH_SANDBOX_TIMEOUT_SECONDS: wall clock for one file
    workers: int = 2  # DOTHIXANH_SANDBOX_WORKERS: files judged side by side
    recycle_mb: int = 1536  # DOTHIXANH_SANDBOX_RECYCLE_MB: a worker bigger than this after a file is replaced
    # DOTHIXANH_SANDBOX_NICE: how many steps a worker's CPU priority is below its parent's (19 is the
    # lowest), so that judging a file gives way to the pages people wait for; its CPU limit is unchanged
    nice: int = 10

    @classmethod
    def from_env(cls) -> Limits:
        """Every limit from DOTHIXANH_SANDBOX_<NAME IN CAPITALS>; a missing or bad value keeps the default."""
        return cls(**positive_ints_from_env(cls, "DOTHIXANH_SANDBOX_"))


def _refusal(what: str, variable: str) -> FileRefused:
    """The clerk is told the limit, not the setting's name (`variable`, for the operator's log)."""
    refused = FileRefused(
        f"{TOO_BIG}: việc đọc và kiểm tra tệp đã vượt {what} nên đã bị dừng; "
        "các tệp khác không bị ảnh hưởng. Hãy kiểm tra tệp (có quá nhiều dòng, cột hay ô rất dài?), "
        "chia nhỏ hoặc lưu lại từ Excel rồi gửi lại."
    )
    refused.setting = variable
    logging.getLogger("dothixanh.sandbox").warning("A worker was stopped at %s (setting %s)", what, variable)
    return refused


# -- one worker -------------------------------------------------------------------------------
class _Died(Exception):
    def __init__(self, refusal: FileRefused):
        super().__init__(refusal.reason)
        self.refusal = refusal


class Worker:
    """One warm worker process and its pipes."""

    def __init__(self, env: dict[str, str] | None = None, startup_timeout: float = 300, nice: int = 0):
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.sandbox_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=ROOT,
            env={**os.environ, "MALLOC_ARENA_MAX": "2", **(env or {})},
        )
        # `nice` steps below this process's CPU priority, set at once: warming up (GX's imports) is
        # seconds of CPU too.
        priority = min(os.getpriority(os.PRIO_PROCESS, 0) + nice, 19)
        os.setpriority(os.PRIO_PROCESS, self.process.pid, priority)
        self.rss_mb = 0
        with self._deadline(startup_timeout) as fired:
            try:
                ready, _ = receive(self.process.stdout)
            except (EOFError, OSError, ValueError):
                ready = {}
        if ready.get("status") != "ready":
            self.kill()
            why = "quá thời gian khởi động" if fired.is_set() else self.stderr_tail()
            raise SandboxError(f"Không khởi động được tiến trình đọc tệp an toàn ({why}).")
        self.pid = ready["pid"]
        self.rss_mb = ready.get("rss_mb", 0)

    @contextlib.contextmanager
    def _deadline(self, seconds: float):
        fired = threading.Event()

        def expire() -> None:
            fired.set()
            self.kill()

        timer = threading.Timer(seconds, expire)
        timer.daemon = True
        timer.start()
        try:
            yield fired
        finally:
            timer.cancel()

    def stderr_tail(self, size: int = 600) -> str:
        try:
            self.log.seek(0, io.SEEK_END)
            self.log.seek(max(0, self.log.tell() - size))
            return self.log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()

    def close(self) -> None:
        """Ask the worker to stop (end of input), then make sure it did."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            self.process.stdout.close()
            self.log.close()

    def job(self, request: dict, data: bytes | None, limits: Limits, progress: Progress) -> dict:
        """Run one request (`data`: the file's bytes, or None when the request names its path);
        raise _Died with the refusal when the worker dies or runs over."""
        request = {**request, "limits": {"memory_mb": limits.memory_mb, "cpu_s": limits.cpu_seconds}}
        with self._deadline(limits.timeout_seconds) as fired:
            try:
                send(self.process.stdin, request, [] if data is None else [data])
                while True:
                    reply, _ = receive(self.process.stdout)
                    if reply.get("status") != "progress":
                        break
                    progress(reply["step"])
            except (EOFError, OSError, ValueError):
                reply = None
        if reply is not None and reply.get("status") != "memory":
            self.rss_mb = reply.get("rss_mb", 0)
            return reply
        self.kill()
        code = self.process.wait()
        if fired.is_set():
            raise _Died(
                _refusal(
                    f"giới hạn thời gian {limits.timeout_seconds} giây", "DOTHIXANH_SANDBOX_TIMEOUT_SECONDS"
                )
            )
        if code == -signal.SIGXCPU:
            raise _Died(
                _refusal(f"giới hạn {limits.cpu_seconds} giây xử lý", "DOTHIXANH_SANDBOX_CPU_SECONDS")
            )
        raise _Died(_refusal(f"giới hạn bộ nhớ {limits.memory_mb} MB", "DOTHIXANH_SANDBOX_MEMORY_MB"))


# -- the pool ---------------------------------------------------------------------------------
class Sandbox:
    """A pool of warm workers; thread-safe; files beyond `limits.workers` wait for a free worker."""

    def __init__(self, limits: Limits | None = None, env: dict[str, str] | None = None):
        self.limits = limits or Limits.from_env()
        self.env = env
        self._idle: list[Worker] = []
        self._count = 0  # workers alive or starting
        self._ready = threading.Condition()
        self._closed = False

    def start(self, count: int | None = None) -> Sandbox:
        """Start workers in the background (returns at once) so the first file finds one warm."""
        for _ in range(min(count or self.limits.workers, self.limits.workers)):
            with self._ready:
                if self._count >= self.limits.workers:
                    break
                self._count += 1
            threading.Thread(target=self._spawn_idle, daemon=True, name="sandbox-start").start()
        return self

    def _spawn_idle(self) -> None:
        try:
            worker = Worker(self.env, nice=self.limits.nice)
        except SandboxError:
            with self._ready:
                self._count -= 1
                self._ready.notify_all()
            return
        self._release(worker)

    def _acquire(self) -> Worker:
        with self._ready:
            while True:
                if self._closed:
                    raise SandboxError("Bộ đọc tệp an toàn đã dừng.")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.limits.workers:
                    self._count += 1
                    break
                self._ready.wait()
        try:
            return Worker(self.env, nice=self.limits.nice)
        except SandboxError:
            with self._ready:
                self._count -= 1
                self._ready.notify_all()
            raise

    def _release(self, worker: Worker) -> None:
        with self._ready:
            if self._closed or not worker.alive():
                self._count -= 1
                worker.close() if self._closed else worker.kill()
            else:
                self._idle.append(worker)
            self._ready.notify_all()

    def _retire(self, worker: Worker, replace: bool) -> None:
        worker.close()
        with self._ready:
            self._count -= 1
            self._ready.notify_all()
        if replace and not self._closed:
            self.start(1)

    def run(self, request: dict, data: bytes | None, progress: Progress = _quiet) -> dict:
        """One request through an idle worker: its reply (the result itself is in the request's folder)."""
        worker = self._acquire()
        try:
            reply = worker.job(request, data, self.limits, progress)
        except _Died as died:
            self._retire(worker, replace=True)
            died.refusal.usage = {"worker_died": True}  # a limit stopped it: no figures to give
            raise died.refusal from None
        except BaseException:
            self._retire(worker, replace=True)
            raise
        if worker.rss_mb > self.limits.recycle_mb:
            self._retire(worker, replace=True)  # memory a big file left behind goes back to the system
        else:
            self._release(worker)
        return reply

    def pids(self) -> list[int]:
        with self._ready:
            return [w.pid for w in self._idle]

    def close(self) -> None:
        with self._ready:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._ready.notify_all()
        for worker in idle:
            worker.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_default: Sandbox | None = None
_default_lock = threading.Lock()


def default_sandbox(prestart: bool = True) -> Sandbox:
    """This process's pool (the dashboard's, the tests'), created once.

    `prestart` starts its workers at once (a server); without it a one-shot command starts
    only the one worker its file needs.
    """
    global _default
    with _default_lock:
        if _default is None or _default._closed:
            _default = Sandbox()
            if prestart:
                _default.start()
        return _default


def existing_sandbox() -> Sandbox | None:
    """This process's pool if it already has one (a test session, the demo build), else None."""
    with _default_lock:
        return _default if _default is not None and not _default._closed else None


# -- what comes back ---------------------------------------------------------------------------
@dataclass
class Judged:
    """A file judged in the sandbox: what `pipelines.ingest.Prepared` holds that a caller uses."""

    feed: str
    accepted: pl.DataFrame
    errors: pl.DataFrame  # MESSAGE_SCHEMA
    rows_total: int
    rejected_lines: int
    validation: dict
    extra_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    file_format: str = "csv"
    error_file: bytes = b""  # the rejected rows as .xlsx, when asked for
    date_order_hint: dict | None = None  # the file writes dates month/day/year (pipelines/dates.py)
    usage: dict = field(default_factory=dict)  # what judging cost the worker: cpu_seconds, peak_mb

    @property
    def contract(self) -> c.Contract:
        return c.ALL_CONTRACTS[self.feed]


def reference_json(reference: Reference) -> dict:
    return {
        "groups": {code: [name, hh] for code, (name, hh) in reference.groups.items()},
        "units": {code: [name, list(feeds)] for code, (name, feeds) in reference.units.items()},
        "locks": [[feed, month, by, at] for (feed, month), (by, at) in sorted(reference.locks.items())],
    }


def request_for(
    *,
    feed: str,
    unit_code: str | None,
    file_name: str,
    reference: Reference,
    out: str,
    path: str | None = None,
    today: dt.date | None = None,
    date_order: str | None = None,
    error_file: bool = False,
) -> dict:
    return {
        "feed": feed,
        "unit_code": unit_code,
        "file_name": file_name,
        "reference": reference_json(reference),
        "out": out,  # the folder the worker writes its result files into
        "path": path,  # the file to judge, when its bytes are not sent
        "today": today.isoformat() if today else None,
        "date_order": date_order,
        "error_file": error_file,
        "precheck": PrecheckLimits.from_env().to_json(),
        "feeds_home": str(c.active_home()),  # the ward whose own feeds the worker must know
    }


# The worker's result files in the caller's folder (pipelines/sandbox_worker.py writes them).
ACCEPTED_FILE, ERRORS_FILE, ERROR_WORKBOOK = "accepted.arrow", "errors.arrow", "errors.xlsx"


def decode(feed: str, reply: dict, out: Path) -> Judged:
    """The worker's reply as a Judged, or the refusal it carries raised as FileRefused.

    The rows are mapped from the worker's files in `out` (no copy: the caller may remove the
    folder at once, the mapping stays valid)."""
    status = reply.get("status")
    if status == "refused":
        refused = FileRefused(reply["reason"])
        refused.usage = reply.get("usage") or {}  # a refusal's cost, for the fuzz tests and benchmarks
        raise refused
    if status != "ok":
        raise FileRefused(
            "Không đọc được tệp do một lỗi của chương trình, không phải của tệp "
            f"({str(reply.get('message', status))[:300]}). Tệp gốc đã được lưu; hãy báo cho quản trị viên."
        )
    workbook = out / ERROR_WORKBOOK
    return Judged(
        feed=feed,
        accepted=_mapped(out / ACCEPTED_FILE),
        errors=_mapped(out / ERRORS_FILE),
        rows_total=reply["rows_total"],
        rejected_lines=reply["rejected_lines"],
        validation=reply["validation"],
        extra_columns=reply.get("extra_columns") or [],
        encoding=reply.get("encoding"),
        delimiter=reply.get("delimiter"),
        file_format=reply.get("file_format") or "csv",
        error_file=workbook.read_bytes() if workbook.exists() else b"",
        date_order_hint=reply.get("date_order_hint"),
        usage=reply.get("usage") or {},
    )


def _mapped(path: Path) -> pl.DataFrame:
    """An Arrow IPC file as a frame over its mapped pages (0,02 s for 1.000.000 rows; reading it is 0,15 s)."""
    import pyarrow as pa
    import pyarrow.ipc

    with pa.memory_map(str(path)) as source:
        return pl.from_arrow(pa.ipc.open_file(source).read_all())


def judge(
    data: bytes | None = None,
    *,
    path: Path | str | None = None,
    progress: Progress = _quiet,
    sandbox: Sandbox | None = None,
    **request,
) -> Judged:
    """Precheck, read, type and validate a file in a sandboxed worker; raise FileRefused with the reason.

    The file is `data`, or the file at `path` (a kept original: its bytes do not cross a pipe).
    `request`: the other keywords of `request_for` (feed, unit_code, file_name, reference, today, ...)."""
    if (data is None) == (path is None):
        raise TypeError("judge() takes the file's bytes or its path, one of them")
    with result_folder() as out:
        asked = request_for(**request, out=str(out), path=None if path is None else str(Path(path).resolve()))
        reply = (sandbox or default_sandbox()).run(asked, data, progress)
        return decode(request["feed"], reply, out)


JUDGED_PREFIX = "dothixanh-judged-"
_OWNER = ".owner"
_LEGACY_AGE = 3600  # a folder of an older release (no owner file): removed once it is an hour old


@contextlib.contextmanager
def result_folder():
    """A private folder (0700) for one file's results, owned by this caller while it lives.

    The caller holds a lock on the folder's owner file; a caller killed before its `finally`
    (kill -9, a power cut) leaves the folder, with a large file's rows in it, and the lock dies with
    it. So each new folder first removes the folders whose owner is gone."""
    remove_orphan_folders()
    out = Path(tempfile.mkdtemp(prefix=JUDGED_PREFIX))
    try:
        with open(out / (_OWNER + ".new"), "w") as owner:
            fcntl.flock(owner, fcntl.LOCK_EX)
            # Named as the owner file only once locked: a cleaner never finds it unlocked while we live.
            os.rename(out / (_OWNER + ".new"), out / _OWNER)
            yield out
    finally:
        shutil.rmtree(out, ignore_errors=True)


def remove_orphan_folders(base: Path | str | None = None) -> list[Path]:
    """Remove result folders whose owner died; return them. A folder still being made (no owner
    file yet) is left alone unless it is an hour old (or from before the owner files)."""
    removed = []
    for folder in Path(base or tempfile.gettempdir()).glob(JUDGED_PREFIX + "*"):
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            owner = os.open(folder / _OWNER, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _LEGACY_AGE:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its caller is alive
        finally:
            os.close(owner)  # (a lock taken here goes with the descriptor)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
