"""Shared fixtures: a tiny ward (3 residential groups, 3 units) and a fresh warehouse per test.

Building a ward runs the groups/units files through the same validation as every
feed (seconds, because of Great Expectations), so the empty ward is built once
per session and each test gets its own copy of the folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from built_once import built_once

from pipelines.ingest import IngestResult, ingest, init_ward
from warehouse.store import Warehouse

# An xdist worker's `__main__` is `python -c` (no __spec__, no __file__). pyspark (the city extra),
# which Great Expectations imports, takes such a `__main__` for its own doctest run and exits the
# process (SystemExit 0): the first test of a worker to validate in-process then failed, by the order
# the files were shared out. Give `__main__` a file, as a script run has.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = __file__

# Commands in tests judge files in the test process's own sandbox pool, never in a background
# service that would outlive the test (see pipelines/sandbox_service.py).
os.environ.setdefault("DOTHIXANH_SANDBOX_IDLE", "0")

FIXTURES = Path(__file__).parent / "fixtures"
# "Today" for every ingest in the tests: dates after it are in the future.
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures/"""
    return FIXTURES


@pytest.fixture(scope="session")
def ward_files() -> dict[str, tuple[bytes, str]]:
    """The fixture ward's reference files, as init_ward takes them: (bytes, file name)."""
    return {
        name: ((FIXTURES / "ward" / f"{name}.csv").read_bytes(), f"{name}.csv")
        for name in ("groups", "units")
    }


@pytest.fixture(scope="session")
def empty_ward_home(tmp_path_factory, ward_files) -> Path:
    """A warehouse folder holding only the fixture ward's groups and units (built once)."""
    home = tmp_path_factory.mktemp("empty-ward") / "home"
    init_ward(Warehouse(home), ward_files["groups"], ward_files["units"])
    return home


@pytest.fixture(scope="session")
def new_ward(empty_ward_home) -> Callable[[Path], Warehouse]:
    """Make a fresh copy of the empty fixture ward at a given folder (for module-scoped fixtures)."""

    def make(home: Path) -> Warehouse:
        shutil.copytree(empty_ward_home, home, symlinks=True)  # snapshot.duckdb is a relative link
        return Warehouse(home)

    return make


@pytest.fixture
def warehouse(new_ward, tmp_path) -> Warehouse:
    """This test's own warehouse: the fixture ward, no uploads yet."""
    return new_ward(tmp_path / "home")


@pytest.fixture(scope="session")
def ingest_bytes() -> Callable[..., IngestResult]:
    """ingest() with the tests' fixed 'today'."""

    def run(warehouse: Warehouse, data: bytes, *, feed: str, unit_code: str, file_name: str) -> IngestResult:
        return ingest(warehouse, data, feed=feed, unit_code=unit_code, file_name=file_name, today=TODAY)

    return run


@pytest.fixture(scope="session")
def ingest_fixture(ingest_bytes) -> Callable[..., IngestResult]:
    """Ingest a file from tests/fixtures/ (path relative to it) as a unit would upload it."""

    def run(warehouse: Warehouse, relative: str, *, feed: str, unit_code: str) -> IngestResult:
        path = FIXTURES / relative
        return ingest_bytes(warehouse, path.read_bytes(), feed=feed, unit_code=unit_code, file_name=path.name)

    return run


@pytest.fixture(scope="session")
def query() -> Callable[..., list[dict]]:
    """Rows of an analysts' query on a warehouse's published snapshot, as dicts."""

    def run(warehouse: Warehouse, sql: str, params: list | None = None) -> list[dict]:
        with warehouse.reading() as con:
            return con.sql(sql, params=params or []).pl().to_dicts()

    return run


DEMO_UNTIL = dt.date(2026, 9, 30)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> tuple[Path, str]:
    """The demo ward through 30/09/2026 (five months: every page, a storm season, a later groups list)
    and the summary its build printed: (home, summary). Built once per run (`built_once`); the summary
    is kept beside the ward, outside its home."""
    from pipelines.demo import build_demo

    def build(folder: Path) -> None:
        summary = build_demo(Warehouse(folder / "home"), until=DEMO_UNTIL, scale=1, seed=2026)
        (folder / "summary.txt").write_text(summary, encoding="utf-8")

    folder = built_once(tmp_path_factory, "demo", build, tmp_path_factory.mktemp("demo") / "ward")
    return folder / "home", (folder / "summary.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_ward_home(demo_build) -> Path:
    """This test process's copy of the demo ward (see `demo_build`)."""
    return demo_build[0]
