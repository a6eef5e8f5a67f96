"""Where the warehouse lives, and how one writer and many readers share it.

DuckDB allows one read-write process or many readers, never both. So the
writer works alone on `warehouse.duckdb` (a file lock serialises writers: a
second load waits, it does not fail) and, after each committed change,
publishes a copy as `snapshot.duckdb` with an atomic rename. The dashboard,
`dothixanh sql` and analysts' own tools open the snapshot read-only and never
meet the writer's lock; a reader that opened the previous snapshot keeps
reading it consistently until it reconnects.

Crashes. Every writer first bumps a publish sequence number in the master
(`publish_state`); each snapshot carries the number it was copied with. A
writer killed anywhere after that leaves the master ahead of the snapshot,
and a refresh killed (or never reached) leaves the marts behind their inputs
(warehouse.refresh.marts_behind). The next writer, and `dothixanh serve` at
start (`Warehouse.catch_up`), finish both, and remove what a killed publish
left behind (`snapshots/*.tmp`, `.snapshot-PID.link`).

Bounded storage. At most DOTHIXANH_SNAPSHOTS (default 3) versions are kept,
the current one included, plus any version still open: our readers hold a
shared `flock` on the version file they opened, and other tools' DuckDB holds
its own lock on it; the pruner skips a file carrying either. Before copying,
the pruner makes room, so even during a publish the unopened versions number
at most DOTHIXANH_SNAPSHOTS.

Full disk. `space_refusal` tells a load, before it commits, whether there is
room for it and one more snapshot. Once a load has committed nothing fails it:
a refresh or publish that fails afterwards is kept as `after_commit_warning`
and done again by the next writer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import shutil
import struct
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import duckdb

from kernel import contracts as c
from warehouse.faults import disk_full, fault_point, raise_if_disk_full
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
        # Set when a change committed but its refresh or publish failed (the next writer redoes it).
        self.after_commit_warning: str | None = None

    # -- writing -----------------------------------------------------------------
    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # blocks until the other writer is done
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def writing(self, *, catch_up: bool = True, publish: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """Exclusive read-write connection; on clean exit the change is published to readers.

        Before the caller's work, whatever a crashed writer left undone is finished: its
        leftovers are removed and, unless `catch_up=False` (a caller that refreshes the marts
        itself), marts behind their inputs are rebuilt. `publish=False` leaves publishing to a
        later writer (a batch of loads); the snapshot is then known to be behind.
        """
        from warehouse.refresh import catch_up_marts

        self.after_commit_warning = None
        with self._write_lock(), c.using_home(self.home):  # this ward's own feeds, whatever the env says
            self._clean_leftovers()
            con = duckdb.connect(str(self.master_path))
            publishable = False
            try:
                migrate(con)
                _ensure_publish_state(con)
                if catch_up:
                    self.after_commit(lambda: catch_up_marts(con, self.home))
                # From here until the next publish the snapshot is behind the master.
                con.execute("UPDATE publish_state SET seq = seq + 1")
                yield con
                publishable = self.after_commit(lambda: con.execute("CHECKPOINT"))
            except duckdb.Error as exc:  # before the commit: a full disk is said as the OSError it is
                if _no_space(exc):
                    raise OSError(errno.ENOSPC, str(exc)) from exc
                raise
            finally:
                try:
                    con.close()
                except duckdb.Error as exc:  # a failed checkpoint at close: the WAL keeps the change
                    publishable = False
                    self._warn(exc)
            if publishable and publish:
                self.after_commit(self._publish)

    def _warn(self, exc: BaseException) -> None:
        if self.after_commit_warning is None:
            self.after_commit_warning = explain_write_error(exc)

    def after_commit(self, step) -> bool:
        """Run a step whose failure must not fail committed work: keep the reason for the caller."""
        try:
            step()
        except Exception as exc:  # disk full, I/O error: the next writer catches up
            self._warn(exc)
            return False
        return True

    def catch_up(self) -> dict:
        """Finish what a crash left undone: rebuild stale marts, publish a snapshot behind the master.

        `dothixanh serve` calls it at start; every writer does the same before its own work.
        Returns what was done: {"refreshed": bool, "published": bool, "warning": str | None}.
        """
        from warehouse.refresh import catch_up_marts

        done = {"refreshed": False, "published": False, "warning": None}
        if not self.master_path.exists():
            return done
        self.after_commit_warning = None
        with self._write_lock(), c.using_home(self.home):  # this ward's own feeds, whatever the env says
            self._clean_leftovers()
            try:
                con = duckdb.connect(str(self.master_path))
                try:
                    migrate(con)
                    _ensure_publish_state(con)
                    done["refreshed"] = catch_up_marts(con, self.home)
                    seq = _master_seq(con)
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
            except Exception as exc:  # reported; readers keep the last snapshot
                self._warn(exc)
            else:
                if done["refreshed"] or self.published_seq() != seq:
                    done["published"] = self.after_commit(self._publish)
        done["warning"] = self.after_commit_warning
        return done

    def published_seq(self) -> int | None:
        """The publish sequence number the current snapshot was copied with (None if unreadable)."""
        if not self.snapshot_path.exists():
            return None
        try:
            con = duckdb.connect(str(self.current_snapshot()), read_only=True)
        except (duckdb.Error, OSError):
            return None  # missing or damaged: the next publish replaces it
        return _closing_seq(con)

    def master_seq(self) -> int | None:
        """The master's publish sequence number (None before the first writer); no writer may be running."""
        if not self.master_path.exists():
            return None
        con = duckdb.connect(str(self.master_path), read_only=True)
        return _closing_seq(con)

    def _publish(self) -> None:
        """Copy the master to a new, uniquely named snapshot and point `snapshot.duckdb` at it.

        Each version has its own file name, so a process that keeps connections open (the
        dashboard) sees a new database when the link moves, never a file swapped under a
        name DuckDB has already cached. Old versions are pruned (see `_prune_snapshots`);
        a reader still holding one keeps it.
        """
        self.snapshots_dir.mkdir(exist_ok=True)
        self._prune_snapshots(making_room=True)
        version = self.snapshots_dir / f"snapshot-{time.time_ns()}.duckdb"
        tmp = version.with_suffix(".tmp")
        try:
            copy_file(self.master_path, tmp)
            os.replace(tmp, version)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fault_point("publish-link")
        link = self.snapshot_path.with_name(f".snapshot-{os.getpid()}.link")
        link.unlink(missing_ok=True)
        try:
            link.symlink_to(version.relative_to(self.home))
            os.replace(link, self.snapshot_path)
        except BaseException:
            link.unlink(missing_ok=True)
            raise
        self._prune_snapshots()

    def keep_versions(self) -> int:
        """How many snapshot versions to keep besides open ones: DOTHIXANH_SNAPSHOTS, default 3."""
        try:
            return max(2, int(os.environ.get("DOTHIXANH_SNAPSHOTS", "3")))
        except ValueError:
            return 3

    def snapshot_versions(self) -> list[Path]:
        """Every published version file, oldest first."""
        if not self.snapshots_dir.exists():
            return []
        return sorted(self.snapshots_dir.glob("snapshot-*.duckdb"), key=_version_key)

    def _prune_snapshots(self, *, making_room: bool = False) -> list[Path]:
        """Remove versions beyond the newest `keep_versions()` (the current one counts), except open ones.

        `making_room` (before a copy) keeps one fewer, so the new copy does not exceed the bound.
        Returns the files removed.
        """
        limit = self.keep_versions() - (1 if making_room else 0)
        current = self.current_snapshot() if self.snapshot_path.exists() else None
        versions = self.snapshot_versions()
        if current in versions:  # the current version is always kept, and counts first
            versions.remove(current)
            versions.append(current)
        # Bytes too: the versions kept (and the copy about to be made) stay within that many times
        # the master (3× by default), even if the master shrank since older versions were copied.
        master = _size(self.master_path)
        budget = limit * master
        kept, used, removed = 0, 0, []
        for version in reversed(versions):  # the current one first, then newest first
            size = _size(version)
            if version == current or (kept < limit and used + size <= budget):
                kept += 1
                used += size
                continue
            if _remove_unless_open(version):
                removed.append(version)
        return removed

    def _clean_leftovers(self) -> None:
        """What a killed writer left: partial copies, half-made links, partial original files."""
        if self.snapshots_dir.exists():
            for tmp in self.snapshots_dir.glob("*.tmp"):
                tmp.unlink(missing_ok=True)  # only a writer (under the lock) makes these
        for link in self.home.glob(".snapshot-*.link"):
            link.unlink(missing_ok=True)
        if self.files_dir.exists():
            for tmp in self.files_dir.glob("*/*.tmp"):
                pid = tmp.suffixes[-2].lstrip(".") if len(tmp.suffixes) >= 2 else ""
                if not (pid.isdigit() and _alive(int(pid))):
                    tmp.unlink(missing_ok=True)

    # -- disk space --------------------------------------------------------------
    def space_needed(self, incoming_bytes: int) -> int:
        """Bytes a load of `incoming_bytes` (rows in memory, original file) needs before it may commit.

        The load writes its rows twice (write-ahead log, then the database file); the publish
        that follows writes one copy of the grown master; the marts rebuild and DuckDB's own
        blocks take a margin (a tenth of the master, and 8 MB).
        """
        master = _size(self.master_path) + _size(self.master_path.with_name(self.master_path.name + ".wal"))
        return (master + incoming_bytes) + 2 * incoming_bytes + master // 10 + 8 * 2**20

    def free_space(self) -> int:
        if disk_full():
            return 0
        return shutil.disk_usage(self.home).free

    def space_refusal(self, incoming_bytes: int) -> str | None:
        """A Vietnamese refusal when the disk has no room for this load and one snapshot, else None."""
        need, free = self.space_needed(incoming_bytes), self.free_space()
        if free >= need:
            return None
        return disk_full_message(need, free)

    # -- original files ----------------------------------------------------------
    @staticmethod
    def file_path(sha256: str) -> str:
        """Where the original bytes with this hash are kept, relative to home."""
        return str(Path("files") / sha256[:2] / sha256)

    def store_file(self, data: bytes, sha256: str) -> str:
        """Keep the original bytes, content-addressed; return the path relative to home.

        On a write error (a full disk) the partial file is removed before the error is raised.
        """
        relative = self.file_path(sha256)
        target = self.home / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            try:
                with open(tmp, "wb") as out:
                    half = len(data) // 2
                    out.write(data[:half])
                    raise_if_disk_full("store", tmp)
                    out.write(data[half:])
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        return relative

    def original_file(self, stored_path: str) -> bytes:
        return (self.home / stored_path).read_bytes()

    # -- reading -----------------------------------------------------------------
    def exists(self) -> bool:
        return self.snapshot_path.exists()

    def _open_version(self) -> tuple[Path, int]:
        """The current version file, opened and held with a shared lock (so no pruner removes it)."""
        for _ in range(10):
            path = self.current_snapshot()
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                continue  # pruned between resolving the link and opening: resolve again
            fcntl.flock(fd, fcntl.LOCK_SH)
            if os.fstat(fd).st_nlink:
                return path, fd
            os.close(fd)  # removed while we waited for the lock
        raise WarehouseMissing(f"Không mở được bản công bố của kho dữ liệu trong {self.home}.")

    def connect_reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the published snapshot (its version file is kept while it lives)."""
        if not self.snapshot_path.exists():
            raise WarehouseMissing(
                f"Chưa có kho dữ liệu trong {self.home}. Hãy chạy 'dothixanh init' "
                "(hoặc 'dothixanh demo' để tạo phường mẫu)."
            )
        path, fd = self._open_version()
        try:
            con = duckdb.connect(str(path), read_only=True)
        except BaseException:
            os.close(fd)
            raise
        weakref.finalize(con, os.close, fd)  # the shared lock lasts as long as the connection
        return con

    @contextlib.contextmanager
    def holding_snapshot(self) -> Iterator[Path]:
        """The current version file, kept from pruning while the caller (or its worker) reads it."""
        if not self.snapshot_path.exists():
            raise WarehouseMissing(f"Chưa có kho dữ liệu trong {self.home}.")
        path, fd = self._open_version()
        try:
            yield path
        finally:
            os.close(fd)

    def current_snapshot(self) -> Path:
        """The file of the snapshot published last (what `snapshot.duckdb` points at)."""
        return self.snapshot_path.resolve()

    @contextlib.contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.holding_snapshot() as path:
            con = duckdb.connect(str(path), read_only=True)
            try:
                yield con
            finally:
                con.close()

    def snapshot_version(self) -> str | None:
        """Identity of the published snapshot (changes at every publish)."""
        return self.current_snapshot().name if self.snapshot_path.exists() else None


def explain_write_error(exc: BaseException) -> str:
    """A failed write after the commit, in Vietnamese (a full disk said plainly)."""
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or _no_space(exc):
        return "ổ đĩa của máy chủ đã đầy"
    return f"lỗi ghi: {exc.__class__.__name__}: {text[:300]}"


def disk_full_message(need: int, free: int) -> str:
    from kernel.formats import number

    return (
        f"Ổ đĩa của máy chủ không còn đủ chỗ: cần khoảng {number(need / 2**20, 1)} MB để nạp tệp này "
        f"và cập nhật bảng điều khiển, chỉ còn {number(free / 2**20, 1)} MB. Chưa lưu gì vào kho; "
        "hãy báo quản trị hệ thống giải phóng dung lượng rồi gửi lại tệp."
    )


def disk_error_refusal(exc: OSError) -> str:
    """The refusal for a write that failed before the commit (a full disk, an I/O error)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            "Ổ đĩa của máy chủ đã đầy nên không ghi được tệp này. Chưa lưu gì vào kho; "
            "hãy báo quản trị hệ thống giải phóng dung lượng rồi gửi lại tệp."
        )
    return (
        f"Máy chủ không ghi được tệp ({exc.strerror or exc}). Chưa lưu gì vào kho; "
        "hãy báo quản trị hệ thống rồi gửi lại tệp."
    )


def _no_space(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "no space left" in text or "disk quota" in text


def _ensure_publish_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS publish_state (seq BIGINT NOT NULL)")
    con.execute("INSERT INTO publish_state SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM publish_state)")


def _closing_seq(con: duckdb.DuckDBPyConnection) -> int | None:
    """The publish sequence number `con` holds (None if it cannot be read); closes `con`."""
    try:
        return _master_seq(con)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _master_seq(con: duckdb.DuckDBPyConnection) -> int:
    return con.sql("SELECT max(seq) FROM publish_state").fetchall()[0][0]


def _version_key(path: Path) -> tuple[int, str]:
    stamp = path.stem.removeprefix("snapshot-")
    return (int(stamp) if stamp.isdigit() else 0, path.name)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_F_OFD_GETLK = getattr(fcntl, "F_OFD_GETLK", 36)
_FLOCK = "hhqqi4x"  # struct flock: l_type, l_whence, l_start, l_len, l_pid


def _held(fd: int) -> bool:
    """True when some process reads this version: our readers' shared flock, or DuckDB's own lock."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    try:
        probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, _F_OFD_GETLK, probe)
        return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK
    except OSError:
        return False


def _remove_unless_open(path: Path) -> bool:
    """Remove a version file unless a reader holds it; hold it exclusively while removing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        if _held(fd):
            return False
        path.unlink(missing_ok=True)  # still holding the exclusive flock: no reader slips in
        return True
    finally:
        os.close(fd)


_FICLONE = 0x40049409


def copy_file(source: Path, target: Path) -> str:
    """Copy a file: a reflink where the filesystem shares blocks (btrfs, XFS), else an in-kernel copy.

    Returns how it copied ("reflink" or "copy"). Raises OSError (ENOSPC on a full disk).
    """
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
            fault_point("publish-copy")
            return "reflink"
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise
        size = os.fstat(src.fileno()).st_size
        half = size // 2
        _copy_range(src.fileno(), dst.fileno(), 0, half)
        fault_point("publish-copy")
        raise_if_disk_full("publish", target)
        _copy_range(src.fileno(), dst.fileno(), half, size - half)
    return "copy"


def _copy_range(src: int, dst: int, offset: int, count: int) -> None:
    end = offset + count
    while offset < end:
        try:
            copied = os.copy_file_range(src, dst, end - offset, offset, offset)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                raise
            copied = _copy_plain(src, dst, offset, min(end - offset, 8 * 2**20))
        if copied == 0:
            break  # the source is shorter than it was
        offset += copied


def _copy_plain(src: int, dst: int, offset: int, count: int) -> int:
    data = os.pread(src, count, offset)
    written = 0
    while written < len(data):
        written += os.pwrite(dst, data[written:], offset + written)
    return len(data)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
