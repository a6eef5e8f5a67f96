"""Builds that cost half a minute or more (the demo ward, the marts ward), shared by every test process."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None], target: Path) -> Path:
    """`build(folder)` once for the whole run, whichever test process (pytest-xdist) needs it first,
    under a file lock in the run's shared temporary folder; then copied to `target`, this process's own.

    One test process (no xdist): built at `target` directly. Builds that cost half a minute or more
    (the demo ward, the marts ward) are shared this way instead of being built by every process."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        build(target)
        return target
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first one builds
        built = shared / "built"
        if not (shared / "done").exists():
            shutil.rmtree(built, ignore_errors=True)
            build(built)
            (shared / "done").touch()
    shutil.copytree(built, target, symlinks=True)  # snapshot.duckdb is a relative link
    return target
