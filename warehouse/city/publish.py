"""`dothixanh city publish`: the ward's published snapshot as Parquet in the city store.

Layout of the store (a folder; see the README for object storage)::

    DIR/<table>/ward=<code>/part-0.parquet       what readers glob (hive partitions by ward)
    DIR/.wards/<code>/<version>/<table>/...      the files themselves, never changed once written
    DIR/.wards/<code>/CURRENT                    the ward's current version (the commit point)

A publish writes every table into a temporary folder inside DIR, names it after a hash of its
files (the version) and then switches: first CURRENT (one atomic rename), then one symlink per
table. `city refresh` reads each ward through CURRENT, so it never sees half a ward; a plain glob
reader sees each table whole. Publishing the same snapshot again gives the same version: nothing
changes. Only the ward's own folders are touched, so wards publish side by side.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

WARDS_DIR = ".wards"
CURRENT = "CURRENT"
PART = "part-0.parquet"
KEEP_VERSIONS = 2  # the current one and the one before (a reader that resolved it a moment ago)

# What a ward shares: name in the store → the relation of the ward's snapshot it comes from.
LISTS = {"groups": "residential_groups", "units": "units"}
MARTS = {
    "indicators": "indicators",
    "periods": "periods",
    "measures": "marts.measures",
    "indicator_values": "indicator_values",
    "reporting_completeness": "reporting_completeness",
    "reporting_summary": "reporting_summary",
    "league_components": "league_components",
    "league_table": "league_table",
}
# Records carry personal fields (addresses, notes): shared only with [city] share_records = true.
RECORDS = {
    "violations": "violations",
    "cleanups": "cleanups",
    "lighting_repairs": "lighting_repairs",
    "sorting_inspections": "sorting_inspections",
}
# Keys qualified by ward where wards meet: TDP01 of one ward is not TDP01 of another.
QUALIFIED = {"group_code": "ward_group_key", "unit_code": "ward_unit_key"}


@dataclass
class Published:
    ward_code: str
    ward_name: str
    version: str
    changed: bool
    rows: dict[str, int] = field(default_factory=dict)


def shared_tables(share_records: bool) -> dict[str, str]:
    """The tables a ward sends to the city store, by its settings."""
    return {**LISTS, **MARTS, **(RECORDS if share_records else {})}


def publish_ward(home: Path, store: Path) -> Published:
    """Publish the ward at `home` (its current snapshot) into the city store `store`."""
    from warehouse.settings import load_settings
    from warehouse.store import Warehouse

    settings = load_settings(Path(home))
    tables = shared_tables(settings.share_records)
    with Warehouse(home).reading() as con:
        con.sql("SET threads = 1")  # one writer thread: the same snapshot gives the same bytes

        def write(folder: Path) -> dict[str, int]:
            rows = {"wards": _write_ward_row(con, folder, settings)}
            for name, source in tables.items():
                if _exists(con, source):
                    rows[name] = _write_table(con, source, settings.ward_code, folder / name / PART)
            return rows

        version, changed, rows = write_ward(Path(store), settings.ward_code, write)
    return Published(settings.ward_code, settings.ward_name, version, changed, rows)


def write_ward(
    store: Path, ward_code: str, write: Callable[[Path], dict[str, int]]
) -> tuple[str, bool, dict[str, int]]:
    """Write a ward's tables with `write(folder)` and switch the store to them in one step."""
    home = store / WARDS_DIR / ward_code
    home.mkdir(parents=True, exist_ok=True)
    with _ward_lock(home):
        tmp = home / f".tmp-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            rows = write(tmp)
            version = _version_of(tmp)
            final = home / version
            changed = _read_current(home) != version
            if final.exists():
                shutil.rmtree(tmp)
            else:
                _fsync_tree(tmp)
                os.rename(tmp, final)
            _write_current(home, version)
            _switch_links(store, ward_code, final)
            _prune(home, version)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return version, changed, rows


def current_wards(store: Path) -> dict[str, Path]:
    """Every ward of the store → the folder of its current version (resolved once, for one read)."""
    out: dict[str, Path] = {}
    root = Path(store) / WARDS_DIR
    if not root.is_dir():
        return out
    for home in sorted(root.iterdir()):
        version = _read_current(home)
        if version and (home / version).is_dir():
            out[home.name] = home / version
    return out


def table_files(store: Path, table: str, wards: dict[str, Path] | None = None) -> list[str]:
    """The Parquet files of one table, one per ward that shares it, from the wards' current versions."""
    wards = current_wards(store) if wards is None else wards
    return [str(v / table / PART) for _, v in sorted(wards.items()) if (v / table / PART).exists()]


# -- writing -------------------------------------------------------------------------------------


def _exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, _, name = relation.rpartition(".")
    found = con.sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        params=[schema or "main", name],
    ).fetchall()
    return bool(found[0][0])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _write_table(con: duckdb.DuckDBPyConnection, relation: str, ward_code: str, path: Path) -> int:
    columns = con.sql(f"SELECT * FROM {relation} LIMIT 0").columns
    keys = [
        f"CASE WHEN {_quote(col)} IS NULL THEN NULL ELSE CAST(? AS VARCHAR) || ':' || {_quote(col)} END "
        f"AS {_quote(key)}"
        for col, key in QUALIFIED.items()
        if col in columns and key not in columns
    ]
    rest = "* EXCLUDE (ward_code)" if "ward_code" in columns else "*"
    sql = f"SELECT CAST(? AS VARCHAR) AS ward_code, {', '.join([*keys, rest])} FROM {relation} ORDER BY ALL"
    path.parent.mkdir(parents=True, exist_ok=True)
    rel = con.sql(sql, params=[ward_code] * (1 + len(keys)))
    rel.write_parquet(str(path))
    return con.sql("SELECT count(*) FROM read_parquet(?)", params=[str(path)]).fetchall()[0][0]


def _write_ward_row(con: duckdb.DuckDBPyConnection, folder: Path, settings) -> int:
    path = folder / "wards" / PART
    path.parent.mkdir(parents=True, exist_ok=True)
    con.sql(
        "SELECT CAST(? AS VARCHAR) AS ward_code, CAST(? AS VARCHAR) AS ward_name, "
        "CAST(? AS BOOLEAN) AS shares_records, count(*) AS group_count, "
        "CAST(sum(households) AS BIGINT) AS households, CAST(sum(population) AS BIGINT) AS population "
        "FROM residential_groups",
        params=[settings.ward_code, settings.ward_name, settings.share_records],
    ).write_parquet(str(path))
    return 1


def _version_of(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "v-" + digest.hexdigest()[:20]


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- switching -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _ward_lock(home: Path) -> Iterator[None]:
    """One publish of a ward at a time (two of different wards never wait for each other)."""
    with open(home / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _read_current(home: Path) -> str | None:
    try:
        return (home / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _write_current(home: Path, version: str) -> None:
    tmp = home / f".{CURRENT}.{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, home / CURRENT)


def _switch_links(store: Path, ward_code: str, final: Path) -> None:
    tables = {p.name for p in final.iterdir() if p.is_dir()}
    for table in sorted(tables):
        link = store / table / f"ward={ward_code}"
        link.parent.mkdir(parents=True, exist_ok=True)
        target = os.path.relpath(final / table, link.parent)
        if link.is_symlink() and os.readlink(link) == target:
            continue
        tmp = link.parent / f".ward={ward_code}.{uuid.uuid4().hex}"
        os.symlink(target, tmp)
        os.replace(tmp, link)
    # A table the ward no longer shares (share_records turned off) leaves the store.
    for folder in store.iterdir():
        link = folder / f"ward={ward_code}"
        if folder.name != WARDS_DIR and folder.name not in tables and link.is_symlink():
            link.unlink()


def _prune(home: Path, current: str) -> None:
    versions = sorted(
        (p for p in home.iterdir() if p.is_dir() and p.name.startswith("v-")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    keep = {current, *(p.name for p in versions[:KEEP_VERSIONS])}
    for path in versions:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
