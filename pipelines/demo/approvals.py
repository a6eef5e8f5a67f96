"""The demo ward's approvals: months submitted, approved and locked; the latest month still in progress.

Every complete month before the latest one: each report received is submitted by its unit's
account the day it arrives, approved by `leader` the next day, and the feed-month is locked by
`admin` once all its reports are approved (a month with a report never sent stays open). The
latest complete month: some reports submitted, some approved, one returned with a comment, none
locked. Actions go through `warehouse.approvals.record`, the same rules as the command line, in
one batch with one marts refresh.
"""

from __future__ import annotations

import datetime as dt

from warehouse.accounts import Accounts

RETURN_COMMENT = (
    "Số lượt ra quân của tổ dân phố chưa khớp với biên bản đã gửi phường; đề nghị đơn vị kiểm tra, "
    "sửa và gửi lại tệp."
)
LOCK_COMMENT = "Chốt số liệu tháng sau khi các đơn vị đã được duyệt."


def _cells(con, until: dt.date) -> list[dict]:
    cursor = con.cursor()
    try:
        cursor.execute(
            "SELECT unit_code, feed, month_key, month_end, state, last_received_at FROM marts.approval_states "
            "WHERE month_end < ? ORDER BY month_key, feed, unit_code",
            [until],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def approve_demo(warehouse, until: dt.date) -> dict[str, int]:
    """Record the demo's approval history; return how many of each action were kept."""
    from warehouse.approvals import record
    from warehouse.refresh import refresh_marts

    accounts = Accounts(warehouse.home)
    leader, admin = accounts.get("leader"), accounts.get("admin")
    end_of_day = dt.datetime.combine(until, dt.time(17, 30))
    counts = dict.fromkeys(("submit", "approve", "return", "lock"), 0)

    def later(start: dt.datetime, step: dt.timedelta) -> dt.datetime:
        return max(start + dt.timedelta(minutes=10), min(start + step, end_of_day))

    with warehouse.writing(catch_up=False) as con:
        cells = _cells(con, until)
        months = sorted({cell["month_key"] for cell in cells})
        if not months:
            return counts
        latest = months[-1]
        received_latest = [c for c in cells if c["month_key"] == latest and c["state"] == "received"]
        returned = next((c for c in received_latest if c["feed"] == "cleanups"), None) or (
            received_latest[0] if received_latest else None
        )
        approved_at: dict[tuple[str, str], list[dt.datetime]] = {}
        users = {}  # unit code → its account (one lookup each)
        open_months: set[tuple[str, str]] = set()
        for index, cell in enumerate(cells):
            key = (cell["feed"], cell["month_key"])
            if cell["state"] != "received":
                open_months.add(key)
                continue
            if cell["unit_code"] not in users:
                users[cell["unit_code"]] = accounts.get(cell["unit_code"].lower())
            unit = users[cell["unit_code"]]
            first_day = dt.datetime.combine(cell["month_end"] + dt.timedelta(days=1), dt.time(8, 0))
            submitted = max(cell["last_received_at"] + dt.timedelta(hours=1), first_day)
            where = {"feed": cell["feed"], "month": cell["month_key"]}
            record(con, "submit", **where, user=unit, unit_code=cell["unit_code"], at=submitted)
            counts["submit"] += 1
            decided = later(submitted, dt.timedelta(days=1))
            if cell is returned:
                record(
                    con,
                    "return",
                    **where,
                    user=leader,
                    unit_code=cell["unit_code"],
                    comment=RETURN_COMMENT,
                    at=decided,
                )
                counts["return"] += 1
                continue
            if cell["month_key"] == latest and index % 3 == 0:
                continue  # submitted, waiting for the leadership
            record(con, "approve", **where, user=leader, unit_code=cell["unit_code"], at=decided)
            counts["approve"] += 1
            approved_at.setdefault(key, []).append(decided)
        for (feed, month), times in sorted(approved_at.items()):
            if month == latest or (feed, month) in open_months:
                continue
            at = later(max(times), dt.timedelta(days=1))
            record(con, "lock", feed=feed, month=month, user=admin, comment=LOCK_COMMENT, at=at)
            counts["lock"] += 1
        refresh_marts(con, warehouse.home, today=until)
    return counts
