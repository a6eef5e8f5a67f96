"""«Không có số liệu phát sinh»: a unit declares it had nothing to report for a feed and a month.

A declaration is kept as a loaded upload with zero rows (`raw.uploads.nothing_to_report`, the month
in `report_months`), so the month counts as received in `reporting_completeness` and the figures
built on that feed stop waiting for it. It comes from the upload page's button, from
`dothixanh ingest --nothing-to-report --feed F --unit U --month YYYY-MM`, or from a header-only file
sent with its month (`ingest(..., report_month=...)`).

Only the unit's own clerk (role unit, bound to that unit) or an admin may declare for a unit; the
command line run on the server without `--user` acts as the server's operator.
"""

from __future__ import annotations

import datetime as dt
import re

from kernel import contracts as c
from pipelines.ingest import IngestResult, check_unit
from pipelines.reading import FileRefused
from warehouse.events import logged_upload
from warehouse.load import UploadRecord, insert_upload, read_reference
from warehouse.refresh import refresh_marts
from warehouse.store import Warehouse, now_vietnam, sha256_of

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class NotAllowed(Exception):
    """The account may not declare for this unit (Vietnamese message)."""


def parse_month(text: str) -> dt.date:
    """'2026-11' → 1 November 2026; a Vietnamese ValueError otherwise."""
    found = MONTH.match((text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"Tháng «{text}» không hợp lệ; ghi dạng YYYY-MM, ví dụ 2026-11.")
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def month_label(month: dt.date) -> str:
    return f"tháng {month:%m/%Y}"


def check_may_declare(account, unit_code: str) -> None:
    """Only the unit's own clerk or an admin; `account=None` is the server's operator (command line)."""
    if account is None:
        return
    role = getattr(account, "role", None)
    if role == "admin" or (role == "unit" and getattr(account, "unit_code", None) == unit_code):
        return
    raise NotAllowed(
        f"Tài khoản «{getattr(account, 'username', '?')}» không được khai báo thay cho đơn vị {unit_code}: "
        "chỉ văn thư của chính đơn vị đó hoặc quản trị viên được khai báo «Không có số liệu phát sinh»."
    )


def declaration_file(feed: str, unit_code: str, month: dt.date) -> tuple[bytes, str]:
    """The bytes kept for a declaration without a file: the feed's header and one comment line."""
    contract = c.feed(feed)
    header = ",".join(col.label_vi for col in contract.columns)
    text = f"{header}\n# Không có số liệu phát sinh — {unit_code} — {month_label(month)}\n"
    return text.encode("utf-8"), f"khong-co-so-lieu-phat-sinh_{unit_code}_{feed}_{month:%Y-%m}.csv"


def month_state(con, feed: str, unit_code: str, month: dt.date) -> tuple[int | None, int]:
    """(upload id of an earlier declaration for the month, rows already loaded for the month)."""
    declared = con.sql(
        "SELECT min(upload_id) FROM raw.uploads WHERE feed = ? AND unit_code = ? AND status = 'loaded' "
        "AND coalesce(nothing_to_report, FALSE) AND list_contains(report_months, ?::DATE)",
        params=[feed, unit_code, month],
    ).fetchall()[0][0]
    rows = con.sql(
        "SELECT count(*) FROM raw.uploads WHERE feed = ? AND unit_code = ? AND status = 'loaded' "
        "AND NOT coalesce(nothing_to_report, FALSE) AND list_contains(report_months, ?::DATE)",
        params=[feed, unit_code, month],
    ).fetchall()[0][0]
    return declared, rows


def record_declaration(
    con,
    *,
    feed: str,
    unit_code: str,
    month: dt.date,
    data: bytes,
    file_name: str,
    stored_path: str,
    uploaded_by: str | None,
    received_at: dt.datetime,
    result: IngestResult,
) -> IngestResult:
    """Under the writer lock: refuse, find a duplicate, or insert the zero-row upload."""
    declared, loaded = month_state(con, feed, unit_code, month)
    if declared is not None:
        result.status, result.upload_id = "duplicate", declared
        return result
    if loaded:
        result.reason = (
            f"Đơn vị {unit_code} đã gửi số liệu «{c.FEEDS[feed].label_vi}» có ngày trong {month_label(month)}, "
            "nên không thể khai báo «Không có số liệu phát sinh» cho tháng này."
        )
        return result
    record = UploadRecord(
        feed=feed,
        unit_code=unit_code,
        file_name=file_name,
        sha256=sha256_of(data),
        size_bytes=len(data),
        stored_path=stored_path,
        received_at=received_at,
        status="loaded",
        uploaded_by=uploaded_by,
        rows_total=0,
        rows_accepted=0,
        rows_rejected=0,
        rows_new=0,
        rows_corrected=0,
        report_months=[month],
        nothing_to_report=True,
        validation_result={"nothing_to_report": True, "month": f"{month:%Y-%m}"},
    )
    result.upload_id = insert_upload(con, record)
    result.status = "loaded"
    result.nothing_to_report = True
    return result


@logged_upload
def declare_nothing_to_report(
    warehouse: Warehouse,
    data: bytes | None = None,
    *,
    feed: str,
    unit_code: str,
    month: dt.date,
    file_name: str = "",
    uploaded_by: str | None = None,
    account=None,
    received_at: dt.datetime | None = None,
    today: dt.date | None = None,
    refresh: bool = True,
) -> IngestResult:
    """Declare «Không có số liệu phát sinh» for `unit_code`, `feed` and `month` (first day of a month)."""
    check_may_declare(account, unit_code)
    month = month.replace(day=1)
    if data is None:
        data, file_name = declaration_file(feed, unit_code, month)
    result = IngestResult(status="refused", feed=feed, unit_code=unit_code, file_name=file_name)
    now = received_at or now_vietnam()
    if month > (today or now.date()):
        result.reason = f"Chưa thể khai báo cho {month_label(month)}: tháng này chưa bắt đầu."
        return result
    stored_path = warehouse.store_file(data, sha256_of(data))
    with warehouse.writing(catch_up=refresh, publish=refresh) as con:
        try:
            check_unit(read_reference(con), feed, unit_code)
        except FileRefused as refused:
            result.reason = refused.reason
            return result
        record_declaration(
            con,
            feed=feed,
            unit_code=unit_code,
            month=month,
            data=data,
            file_name=file_name,
            stored_path=stored_path,
            uploaded_by=uploaded_by or getattr(account, "username", None),
            received_at=now,
            result=result,
        )
        if result.status == "loaded" and refresh:
            warehouse.after_commit(lambda: refresh_marts(con, warehouse.home, today=today))
    return result
