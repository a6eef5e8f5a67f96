"""A ward's own feeds: check a declaration, add it to DOTHIXANH_HOME/feeds/, list every feed.

Adding copies the declaration into the ward's home (outside the package, so it survives
upgrades), generates its Great Expectations suite next to it, and creates its core tables and
the analysts' view named after it (warehouse/schema.py derives both from the contract, as for
the built-in feeds). Only an administrator, or the operator at the server's command line, may add.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kernel import contracts as c
from kernel.feed_format import DeclarationError, parse_declaration, shown_name

ADD_ROLES = ("admin", "operator")  # operator: whoever runs `dothixanh feeds add` on the server
OPERATOR = "operator"
SOURCE_LABELS_VI = {c.BUILT_IN: "có sẵn", c.WARD: "của phường"}
_WAREHOUSE_SQL = Path(__file__).resolve().parent.parent / "warehouse"
_CREATED = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w.]+)", re.I
)


class FeedNotAllowed(Exception):
    """The account may not add feeds (Vietnamese message)."""


@dataclass(frozen=True)
class Added:
    contract: c.Contract
    declaration: Path
    suite: Path
    tables_created: bool


@functools.cache
def taken_names() -> frozenset[str]:
    """Names a ward's feed may not take: every table and view the warehouse itself creates."""
    names: set[str] = set()
    for folder in ("migrations", "views", "marts"):
        for path in (_WAREHOUSE_SQL / folder).glob("*.sql"):
            names.update(
                m.group(1).split(".")[-1].lower() for m in _CREATED.finditer(path.read_text("utf-8"))
            )
    return frozenset(names)


@functools.cache
def _sql_keywords() -> frozenset[str]:
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.sql("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'")
        return frozenset(row[0].lower() for row in rows.fetchall())
    finally:
        con.close()


def _clashes(contract: c.Contract, where: str, home: Path, *, adding: bool) -> list[str]:
    name = contract.name
    if name in c.BUILTIN_CONTRACTS:
        return [
            f"{where}: tên «{name}» trùng với loại dữ liệu có sẵn «{c.BUILTIN_CONTRACTS[name].label_vi}»; hãy đặt tên khác."
        ]
    if name in taken_names() or name.endswith("_history") or name in _sql_keywords():
        return [f"{where}: tên «{name}» đã được kho dữ liệu dùng cho bảng khác; hãy đặt tên khác."]
    if adding and name in c.ward_feeds(home):
        return [
            f"{where}: phường đã có loại dữ liệu tên «{name}» ({c.ward_feeds(home)[name].label_vi}); không thêm lần nữa."
        ]
    return []


def check_file(path: Path | str, home: Path | str | None = None) -> c.Contract:
    """The contract a ward's declaration file declares, checked as `add` would (DeclarationError)."""
    home = Path(home).resolve() if home else c.active_home()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeclarationError([f"{shown_name(path)}: không đọc được tệp ({exc.strerror or exc})."]) from None
    return check_text(data, shown_name(path), home)


def check_text(data: bytes, where: str, home: Path, *, adding: bool = False) -> c.Contract:
    contract = parse_declaration(data, where, source=c.WARD)
    errors = _clashes(contract, where, home, adding=adding)
    if errors:
        raise DeclarationError(errors)
    return contract


def check_ward(home: Path | str | None = None) -> list[str]:
    """Every problem in the ward's own declarations (DOTHIXANH_HOME/feeds/*.toml); empty: all fine."""
    home = Path(home).resolve() if home else c.active_home()
    errors = list(c.ward_feed_errors(home))
    for contract in c.ward_feeds(home).values():
        errors += _clashes(contract, f"feeds/{contract.name}.toml", home, adding=False)
    return errors


def add_feed(
    data: bytes, file_name: str, *, home: Path | str | None = None, by: str, role: str | None
) -> Added:
    """Check a declaration and make it one of the ward's feeds: file, suite, tables and view."""
    if role not in ADD_ROLES:
        raise FeedNotAllowed("Chỉ quản trị viên mới được thêm loại dữ liệu của phường.")
    from expectations.suites import write_ward_suite
    from warehouse.events import log_event
    from warehouse.store import Warehouse

    home = Path(home).resolve() if home else c.active_home()
    contract = check_text(data, f"feeds/{Path(file_name).name}", home, adding=True)
    folder = c.ward_feeds_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{contract.name}.toml"
    suite = write_ward_suite(contract, home)
    _write_atomically(target, data)
    warehouse = Warehouse(home)
    created = warehouse.exists()
    if created:
        with warehouse.writing():  # its migration creates the new feed's tables and view
            pass
    log_event(home, "feed_added", status="ok", account=by, feed=contract.name, file_name=file_name, role=role)
    return Added(contract, target, suite, created)


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".adding-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def feed_rows(home: Path | str | None = None) -> list[dict]:
    """Every feed of the ward, built-in first: name, labels, source, columns, version."""
    home = Path(home).resolve() if home else c.active_home()
    with c.using_home(home):
        feeds = list(c.FEEDS.values())
    return [
        {
            "name": ct.name,
            "label_vi": ct.label_vi,
            "label_en": ct.label_en,
            "source": ct.source,
            "version": ct.version,
            "columns": len(ct.columns),
            "date_column": ct.date_column,
        }
        for ct in feeds
    ]
