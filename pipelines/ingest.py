"""The one path every file takes: read → map → type → validate → load, with a report.

`prepare` judges a file without storing anything; it runs inside the sandbox's
workers (pipelines/sandbox_worker.py), never in the caller. `ingest` has the file
judged there, then loads it under the warehouse's writer lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import polars as pl

from kernel import contracts as c
from pipelines.locks import locked_corrections, locked_rows
from pipelines.messages import MESSAGE_SCHEMA, Reference, closest_code, describe
from pipelines.parsing import ERROR_SCHEMA, Parsed, duplicate_key_errors, parse
from pipelines.reading import LINE, FileRefused, RawTable, read_table
from warehouse.events import logged_upload
from warehouse.faults import fault_point
from warehouse.load import UploadRecord, find_loaded, load_feed, load_reference, read_reference
from warehouse.refresh import refresh_marts
from warehouse.store import Warehouse, disk_error_refusal, now_vietnam, sha256_of

Progress = Callable[[str], None]

# A header-only file is refused with this reason unless its month is given: then it is the unit's
# «Không có số liệu phát sinh» for that month (pipelines/nothing_to_report.py).
HEADER_ONLY = "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."
HEADER_ONLY_HINT = (
    " Nếu trong tháng đơn vị không có số liệu phát sinh, hãy gửi lại và chọn tháng báo cáo "
    "(trang gửi tệp: ô «Tháng báo cáo»; dòng lệnh: --month YYYY-MM), hoặc bấm nút "
    "«Không có số liệu phát sinh»."
)


def _quiet(_: str) -> None:
    pass


@dataclass
class Prepared:
    """A file judged against its contract: accepted rows, rejected rows with reasons."""

    contract: c.Contract
    raw: RawTable
    parsed: Parsed
    accepted: pl.DataFrame
    errors: pl.DataFrame  # MESSAGE_SCHEMA, one row per faulty cell
    rows_total: int
    rejected_lines: int
    validation: dict

    @property
    def date_order_hint(self) -> dict | None:
        """Set when the file writes dates month/day/year (pipelines/dates.py): for the preview."""
        return self.parsed.date_order_hint


@dataclass
class IngestResult:
    """The report every upload gets back."""

    status: str  # loaded | duplicate | refused
    feed: str
    unit_code: str | None
    file_name: str
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_new: int = 0
    rows_corrected: int = 0
    upload_id: int | None = None
    reason: str | None = None
    errors: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=MESSAGE_SCHEMA))
    extra_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    warning: str | None = None  # loaded, but the dashboard will show it only after a catch-up
    date_order: str = "dmy"  # the order day/month dates were read in (--date-order)
    date_order_hint: dict | None = None  # set when the file writes dates month/day/year
    nothing_to_report: bool = False  # a declaration of «Không có số liệu phát sinh» (zero rows)
    # What judging the file cost the sandbox's worker (cpu_seconds, peak_mb), for the upload's event.
    usage: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "duplicate")

    def to_json(self) -> dict:
        out = {
            "status": self.status,
            "feed": self.feed,
            "unit_code": self.unit_code,
            "file_name": self.file_name,
            "upload_id": self.upload_id,
            "rows_total": self.rows_total,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_new": self.rows_new,
            "rows_corrected": self.rows_corrected,
            "extra_columns": self.extra_columns,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "date_order": self.date_order,
            "date_order_hint": self.date_order_hint,
            "nothing_to_report": self.nothing_to_report,
            "errors": [
                {k: row[k] for k in ("line", "column", "value", "rule", "message", "suggestion")}
                for row in self.errors.iter_rows(named=True)
            ],
        }
        if self.status == "refused":
            out["reason"] = self.reason
        if self.warning:
            out["warning"] = self.warning
        return out


def check_unit(reference: Reference, feed: str, unit_code: str) -> None:
    """Refuse the whole file when the unit is unknown or may not send this feed."""
    contract = c.feed(feed)
    if unit_code not in reference.units:
        known = {code: name for code, (name, _) in reference.units.items()}
        guess = closest_code(unit_code, known)
        hint = f" Có phải «{guess}» ({known[guess]})?" if guess else ""
        raise FileRefused(f"Đơn vị «{unit_code}» không có trong danh sách đơn vị của phường.{hint}")
    name, feeds = reference.units[unit_code]
    if contract.sender_codes and unit_code not in contract.sender_codes:  # the declaration's [senders]
        feeds = [f for f in feeds if f != feed]
    if feed not in feeds:
        allowed = ", ".join(c.FEEDS[f].label_vi for f in feeds if f in c.FEEDS) or "(không có)"
        raise FileRefused(
            f"Đơn vị «{name}» ({unit_code}) không được gửi loại dữ liệu «{contract.label_vi}». "
            f"Đơn vị này được gửi: {allowed}."
        )


def prepare(
    data: bytes | list[bytes],
    contract: c.Contract,
    reference: Reference,
    *,
    unit_code: str | None = None,
    file_name: str = "",
    today: dt.date | None = None,
    progress: Progress = _quiet,
    date_order: str | None = None,
) -> Prepared:
    """Read, type and validate a file; raise FileRefused if it cannot be read at all.

    `date_order="mdy"` reads day/month dates month first, once the clerk confirms the file's hint.
    `data` may be a list holding the file's bytes alone: it is emptied once the file is read, so that
    a caller that keeps no other reference (the sandbox's worker) has the bytes freed before typing and
    validation, the peak of a large file's memory.
    """
    from pipelines.validation import validate

    progress("Đọc tệp")
    raw = read_table(data.pop() if isinstance(data, list) else data, file_name)
    progress("Nhận diện cột và kiểu dữ liệu")
    parsed = parse(
        raw,
        contract,
        unit_code=unit_code,
        group_codes=list(reference.groups),
        unit_codes=list(reference.units),
        date_order=date_order,
    )
    if parsed.typed.height == 0 and not raw.row_errors:
        raise FileRefused(HEADER_ONLY + HEADER_ONLY_HINT)
    progress("Kiểm tra theo quy tắc (Great Expectations)")
    found, summary = validate(
        parsed,
        group_codes=list(reference.groups),
        unit_codes=[unit_code] if unit_code else list(reference.units),
        group_households={code: hh for code, (_, hh) in reference.groups.items()},
        today=today,
    )
    reader_errors = pl.DataFrame(raw.row_errors, schema=ERROR_SCHEMA) if raw.row_errors else None
    all_errors = pl.concat(
        [e for e in (reader_errors, parsed.errors, duplicate_key_errors(parsed), found) if e is not None]
    )
    errors = describe(
        all_errors,
        contract,
        parsed.strings,
        reference,
        unit_code=unit_code,
        today=today,
        date_evidence=parsed.date_evidence,
    )
    locked = locked_rows(parsed.typed, parsed.strings, contract, reference, errors)
    if not locked.is_empty():
        errors = pl.concat([errors, locked]).sort("line", maintain_order=True)
    bad_lines = errors["line"].unique().implode()
    accepted = parsed.typed.filter(~pl.col(LINE).is_in(bad_lines))
    rows_total = parsed.typed.height + len(raw.row_errors)
    return Prepared(
        contract=contract,
        raw=raw,
        parsed=parsed,
        accepted=accepted,
        errors=errors,
        rows_total=rows_total,
        rejected_lines=rows_total - accepted.height,
        validation=summary,
    )


def _published(
    warehouse: Warehouse, sha: str, feed: str, unit_code: str, date_order: str | None
) -> tuple[Reference | None, tuple | None]:
    """From the published snapshot, without the writer lock: the ward's lists, and an earlier load of these bytes."""
    if not warehouse.exists():
        return None, None
    try:
        with warehouse.reading() as con:
            return read_reference(con), _duplicate(con, sha, feed, unit_code, date_order)
    except duckdb.Error:
        return None, None  # no usable snapshot: the writer's own copy decides below


def _duplicate(con, sha: str, feed: str, unit_code: str, date_order: str | None) -> tuple | None:
    """(upload_id, rows_total, rows_accepted, rows_rejected) of the load of these bytes read the same way."""
    if date_order == "mdy":  # the same bytes read day first before are not this upload
        previous = _loaded_month_first(con, sha, feed, unit_code)
    else:
        previous = find_loaded(con, sha, feed, unit_code)
    if previous is None:
        return None
    if _reopened_since(con, previous, feed):
        return None  # rows refused for a month locked then were not loaded: judge the file again
    row = con.sql(
        "SELECT rows_total, rows_accepted, rows_rejected FROM raw.uploads WHERE upload_id = ?",
        params=[previous],
    ).fetchall()[0]
    return (previous, *row)


def _in_ward_home(fn: Callable) -> Callable:
    """Run `fn(warehouse, …)` with that ward's own feeds in use, whatever DOTHIXANH_HOME says."""

    @functools.wraps(fn)
    def run(warehouse, *args, **kwargs):
        with c.using_home(warehouse.home):
            return fn(warehouse, *args, **kwargs)

    return run


@logged_upload  # one event per upload (warehouse/events.py), whatever the outcome
@_in_ward_home
def ingest(
    warehouse: Warehouse,
    data: bytes,
    *,
    feed: str,
    unit_code: str,
    file_name: str = "",
    uploaded_by: str | None = None,  # named here: logged_upload reads it from this signature
    **options,
):
    """Load one unit file (see `_ingest`); a write refused by the disk before the commit refuses the file.

    After the commit nothing raises (a failed refresh or publish is `IngestResult.warning`).
    """
    try:
        who = {"feed": feed, "unit_code": unit_code, "file_name": file_name, "uploaded_by": uploaded_by}
        return _ingest(warehouse, data, **who, **options)
    except OSError as exc:  # a full disk before the commit: nothing was written
        reason = disk_error_refusal(exc)
        return IngestResult(
            status="refused", feed=feed, unit_code=unit_code, file_name=file_name, reason=reason
        )


def _ingest(
    warehouse: Warehouse,
    data: bytes,
    *,
    feed: str,
    unit_code: str,
    file_name: str = "",
    uploaded_by: str | None = None,
    received_at: dt.datetime | None = None,
    today: dt.date | None = None,
    date_order: str | None = None,
    progress: Progress = _quiet,
    fail_after_insert: bool = False,
    refresh: bool = True,
    sandbox=None,
    report_month: dt.date | None = None,
    turn: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> IngestResult:
    """Load one unit file. Files are judged side by side in the sandbox; only the load waits for other loads.

    The file is read, typed and validated in a sandboxed worker (pipelines.sandbox) against the
    published reference lists, before the writer lock; under the lock the duplicate check is
    repeated on the master and, if the ward's groups or units changed meanwhile, the file is
    judged again. A header-only file with `report_month` is the unit's «Không có số liệu phát sinh»
    for that month (kept with zero rows). `refresh=False` leaves the marts for one refresh after a batch of loads (the demo
    build). `sandbox` is the pool or service to judge in (default: this process's pool). `turn`, if
    given, is entered before the writer lock is taken: a batch whose files must commit in their order
    (the demo build) judges the next file while this one waits for its turn.
    """
    from pipelines.sandbox import Judged, judge
    from warehouse.load import insert_upload

    contract = c.feed(feed)
    sha = sha256_of(data)
    received_at = received_at or now_vietnam()
    result = IngestResult(
        status="refused", feed=feed, unit_code=unit_code, file_name=file_name, date_order=date_order or "dmy"
    )

    def duplicate(found: tuple) -> IngestResult:
        result.status = "duplicate"
        result.upload_id, result.rows_total, result.rows_accepted, result.rows_rejected = found
        return result

    def reading(step: str) -> None:
        fault_point("reading")  # test hook: this process killed while its file is read in a worker
        progress(step)

    def judged_against(reference: Reference) -> Judged | FileRefused:
        try:
            return judge(
                path=warehouse.home / stored_path,  # the kept original: its bytes need not be sent
                feed=feed,
                unit_code=unit_code,
                file_name=file_name,
                reference=reference,
                today=today,
                date_order=date_order,
                progress=reading,
                sandbox=sandbox,
            )
        except FileRefused as refused:
            return refused

    with ThreadPoolExecutor(max_workers=1) as background:
        # Keeping the original bytes is I/O (content-addressed, atomic): no lock needed.
        stored = background.submit(warehouse.store_file, data, sha)
        reference, previous = _published(warehouse, sha, feed, unit_code, date_order)
        stored_path = stored.result()
        if previous is not None:
            return duplicate(previous)
        verdict = judged_against(reference) if reference is not None else None
    progress("Chờ lượt ghi vào kho dữ liệu")
    with (
        turn() if turn else contextlib.nullcontext(),
        warehouse.writing(catch_up=refresh, publish=refresh) as con,
    ):
        previous = _duplicate(con, sha, feed, unit_code, date_order)
        if previous is not None:
            return duplicate(previous)
        current = read_reference(con)
        if verdict is None or current != reference:
            verdict = judged_against(current)  # the ward's lists changed while the file was judged
        result.usage = getattr(verdict, "usage", None) or {}
        record = UploadRecord(
            feed=feed,
            unit_code=unit_code,
            file_name=file_name,
            sha256=sha,
            size_bytes=len(data),
            stored_path=stored_path,
            received_at=received_at,
            status="refused",
            uploaded_by=uploaded_by,
        )
        if isinstance(verdict, FileRefused) and report_month and verdict.reason.startswith(HEADER_ONLY):
            from pipelines.nothing_to_report import record_declaration

            result.reason = None
            record_declaration(
                con,
                feed=feed,
                unit_code=unit_code,
                month=report_month.replace(day=1),
                data=data,
                file_name=file_name,
                stored_path=stored_path,
                uploaded_by=uploaded_by,
                received_at=received_at,
                result=result,
            )
            if result.status == "loaded" and refresh:
                warehouse.after_commit(lambda: refresh_marts(con, warehouse.home, today=today))
            return result
        if isinstance(verdict, FileRefused):
            record.refusal_reason = verdict.reason
            result.upload_id = insert_upload(con, record)
            result.reason = verdict.reason
            return result
        progress("Ghi vào kho dữ liệu")
        accepted = verdict.accepted
        moved = locked_corrections(con, contract, unit_code, accepted, current)
        if not moved.is_empty():  # corrections of records that sit in a locked month: refused too
            accepted = accepted.filter(~pl.col(LINE).is_in(moved["line"].implode()))
            verdict.errors = pl.concat([verdict.errors, moved]).sort("line", maintain_order=True)
            verdict.rejected_lines += moved.height
        date_col = contract.date_column
        record.status = "loaded"
        record.file_format = verdict.file_format
        record.encoding = verdict.encoding
        record.delimiter = verdict.delimiter
        record.rows_total = verdict.rows_total
        record.rows_accepted = accepted.height
        record.rows_rejected = verdict.rejected_lines
        record.extra_columns = verdict.extra_columns
        record.validation_result = verdict.validation
        if date_order == "mdy":
            # How the file was read, so that re-sending it read the same way is a duplicate.
            record.validation_result = {**verdict.validation, "date_order": date_order}
        if date_col and accepted.height:
            record.period_start = accepted[date_col].min()
            record.period_end = accepted[date_col].max()
            record.report_months = (
                accepted[date_col].dt.truncate("1mo").unique().sort().drop_nulls().to_list()
            )
        incoming = accepted.estimated_size() + verdict.errors.estimated_size() + len(data)
        result.reason = warehouse.space_refusal(incoming)  # room for the load and one snapshot?
        if result.reason:
            return result
        upload_id, corrected = load_feed(
            con, contract, record, accepted, verdict.errors, fail_after_insert=fail_after_insert
        )
        if refresh:  # committed: a failure from here on is a warning, and the next writer catches up
            warehouse.after_commit(lambda: refresh_marts(con, warehouse.home, today=today))
    if warehouse.after_commit_warning:
        result.warning = (
            "Tệp đã được nạp vào kho, nhưng bảng điều khiển chưa cập nhật được "
            f"({warehouse.after_commit_warning}). Không cần gửi lại tệp: bảng điều khiển sẽ tự "
            "cập nhật ở lần ghi tiếp theo hoặc khi máy chủ khởi động lại."
        )
    result.status = "loaded"
    result.upload_id = upload_id
    result.rows_total = verdict.rows_total
    result.rows_accepted = accepted.height
    result.rows_rejected = verdict.rejected_lines
    result.rows_corrected = corrected
    result.rows_new = accepted.height - corrected
    result.errors = verdict.errors
    result.extra_columns = verdict.extra_columns
    result.encoding = verdict.encoding
    result.delimiter = verdict.delimiter
    result.date_order_hint = verdict.date_order_hint
    return result


def _reopened_since(con, upload_id: int, feed: str) -> bool:
    """The upload had rows refused for a locked month, and a month of this feed was reopened since."""
    return bool(
        con.sql(
            "SELECT count(*) FROM raw.uploads AS u WHERE u.upload_id = ? "
            "AND EXISTS (SELECT 1 FROM raw.rejected_rows AS r WHERE r.upload_id = u.upload_id "
            "AND r.rule = 'locked_period') "
            "AND EXISTS (SELECT 1 FROM raw.approval_actions AS a WHERE a.feed = ? AND a.action = 'reopen' "
            "AND a.acted_at > u.received_at)",
            params=[upload_id, feed],
        ).fetchall()[0][0]
    )


def _loaded_month_first(con, sha256: str, feed: str, unit_code: str) -> int | None:
    """The upload that loaded these bytes read month/day/year (see `date_order` in validation_result)."""
    rows = con.sql(
        "SELECT upload_id FROM raw.uploads WHERE sha256 = ? AND feed = ? AND unit_code = ? "
        "AND status = 'loaded' AND validation_result->>'$.date_order' = 'mdy' ORDER BY upload_id LIMIT 1",
        params=[sha256, feed, unit_code],
    ).fetchall()
    return rows[0][0] if rows else None


class ReferenceRefused(Exception):
    """A groups/units file with errors: nothing is stored."""

    def __init__(self, reason: str, errors: pl.DataFrame | None = None):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors if errors is not None else pl.DataFrame(schema=MESSAGE_SCHEMA)


def _prepare_reference(data: bytes, contract: c.Contract, file_name: str, reference: Reference):
    from pipelines.sandbox import judge

    try:
        prepared = judge(data, feed=contract.name, unit_code=None, file_name=file_name, reference=reference)
    except FileRefused as refused:
        raise ReferenceRefused(f"{file_name}: {refused.reason}") from None
    if not prepared.errors.is_empty():
        raise ReferenceRefused(
            f"{file_name}: {prepared.errors.height} lỗi; chưa lưu gì. Hãy sửa rồi chạy lại.",
            prepared.errors,
        )
    return prepared


@dataclass(frozen=True)
class ReferenceSaved:
    """What `init` did to one list: the version now in force, and whether it is new."""

    kind: str
    version: int
    created: bool
    valid_from: dt.date | None


@_in_ward_home
def init_ward(
    warehouse: Warehouse, groups: tuple[bytes, str], units: tuple[bytes, str], **options
) -> tuple[int, int]:
    """Set up (or update) a ward from its groups and units files; both must be clean.

    `options`: those of `save_reference_lists` (created_by, valid_from)."""
    saved = save_reference_lists(warehouse, groups, units, **options)
    return saved[0].version, saved[1].version


def _default_valid_from(con, kind: str, warehouse: Warehouse, today: dt.date) -> dt.date:
    """Today for a new version; the campaign start for a ward's first list (it applies from the beginning)."""
    from warehouse.load import latest_reference_version
    from warehouse.settings import SettingsError, default_settings, load_settings

    if latest_reference_version(con, kind) is not None:
        return today
    try:
        start = load_settings(warehouse.home).campaign_start
    except (SettingsError, OSError):
        start = default_settings().campaign_start
    return min(start, today)


@_in_ward_home
def save_reference_lists(
    warehouse: Warehouse,
    groups: tuple[bytes, str],
    units: tuple[bytes, str],
    *,
    created_by: str | None = None,
    valid_from: dt.date | None = None,
) -> tuple[ReferenceSaved, ReferenceSaved]:
    """Store a new version of each list whose content changed, valid from `valid_from` (default today).

    A list with exactly the content of its last version creates no version; when neither list
    changed nothing is written at all.
    """
    from warehouse.load import same_reference

    empty = Reference()
    groups_ready = _prepare_reference(groups[0], c.GROUPS, groups[1], empty)
    units_ready = _prepare_reference(units[0], c.UNITS, units[1], empty)
    with warehouse.writing() as con:
        now = now_vietnam()
        saved = []
        for kind, ready, (data, name) in (
            ("groups", groups_ready, groups),
            ("units", units_ready, units),
        ):
            frame = ready.accepted.drop(LINE)
            same = same_reference(con, kind, frame)
            if same is not None:
                saved.append(ReferenceSaved(kind, same, False, None))
                continue
            sha = sha256_of(data)
            starts = valid_from or _default_valid_from(con, kind, warehouse, now.date())
            version = load_reference(
                con,
                kind,
                frame,
                file_name=name,
                sha256=sha,
                stored_path=warehouse.store_file(data, sha),
                created_at=now,
                created_by=created_by,
                valid_from=starts,
            )
            saved.append(ReferenceSaved(kind, version, True, starts))
        if any(item.created for item in saved):
            refresh_marts(con, warehouse.home)
    return saved[0], saved[1]
