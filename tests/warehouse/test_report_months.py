"""A file counts for the months its rows fall in: re-sending an old record does not fill the gap."""

from __future__ import annotations

import datetime as dt

from pipelines.ingest import ingest, init_ward
from warehouse.store import Warehouse

GROUPS = "group_code,group_name,households,population\nTDP01,Tổ 1,300,1100\n"
UNITS = "unit_code,unit_name,feeds\nCAP,Công an phường,violations\n"
HEADER = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on\n"


def _send(wh: Warehouse, text: str, file_name: str, received_at: dt.datetime, today: dt.date):
    """CAP sends a violations file."""
    sent = {"file_name": file_name, "received_at": received_at, "today": today}
    return ingest(wh, text.encode(), feed="violations", unit_code="CAP", **sent)


def test_a_correction_of_an_old_record_does_not_make_the_months_between_received(tmp_path):
    wh = Warehouse(tmp_path / "home")
    init_ward(wh, (GROUPS.encode(), "g.csv"), (UNITS.encode(), "u.csv"))
    today = dt.date(2026, 11, 29)
    september = HEADER + "A1,CAP,10/09/2026,TDP01,other,reminder,,\n"
    _send(wh, september, "t9.csv", dt.datetime(2026, 10, 2, 9), today)
    # November's file also re-sends September's record, now resolved. Nothing was sent for October.
    november = (
        HEADER
        + "A1,CAP,10/09/2026,TDP01,other,reminder,,20/11/2026\nB1,CAP,03/11/2026,TDP01,other,reminder,,\n"
    )
    _send(wh, november, "t11.csv", dt.datetime(2026, 11, 28, 9), today)
    with wh.reading() as con:
        status = dict(
            con.sql(
                "SELECT month_key, status FROM marts.reporting_completeness WHERE unit_code = 'CAP' ORDER BY month_key"
            ).fetchall()
        )
        months = con.sql("SELECT report_months FROM uploads WHERE file_name = 't11.csv'").fetchall()[0][0]
    assert months == [dt.date(2026, 9, 1), dt.date(2026, 11, 1)]
    assert status["2026-09"] == "on_time"
    assert status["2026-10"] == "missing"
