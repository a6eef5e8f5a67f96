"""One archive holding a whole ward (`dothixanh backup`), and putting it back (`dothixanh restore`).

The archive is a gzip-compressed tar: `manifest.json` first (tool, format version, schema
version, when, counts, SHA-256 and size of every member), then the ward's home under `home/`:
the master warehouse, accounts and saved queries, settings.toml and its history, the
original files and the logs.

Consistency: the master `warehouse.duckdb` is copied under the writer lock (no load can
commit half-way through the copy), after a checkpoint, and the list of original files is
taken under the same lock. Original files are content-addressed and written before the load
that names them commits, so every file the copied warehouse refers to is in the list. (The
published snapshot is not used: it can lag the master after a crash, and it would then miss
uploads whose files are already kept.) Accounts are copied under their own lock. The lock is
held only for the copies into a staging folder; compression happens after.

Restoring reads the manifest first and refuses anything that is not a backup of this tool,
was written by a newer format or schema, names a path outside the home, holds a member the
manifest does not list, or whose bytes do not match their SHA-256. Nothing is put in place
before every member has been checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import duckdb

from kernel import contracts as c
from warehouse.accounts import Accounts
from warehouse.admin import HISTORY
from warehouse.schema import MIGRATIONS
from warehouse.settings import FILE_NAME as SETTINGS
from warehouse.store import Warehouse, now_vietnam

TOOL = "dothixanh"
FORMAT = "dothixanh-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PREFIX = "home"
CHUNK = 1 << 20
# What of a home a backup holds (everything else there is derived: snapshots, locks).
MASTER, ACCOUNTS, FILES, LOGS = "warehouse.duckdb", "accounts.duckdb", "files", "logs"
WARD_FEEDS = "feeds"  # the ward's own feed declarations and their suites


class BackupError(Exception):
    """A backup or restore refused; the message is Vietnamese and names the reason."""


@dataclass
class BackupSummary:
    path: Path
    manifest: dict

    @property
    def counts(self) -> dict:
        return self.manifest["counts"]


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version(TOOL)
    except Exception:
        return "0.1.0"


def known_migrations() -> list[str]:
    return sorted(p.name for p in MIGRATIONS.glob("*.sql"))


# -- backup -----------------------------------------------------------------------------------------
def create_backup(warehouse: Warehouse, output: Path, *, show_progress: bool = False) -> BackupSummary:
    """Write one consistent archive of the ward to `output` (atomically: never half an archive)."""
    output = Path(output).resolve()
    if not warehouse.master_path.exists():
        raise BackupError(f"Chưa có kho dữ liệu trong {warehouse.home}: không có gì để sao lưu.")
    if output.is_relative_to(warehouse.home) and not output.is_relative_to(warehouse.home / "backups"):
        raise BackupError(
            "Hãy ghi bản sao lưu ra ngoài thư mục kho dữ liệu (hoặc vào thư mục backups/ của kho)."
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with tempfile.TemporaryDirectory(prefix=".dothixanh-backup-", dir=output.parent) as staging:
            staged, files = _stage(warehouse, Path(staging))
            members = staged + files
            manifest = _manifest(warehouse, members, Path(staging))
            _write_archive(partial, manifest, members, show_progress)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Không ghi được bản sao lưu «{output}»: {exc.strerror or exc}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(output, manifest)


def _stage(warehouse: Warehouse, staging: Path) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """Copy what changes (databases, settings, logs) into `staging`; list what never changes (files)."""
    home = warehouse.home
    staged: list[tuple[str, Path]] = []
    with warehouse.writing() as con:  # the writer lock: no load commits while the master is copied
        con.execute("CHECKPOINT")
        shutil.copyfile(warehouse.master_path, staging / MASTER)
        files = sorted(p for p in (home / FILES).rglob("*") if p.is_file() and not p.name.endswith(".tmp"))
    staged.append((MASTER, staging / MASTER))
    if Accounts(home).copy_database(staging / ACCOUNTS):
        staged.append((ACCOUNTS, staging / ACCOUNTS))
    for relative in [SETTINGS, *_below(home, HISTORY), *_below(home, LOGS), *_below(home, WARD_FEEDS)]:
        source = home / relative
        if source.is_file():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            staged.append((relative, target))
    return staged, [(str(p.relative_to(home)), p) for p in files]


def _below(home: Path, folder: str) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in (home / folder).rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _manifest(warehouse: Warehouse, members: list[tuple[str, Path]], staging: Path) -> dict:
    return {
        "tool": TOOL,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": tool_version(),
        "created_at": now_vietnam().isoformat(timespec="seconds"),
        "home": str(warehouse.home),
        "schema": _schema(staging / MASTER),
        "counts": _counts(staging, sum(1 for name, _ in members if name.startswith(f"{FILES}/"))),
        "members": {
            f"{PREFIX}/{name}": {"sha256": _sha256(path), "size": path.stat().st_size}
            for name, path in members
        },
    }


def _schema(master: Path) -> dict:
    con = duckdb.connect(str(master), read_only=True)
    try:
        applied = [row[0] for row in con.sql("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    finally:
        con.close()
    return {"version": applied[-1] if applied else None, "migrations": applied}


def ward_counts(master: Path, accounts: Path | None) -> dict:
    """What a ward holds, counted: uploads, records of every feed, figures, accounts, saved queries."""
    counts: dict = {}
    con = duckdb.connect(str(master), read_only=True)
    try:
        counts["uploads"] = con.sql("SELECT count(*) FROM raw.uploads").fetchall()[0][0]
        tables = {
            row[0]
            for row in con.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core'").fetchall()
        }
        for feed in c.FEEDS:
            if feed in c.BUILTIN_FEEDS or feed in tables:  # a ward's own feed: only where it was added
                counts[feed] = con.sql(f"SELECT count(*) FROM core.{feed}").fetchall()[0][0]
        try:
            counts["indicator_values"] = con.sql("SELECT count(*) FROM marts.indicator_values").fetchall()[0][
                0
            ]
        except duckdb.CatalogException:
            counts["indicator_values"] = 0
    finally:
        con.close()
    counts["accounts"] = counts["saved_queries"] = 0
    if accounts is not None and accounts.exists():
        con = duckdb.connect(str(accounts), read_only=True)
        try:
            counts["accounts"] = con.sql("SELECT count(*) FROM users").fetchall()[0][0]
            counts["saved_queries"] = con.sql("SELECT count(*) FROM saved_queries").fetchall()[0][0]
        finally:
            con.close()
    return counts


def _counts(staging: Path, n_files: int) -> dict:
    counts = ward_counts(staging / MASTER, staging / ACCOUNTS)
    counts["files"] = n_files
    return counts


def _progress(total: int, desc: str, show: bool):
    from tqdm import tqdm

    # delay: nothing is drawn for work that ends within two seconds
    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        file=sys.stderr,
        disable=not show,
        delay=2,
        leave=False,
    )


def _write_archive(path: Path, manifest: dict, members: list[tuple[str, Path]], show: bool) -> None:
    total = sum(entry["size"] for entry in manifest["members"].values())
    with tarfile.open(path, "w:gz", compresslevel=6) as tar, _progress(total, "Sao lưu", show) as bar:
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o644
        tar.addfile(info, io.BytesIO(data))
        for name, source in members:
            info = tarfile.TarInfo(f"{PREFIX}/{name}")
            stat = source.stat()
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
            with open(source, "rb") as handle:
                tar.addfile(info, _Counting(handle, bar))
        tar.fileobj.flush()
        os.fsync(tar.fileobj.fileno())


class _Counting(io.RawIOBase):
    """A file read through tarfile, advancing the progress bar."""

    def __init__(self, handle, bar):
        self.handle, self.bar = handle, bar

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.bar.update(len(block))
        return block


# -- restore ----------------------------------------------------------------------------------------
def read_manifest(archive: Path) -> dict:
    """The manifest of a backup, or BackupError if the file is not a backup of this tool."""
    with _open(archive) as tar:
        return _check_manifest(archive, tar)


@contextlib.contextmanager
def _open(archive: Path) -> Iterator[tarfile.TarFile]:
    name = Path(archive).name
    if not Path(archive).is_file():
        raise BackupError(f"Không có tệp «{archive}».")
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115  (closed in the finally below)
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError(
            f"Tệp «{name}» không phải bản sao lưu của dothixanh (không đọc được dạng tar)."
        ) from None
    try:
        yield tar
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:  # zlib.error is an Exception too
        raise BackupError(f"Bản sao lưu «{name}» bị hỏng hoặc không đầy đủ ({exc}).") from None
    except Exception as exc:
        if type(exc).__module__ == "zlib":
            raise BackupError(f"Bản sao lưu «{name}» bị hỏng hoặc không đầy đủ ({exc}).") from None
        raise
    finally:
        tar.close()


def _check_manifest(archive: Path, tar: tarfile.TarFile) -> dict:
    name = Path(archive).name
    not_ours = f"Tệp «{name}» không phải bản sao lưu của dothixanh"
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 64 << 20:
        raise BackupError(f"{not_ours} (không có {MANIFEST} ở đầu tệp).")
    try:
        manifest = json.loads(tar.extractfile(first).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{not_ours} ({MANIFEST} không đọc được).") from None
    if not isinstance(manifest, dict) or manifest.get("tool") != TOOL or manifest.get("format") != FORMAT:
        raise BackupError(f"{not_ours}.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu «{name}» có định dạng phiên bản {version}, mới hơn phiên bản phần mềm này đọc được "
            f"({FORMAT_VERSION}). Hãy cập nhật dothixanh rồi khôi phục lại."
        )
    unknown = sorted(set(manifest.get("schema", {}).get("migrations", [])) - set(known_migrations()))
    if unknown:
        raise BackupError(
            f"Bản sao lưu «{name}» được tạo bởi phiên bản dothixanh mới hơn (lược đồ {', '.join(unknown)}). "
            "Hãy cập nhật dothixanh rồi khôi phục lại."
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or f"{PREFIX}/{MASTER}" not in members:
        raise BackupError(f"{not_ours} (danh mục không có kho dữ liệu).")
    for member in members:
        _safe_relative(name, member)
    return manifest


def _safe_relative(archive_name: str, member: str) -> PurePosixPath:
    """The member's path inside the home; refuse absolute paths, `..`, and anything outside home/."""
    path = PurePosixPath(member)
    parts = path.parts
    if (
        path.is_absolute()
        or "\\" in member
        or len(parts) < 2
        or parts[0] != PREFIX
        or any(part in ("", ".", "..") for part in parts)
        or "\0" in member
    ):
        raise BackupError(
            f"Bản sao lưu «{archive_name}» có tên tệp không hợp lệ «{member}» (ra ngoài thư mục kho); "
            "không khôi phục gì."
        )
    return PurePosixPath(*parts[1:])


def _is_empty_home(home: Path) -> bool:
    return not home.exists() or not any(home.iterdir())


def restore_backup(
    archive: Path, home: Path, *, force: bool = False, show_progress: bool = False
) -> BackupSummary:
    """Put a backup back into `home` (empty, or with `force` the present content is moved aside)."""
    archive, home = Path(archive).resolve(), Path(home).resolve()
    name = archive.name
    if home.exists() and not home.is_dir():
        raise BackupError(f"«{home}» không phải một thư mục.")
    if not _is_empty_home(home) and not force:
        raise BackupError(
            f"Thư mục {home} đã có dữ liệu; chỉ khôi phục vào thư mục trống. Dùng --force để vẫn khôi phục "
            "(dữ liệu đang có được chuyển sang một thư mục con, không bị xóa)."
        )
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=home))
    try:
        with _open(archive) as tar:
            manifest = _check_manifest(archive, tar)
            expected = manifest["members"]
            total = sum(int(entry.get("size", 0)) for entry in expected.values())
            seen: set[str] = set()
            with _progress(total, "Khôi phục", show_progress) as bar:
                for member in tar:
                    if member.name == MANIFEST and not seen and MANIFEST not in seen:
                        seen.add(MANIFEST)  # read already, first in the archive
                        continue
                    relative = _safe_relative(name, member.name)
                    if (
                        member.name not in expected
                        or member.name in seen
                        or not member.isfile()
                        or member.size != expected[member.name].get("size")
                    ):
                        raise BackupError(
                            f"Bản sao lưu «{name}» có tệp «{member.name}» không có trong danh mục; không khôi phục gì."
                        )
                    seen.add(member.name)
                    target = staging.joinpath(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with tar.extractfile(member) as source, open(target, "wb") as out:
                        while block := source.read(CHUNK):
                            digest.update(block)
                            out.write(block)
                            bar.update(len(block))
                    if digest.hexdigest() != expected[member.name]["sha256"]:
                        raise BackupError(
                            f"Tệp «{member.name}» trong bản sao lưu «{name}» đã bị sửa (mã băm SHA-256 không "
                            "khớp với danh mục); không khôi phục gì."
                        )
            missing = sorted(set(expected) - seen - {MANIFEST})
            if missing:
                raise BackupError(
                    f"Bản sao lưu «{name}» thiếu {len(missing)} tệp (ví dụ «{missing[0]}»); không khôi phục gì."
                )
        moved = _move_aside(home, staging) if force else None
        for entry in staging.iterdir():
            os.replace(entry, home / entry.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    _bring_up(Warehouse(home))
    manifest["moved_aside"] = str(moved) if moved else None
    return BackupSummary(archive, manifest)


def _move_aside(home: Path, staging: Path) -> Path | None:
    """With --force: what the home held goes into home/truoc-khoi-phuc-<time>/ (nothing is deleted)."""
    keep = [p for p in home.iterdir() if p != staging]
    if not keep:
        return None
    aside = home / f"truoc-khoi-phuc-{now_vietnam():%Y%m%d-%H%M%S}"
    aside.mkdir()
    for entry in keep:
        os.replace(entry, aside / entry.name)
    return aside


def _bring_up(warehouse: Warehouse) -> None:
    """Migrate the restored master to this version's schema and publish it for the dashboard."""
    with warehouse.writing():
        pass
    catch_up = getattr(warehouse, "catch_up", None)
    if catch_up is not None:
        catch_up()
