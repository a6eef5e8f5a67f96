"""A feed the ward added (its TOML declaration in the ward's feeds/ folder) and its indicators' TOML.

Shared by tests/warehouse/test_indicator_declarations.py and the dashboard's test of the same ward
indicator (which loads this module by path). The records go straight into the feed's core table
with one loaded upload: the ingest of a ward feed is i12-feeds' side, tested there.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kernel.feed_format import read_declaration
from warehouse import indicator_decl as decl
from warehouse.refresh import refresh_marts
from warehouse.schema import feed_table_ddl, feed_view_sql

FIXTURES = Path(__file__).parent.parent / "fixtures" / "indicators"

FEED_FILE = FIXTURES / "propaganda_activities_feed.toml"
PROPAGANDA = read_declaration(FEED_FILE)
ROWS = [  # unit, id, group, day, kind, audience
    ("VHXH", "TT01", "TDP01", dt.date(2026, 9, 5), "banner", 100),
    ("VHXH", "TT02", "TDP01", dt.date(2026, 9, 20), "loudspeaker", 50),
    ("VHXH", "TT03", "TDP01", dt.date(2026, 10, 3), "portal", 900),
    ("VHXH", "TT04", "TDP02", dt.date(2026, 10, 10), "loudspeaker", None),
    ("VHXH", "TT05", "TDP02", dt.date(2026, 11, 2), "loudspeaker", 250),
    ("VHXH", "TT06", "TDP02", dt.date(2026, 8, 30), "banner", 999),  # before the campaign start
]


def declare_propaganda(home: Path) -> None:
    """The feed's declaration in the ward's folder: from then on it is one of the ward's feeds."""
    (Path(home) / "feeds").mkdir(exist_ok=True)
    shutil.copy(FEED_FILE, Path(home) / "feeds" / "propaganda_activities.toml")


def add_propaganda_feed(warehouse, today: dt.date) -> None:
    """Create the feed's tables, load ROWS as one upload, copy its indicators in and refresh.

    The feed is the ward's own: its declaration goes into the ward's feeds/ folder, and the caller
    makes the warehouse's home the one in use (DOTHIXANH_HOME) for the test's duration.
    """
    declare_propaganda(warehouse.home)
    (warehouse.home / decl.WARD_FOLDER).mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "propaganda_activities.toml", warehouse.home / decl.WARD_FOLDER)
    with warehouse.writing(catch_up=False) as con:
        for statement in [*feed_table_ddl(PROPAGANDA), *feed_view_sql(PROPAGANDA)]:
            con.execute(statement)
        upload = con.sql("SELECT max(upload_id) + 1 FROM raw.uploads").fetchall()[0][0]
        con.execute(
            "INSERT INTO raw.uploads (upload_id, feed, unit_code, file_name, sha256, size_bytes, stored_path, "
            "received_at, status, period_start, period_end) VALUES (?, ?, 'VHXH', 'tuyen-truyen.csv', 'x', 1, '', "
            "TIMESTAMP '2026-11-20 08:00:00', 'loaded', DATE '2026-08-30', DATE '2026-11-02')",
            [upload, PROPAGANDA.name],
        )
        for line, row in enumerate(ROWS, start=2):
            con.execute(
                f"INSERT INTO core.{PROPAGANDA.name} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*row, upload, line]
            )
        refresh_marts(con, warehouse.home, today=today)
