"""How long each script run takes on the server, for benchmarks/sessions.py (and for anyone measuring).

Off unless DOTHIXANH_RUN_LOG names a file: then every run of dashboard/app.py appends one line,
tab-separated: the time it ended (epoch seconds), the page's path, the run's wall-clock seconds and
the CPU seconds of the thread that ran it. With DOTHIXANH_PROFILE naming a folder as well, the page's
own run is profiled (cProfile) and its statistics written there, one file per run.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

_lock = threading.Lock()


class Run:
    """One script run, from `start()` to `finish()`."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.thread_time()
        self.done = False

    def finish(self, page: str) -> None:
        path = os.environ.get("DOTHIXANH_RUN_LOG")
        if self.done or not path:
            return
        self.done = True
        line = f"{time.time():.3f}\t{page}\t{time.perf_counter() - self.wall:.4f}\t{time.thread_time() - self.cpu:.4f}\n"
        with _lock, open(path, "a", encoding="utf-8") as log:
            log.write(line)


def start() -> Run:
    return Run()


@contextlib.contextmanager
def profiled(page: str):
    """cProfile around the page's run when DOTHIXANH_PROFILE names a folder; nothing otherwise."""
    folder = os.environ.get("DOTHIXANH_PROFILE")
    if not folder:
        yield
        return
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        Path(folder).mkdir(parents=True, exist_ok=True)
        name = f"{page.strip('/').replace('/', '_') or 'root'}-{time.time_ns()}.prof"
        profile.dump_stats(str(Path(folder) / name))
