"""Helpers for the hand-made marts ward (tests/fixtures/marts/), loaded file by file through the real ingest path.

Each feed file holds every row of that feed; a row goes into the upload of its
unit and its month (or the month named in its `upload` column, for a row that
is sent again as a correction). `arrivals.csv` says when each upload arrived;
uploads are loaded in that order with `received_at` set, so the reporting
completeness has real arrival times to judge. An arrival with no rows is the
unit's «Không có số liệu phát sinh» for that month, sent as a header-only file
with its month (KTHT violations and MTDT sorting inspections for 2026-09).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from built_once import built_once

from kernel import contracts as c
from pipelines.ingest import ingest, init_ward
from warehouse.refresh import refresh_marts
from warehouse.store import Warehouse

MARTS_FIXTURES = Path(__file__).parent.parent / "fixtures" / "marts"
TODAY = dt.date(2026, 11, 29)


@dataclass(frozen=True)
class Upload:
    unit_code: str
    feed: str
    month: str
    received_at: dt.datetime
    data: bytes

    @property
    def file_name(self) -> str:
        return f"{self.unit_code}_{self.feed}_{self.month}.csv"


def fixture_rows(feed: str) -> pl.DataFrame:
    """Every row of a feed in the fixture, as text, with the upload (month) it belongs to."""
    rows = pl.read_csv(MARTS_FIXTURES / f"{feed}.csv", infer_schema=False)
    if "upload" not in rows.columns:
        date_column = c.FEEDS[feed].date_column
        rows = rows.with_columns(pl.col(date_column).str.slice(0, 7).alias("upload"))
    return rows


def csv_bytes(rows: pl.DataFrame) -> bytes:
    return rows.drop("upload", strict=False).write_csv().encode("utf-8")


def fixture_uploads() -> list[Upload]:
    """The fixture's uploads in order of arrival."""
    arrivals = pl.read_csv(MARTS_FIXTURES / "arrivals.csv", infer_schema=False)
    chunks: dict[tuple[str, str, str], pl.DataFrame] = {}
    for feed in c.FEEDS:
        if not (MARTS_FIXTURES / f"{feed}.csv").exists():
            continue  # a feed the fixture ward sends nothing for (the plan's other fronts)
        rows = fixture_rows(feed)
        for (unit, month), chunk in rows.group_by(["unit_code", "upload"], maintain_order=True):
            chunks[(unit, feed, month)] = chunk
    uploads = []
    for row in arrivals.iter_rows(named=True):
        key = (row["unit_code"], row["feed"], row["upload"])
        chunk = chunks.pop(key, None)
        if chunk is None:  # nothing to report: the feed's header only
            chunk = fixture_rows(row["feed"]).clear()
        uploads.append(Upload(*key, dt.datetime.fromisoformat(row["received_at"]), csv_bytes(chunk)))
    assert not chunks, f"rows without an arrival in arrivals.csv: {sorted(chunks)}"
    return sorted(uploads, key=lambda u: u.received_at)


def send(warehouse: Warehouse, upload: Upload):
    """Load one upload as the unit would, and insist it loads cleanly."""
    sent = {"feed": upload.feed, "unit_code": upload.unit_code, "file_name": upload.file_name}
    month = dt.date.fromisoformat(upload.month + "-01")
    result = ingest(
        warehouse, upload.data, **sent, received_at=upload.received_at, today=TODAY, report_month=month
    )
    assert result.status == "loaded" and result.rows_rejected == 0, result.to_json()
    return result


def marts_ward_once(tmp_path_factory, target: Path) -> Path:
    """The fixture ward, fully loaded, built once per run for every test process (tests/conftest.py's
    `built_once`), copied to `target`."""
    return built_once(tmp_path_factory, "marts-ward", build_marts_ward, target)


def private_copy(home: Path, target: Path) -> Path:
    """A copy of a built ward at `target` (its snapshot.duckdb is a relative link and stays one)."""
    shutil.copytree(home, target, symlinks=True)
    return target


def build_marts_ward(home: Path, settings_text: str | None = None) -> Warehouse:
    """Set up the fixture ward in `home` and load every upload."""
    home.mkdir(parents=True, exist_ok=True)
    text = settings_text or (MARTS_FIXTURES / "settings.toml").read_text(encoding="utf-8")
    (home / "settings.toml").write_text(text, encoding="utf-8")
    warehouse = Warehouse(home)
    init_ward(
        warehouse,
        ((MARTS_FIXTURES / "groups.csv").read_bytes(), "groups.csv"),
        ((MARTS_FIXTURES / "units.csv").read_bytes(), "units.csv"),
    )
    for upload in fixture_uploads():
        send(warehouse, upload)
    return warehouse


TOL = {"check_exact": False, "abs_tol": 1e-6, "rel_tol": 0}
FIXTURE_SETTINGS = (MARTS_FIXTURES / "settings.toml").read_text(encoding="utf-8")


def read(warehouse: Warehouse, query: str, params: list | None = None) -> pl.DataFrame:
    with warehouse.reading() as con:
        return con.sql(query, params=params or []).pl()


def expected(name: str, schema: dict) -> pl.DataFrame:
    return pl.read_csv(MARTS_FIXTURES / name, schema_overrides=schema)


def refreshed(warehouse: Warehouse, settings_text: str) -> None:
    """Write new settings and refresh the marts as of the fixture's day (what `evaluate` does)."""
    (warehouse.home / "settings.toml").write_text(settings_text, encoding="utf-8")
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)


def resend(warehouse: Warehouse, feed: str, record_id: str, **changes) -> None:
    """The unit sends one record again, corrected (a correction by key, not a new record)."""
    contract = c.FEEDS[feed]
    rows = fixture_rows(feed).filter(pl.col(contract.id_column) == record_id).tail(1)
    rows = rows.with_columns(pl.lit(v).alias(k) for k, v in changes.items())
    unit = rows["unit_code"][0]
    sent = {"file_name": f"{unit}_{feed}_correction.csv", "received_at": dt.datetime(2026, 11, 29, 15, 0)}
    result = ingest(warehouse, csv_bytes(rows), feed=feed, unit_code=unit, **sent, today=TODAY)
    assert result.status == "loaded" and result.rows_corrected == 1, result.to_json()


def league(warehouse: Warehouse, evaluation: str = "conference-2026") -> list[tuple]:
    return read(
        warehouse,
        "SELECT group_code, rank, round(score, 4) AS score, tier FROM league_table "
        "WHERE evaluation = ? ORDER BY rank NULLS LAST, group_code",
        [evaluation],
    ).rows()


# -- every figure against the hand-worked ones ---------------------------------------------------
