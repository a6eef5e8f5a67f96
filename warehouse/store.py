"""Where the warehouse lives, and how one writer and many readers share it.

DuckDB allows one read-write process or many readers, never both. So the
writer works alone on `warehouse.duckdb` (a file lock serialises writers: a
second load waits, it does not fail) and, after each committed change,
publishes a copy as `snapshot.duckdb` with an atomic rename. The dashboard,
`dothixanh sql` and analysts' own tools open the snapshot read-only and never
meet the writer's lock; a reader that opened the previous snapshot keeps
reading it consistently until it reconnects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.schema import migrate

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def now_vietnam() -> dt.datetime:
    """The current time in Vietnam, as a naive timestamp (the warehouse stores local time)."""
    return dt.datetime.now(VIETNAM).replace(tzinfo=None)


def default_home() -> Path:
    return Path(os.environ.get("DOTHIXANH_HOME") or "data").resolve()


class WarehouseMissing(Exception):
    """No published warehouse yet (run `dothixanh init` or `dothixanh demo`)."""


class Warehouse:
    """A ward's warehouse in one folder: master database, published snapshot, original files."""

    def __init__(self, home: Path | str | None = None):
        self.home = Path(home).resolve() if home else default_home()
        self.master_path = self.home / "warehouse.duckdb"
        self.snapshot_path = self.home / "snapshot.duckdb"
        self.files_dir = self.home / "files"
        self.lock_path = self.home / "write.lock"
        self.snapshots_dir = self.home / "snapshots"

    # -- writing -----------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Exclusive read-write connection; on clean exit the change is published to readers."""
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # blocks until the other writer is done
            try:
                con = duckdb.connect(str(self.master_path))
                try:
                    migrate(con)
                    yield con
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                self._publish()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _publish(self) -> None:
        """Copy the master to a new, uniquely named snapshot and point `snapshot.duckdb` at it.

        Each version has its own file name, so a process that keeps connections open (the
        dashboard) sees a new database when the link moves, never a file swapped under a
        name DuckDB has already cached. Old versions are removed once superseded for a while;
        a reader still holding one keeps reading it (the file lives until it is closed).
        """
        self.snapshots_dir.mkdir(exist_ok=True)
        version = self.snapshots_dir / f"snapshot-{time.time_ns()}.duckdb"
        tmp = version.with_suffix(".tmp")
        shutil.copyfile(self.master_path, tmp)
        os.replace(tmp, version)
        link = self.snapshot_path.with_name(f".snapshot-{os.getpid()}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(version.relative_to(self.home))
        os.replace(link, self.snapshot_path)
        self._prune_snapshots(keep=version)

    def _prune_snapshots(self, keep: Path, grace_seconds: float = 300) -> None:
        versions = sorted(self.snapshots_dir.glob("snapshot-*.duckdb"))
        now = time.time()
        for old in versions[:-3]:
            if old != keep and now - old.stat().st_mtime > grace_seconds:
                old.unlink(missing_ok=True)

    @staticmethod
    def file_path(sha256: str) -> str:
        """Where the original bytes with this hash are kept, relative to home."""
        return str(Path("files") / sha256[:2] / sha256)

    def store_file(self, data: bytes, sha256: str) -> str:
        """Keep the original bytes, content-addressed; return the path relative to home."""
        relative = self.file_path(sha256)
        target = self.home / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        return relative

    def original_file(self, stored_path: str) -> bytes:
        return (self.home / stored_path).read_bytes()

    # -- reading -----------------------------------------------------------------
    def exists(self) -> bool:
        return self.snapshot_path.exists()

    def connect_reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the published snapshot."""
        if not self.snapshot_path.exists():
            raise WarehouseMissing(
                f"Chưa có kho dữ liệu trong {self.home}. Hãy chạy 'dothixanh init' "
                "(hoặc 'dothixanh demo' để tạo phường mẫu)."
            )
        return duckdb.connect(str(self.current_snapshot()), read_only=True)

    def current_snapshot(self) -> Path:
        """The file of the snapshot published last (what `snapshot.duckdb` points at)."""
        return self.snapshot_path.resolve()

    @contextlib.contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self.connect_reader()
        try:
            yield con
        finally:
            con.close()

    def snapshot_version(self) -> str | None:
        """Identity of the published snapshot (changes at every publish)."""
        return self.current_snapshot().name if self.snapshot_path.exists() else None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
