"""Deterministic fault points for the crash and full-disk tests.

`fault_point(name)` does nothing unless the environment variable DOTHIXANH_FAULT
names that point: then the process kills itself with SIGKILL at that very
place, as a power cut or an OOM kill would. `DOTHIXANH_FAULT=publish` matches
every point whose name starts with `publish-` (the first one reached fires);
`name@N` fires only the N-th time the point is reached in this process.

The points, in the order a load meets them:

- `reading`       the file is being read (pipelines.ingest.prepare)
- `loading`       rows inserted, before COMMIT (warehouse.load.load_feed)
- `commit`        after COMMIT, before the marts refresh (pipelines.ingest.ingest)
- `refresh`       in the middle of the marts refresh (warehouse.refresh.refresh_marts)
- `publish-copy`  in the middle of copying the master to a new snapshot version
- `publish-link`  after the copy, before `snapshot.duckdb` moves to it

`disk_full(name)` is the full-disk hook: True when DOTHIXANH_FAULT is
`disk-full` (the free-space probe reports a full disk) or names the write
`name` (`disk-full-publish`: copying a snapshot fails with ENOSPC;
`disk-full-store`: keeping the original file fails with ENOSPC).
"""

from __future__ import annotations

import errno
import os
import signal
from collections import Counter

ENV = "DOTHIXANH_FAULT"
_reached: Counter[str] = Counter()


def _wanted() -> tuple[str, int]:
    value = os.environ.get(ENV, "").strip()
    name, _, nth = value.partition("@")
    return name, int(nth) if nth.isdigit() else 1


def fault_point(name: str) -> None:
    """SIGKILL this process here when DOTHIXANH_FAULT names this point (no-op otherwise)."""
    wanted, nth = _wanted()
    if not wanted or not (wanted == name or name.startswith(wanted + "-")):
        return
    _reached[name] += 1
    if _reached[name] == nth:
        os.kill(os.getpid(), signal.SIGKILL)


def disk_full(name: str | None = None) -> bool:
    """True when the full-disk hook is on for this write (or, without a name, for the free-space probe)."""
    wanted, _ = _wanted()
    if name is None:
        return wanted == "disk-full"
    return wanted == f"disk-full-{name}"


def raise_if_disk_full(name: str, path: os.PathLike | str) -> None:
    """Raise the OSError a full disk gives, when the hook names this write."""
    if disk_full(name):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
