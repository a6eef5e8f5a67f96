"""The feed contracts: the single declaration every other artefact derives from.

Each feed (and each reference list) is declared in a TOML file: the built-in ones in
kernel/feeds/*.toml, shipped with the package, and a ward's own in DOTHIXANH_HOME/feeds/*.toml
(added with `dothixanh feeds add`; they survive upgrades). The parser's header aliases, the Great
Expectations suites, the templates clerks download, the warehouse tables and views and the data
dictionary are all built from the contracts read here. The format: docs/feeds-format.md.

`FEEDS` and `ALL_CONTRACTS` are live: they hold the built-in feeds and the feeds of the ward
whose home is in use (`using_home`, else DOTHIXANH_HOME, else ./data), re-read when that
ward's feeds folder changes. `BUILTIN_FEEDS` and `BUILTIN_CONTRACTS` hold the shipped ones only
(the committed suites and docs derive from those).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from kernel.feed_format import DeclarationError, read_declaration
from kernel.feed_model import (  # noqa: F401 (the public API of this module)
    AT_LEAST_COLUMN,
    BUILT_IN,
    DATE,
    DECIMAL,
    EARLIEST_DATE,
    ENUM,
    FEED_LIST,
    INTEGER,
    KNOWN_GROUP,
    NOT_BEFORE,
    NOT_MORE_THAN,
    NOT_MORE_THAN_GROUP_HOUSEHOLDS,
    REQUIRED_WHEN,
    RULE_KINDS,
    SQL_TYPES,
    TEXT,
    TYPE_LABELS_VI,
    UPLOADING_UNIT,
    WARD,
    ZERO_UNLESS,
    Choice,
    Column,
    Contract,
    Rule,
)

BUILTIN_DIR = Path(__file__).parent / "feeds"


def _ordered(contracts) -> dict[str, Contract]:
    return {ct.name: ct for ct in sorted(contracts, key=lambda ct: (ct.position, ct.name))}


def _load_builtins() -> dict[str, Contract]:
    return _ordered(read_declaration(path, source=BUILT_IN) for path in sorted(BUILTIN_DIR.glob("*.toml")))


BUILTIN_CONTRACTS: dict[str, Contract] = _load_builtins()
BUILTIN_FEEDS: dict[str, Contract] = {n: ct for n, ct in BUILTIN_CONTRACTS.items() if not ct.reference}
REFERENCES: dict[str, Contract] = {n: ct for n, ct in BUILTIN_CONTRACTS.items() if ct.reference}

VIOLATIONS = BUILTIN_FEEDS["violations"]
CLEANUPS = BUILTIN_FEEDS["cleanups"]
SORTING_INSPECTIONS = BUILTIN_FEEDS["sorting_inspections"]
LIGHTING_REPAIRS = BUILTIN_FEEDS["lighting_repairs"]
GROUPS = REFERENCES["groups"]
UNITS = REFERENCES["units"]
UNIT_CODE = VIOLATIONS.column("unit_code")
GROUP_CODE = VIOLATIONS.column("group_code")

# -- the ward's own feeds ----------------------------------------------------------------------

_home: contextvars.ContextVar[Path | None] = contextvars.ContextVar("feeds_home", default=None)
_lock = threading.Lock()
# home → (folder mtime, when checked, files' stamp, valid feeds, errors of the others)
_cache: dict[Path, tuple] = {}


def active_home() -> Path:
    """The ward home whose own feeds are in use: `using_home`, else DOTHIXANH_HOME, else ./data."""
    home = _home.get()
    return home if home is not None else _resolved(os.environ.get("DOTHIXANH_HOME") or "data", os.getcwd())


@functools.lru_cache(maxsize=64)
def _resolved(path: str, cwd: str) -> Path:
    return (Path(cwd) / path).resolve()


@contextlib.contextmanager
def using_home(home: Path | str) -> Iterator[None]:
    """Within this block, FEEDS holds the feeds of the ward at `home` (a Warehouse's own home)."""
    token = _home.set(Path(home).resolve())
    try:
        yield
    finally:
        _home.reset(token)


def ward_feeds_dir(home: Path | str | None = None) -> Path:
    """Where a ward keeps its own feed declarations: DOTHIXANH_HOME/feeds/."""
    return Path(home or active_home()) / "feeds"


RESCAN_SECONDS = 2.0  # a declaration edited in place (same folder entries) is seen this much later


def _stamp(folder: Path) -> object:
    try:
        return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.toml")))
    except OSError:
        return None


def _folder_mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _ward(home: Path) -> tuple[dict[str, Contract], list[str]]:
    """The ward's valid feed declarations and the errors of the others, re-read when files change.

    Each use costs one stat of the folder (a file added, removed or replaced changes it); the
    files themselves are looked at again every RESCAN_SECONDS.
    """
    mtime, now = _folder_mtime(os.path.join(home, "feeds")), time.monotonic()
    cached = _cache.get(home)  # a tuple replaced whole, never changed: read without the lock
    if cached is not None and cached[0] == mtime and now - cached[1] < RESCAN_SECONDS:
        return cached[3], cached[4]
    folder = ward_feeds_dir(home)
    stamp = _stamp(folder) if mtime is not None else ()
    with _lock:
        cached = _cache.get(home)
        if cached is not None and cached[2] == stamp:
            _cache[home] = (mtime, now, *cached[2:])
            return cached[3], cached[4]
    feeds: list[Contract] = []
    errors: list[str] = []
    for path in sorted(folder.glob("*.toml")) if stamp else ():
        try:
            contract = read_declaration(path, source=WARD)
        except DeclarationError as exc:
            errors += exc.errors
            continue
        if contract.name in BUILTIN_CONTRACTS or any(f.name == contract.name for f in feeds):
            errors.append(f"{path.parent.name}/{path.name}: tên «{contract.name}» đã có; tệp bị bỏ qua.")
            continue
        feeds.append(contract)
    found = _ordered(feeds)
    with _lock:
        _cache[home] = (mtime, now, stamp, found, errors)
    return found, errors


def ward_feeds(home: Path | str | None = None) -> dict[str, Contract]:
    """The ward's own feeds (declarations in its home that pass the checks)."""
    return _ward(Path(home).resolve() if home else active_home())[0]


def ward_feed_errors(home: Path | str | None = None) -> list[str]:
    """Why some of the ward's declarations are not in use (Vietnamese), empty when all are."""
    return _ward(Path(home).resolve() if home else active_home())[1]


class _Live(Mapping):
    """Built-in contracts plus the active ward's own feeds, looked up at each use."""

    def __init__(self, references: bool):
        self._references = references

    def _now(self) -> dict[str, Contract]:
        ward = ward_feeds()
        if not ward:
            return BUILTIN_CONTRACTS if self._references else BUILTIN_FEEDS
        if self._references:
            return {**BUILTIN_FEEDS, **ward, **REFERENCES}
        return {**BUILTIN_FEEDS, **ward}

    def __getitem__(self, name: str) -> Contract:
        return self._now()[name]

    def __iter__(self):
        return iter(list(self._now()))

    def __len__(self) -> int:
        return len(self._now())

    def __contains__(self, name) -> bool:
        return name in self._now()

    def __repr__(self) -> str:
        return repr(self._now())


FEEDS: Mapping[str, Contract] = _Live(references=False)
ALL_CONTRACTS: Mapping[str, Contract] = _Live(references=True)
CONTRACTS = ALL_CONTRACTS


def feed(name: str) -> Contract:
    """The contract of a feed by its canonical name."""
    try:
        return FEEDS[name]
    except KeyError:
        raise KeyError(f"Không có loại dữ liệu '{name}'. Các loại hợp lệ: {', '.join(FEEDS)}") from None
