"""Printable evaluation reports: Excel (one sheet per section), PDF (tables and charts) and CSV.

Pure functions, no Streamlit: the dashboard's download buttons and `dothixanh
report` call the same code. `evaluation_report_data` is the only place that
queries the marts (live figures, or the rows of a frozen snapshot); `to_xlsx`
and `to_pdf` only lay those rows out.

Text that came from users (group names, unit names, notes) is never written
as something a spreadsheet could run: in XLSX every text cell goes through
`write_string` (and the workbook refuses to turn strings into formulas); in
CSV a text cell starting with = + - @, a tab or a carriage return gets a
leading apostrophe.

The PDF embeds DejaVu Sans from matplotlib's own data folder, so Vietnamese
diacritics render on any machine where the package installs, with no system
font needed; the charts are drawn with matplotlib (Agg, same font) as PNG.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines import contracts as c
from pipelines import formats
from warehouse import evaluation as ev

WARD_VI, WARD_EN = "Lê Chân", "Lê Chân"
BOM = "\ufeff".encode()
# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Same tier colours as the dashboard's charts (best first); spread over the ward's tiers so the worst is red.
TIER_COLOURS = ["#1b5e20", "#43a047", "#f9a825", "#ef6c00", "#c62828"]
GREEN, RED, GREY = "#2e7d32", "#c62828", "#9e9e9e"

# Labels of the reports, Vietnamese first (the dashboard's translation table may absorb them later).
LABELS: dict[str, tuple[str, str]] = {
    "committee": ("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE"),
    "ward_upper": ("PHƯỜNG LÊ CHÂN", "OF LÊ CHÂN WARD"),
    "ward_header": ("ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN", "PEOPLE'S COMMITTEE OF LÊ CHÂN WARD"),
    "nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "campaign": (
        "Phong trào “Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh - Hiện đại” giai đoạn 2026 - 2030",
        "Campaign “Build Hải Phòng: a Green, Civilised, Modern City” 2026 - 2030",
    ),
    "title": ("BÁO CÁO KẾT QUẢ ĐÁNH GIÁ", "EVALUATION REPORT"),
    "place_date": ("Lê Chân, ngày {d:02d} tháng {m:02d} năm {y}", "Lê Chân, {date}"),
    "window": ("Kỳ đánh giá: {start} – {end}", "Evaluation window: {start} – {end}"),
    "as_of": ("Số liệu tính đến ngày {date}", "Figures up to {date}"),
    "status_in_progress": ("kỳ đang diễn ra", "window still running"),
    "status_complete": ("kỳ đã kết thúc", "window closed"),
    "status_not_started": ("kỳ chưa bắt đầu", "window not started"),
    "frozen_source": (
        "Số liệu theo bản chốt số {id} lúc {at}; mã băm nội dung {hash}",
        "Figures as frozen in snapshot {id} at {at}; content hash {hash}",
    ),
    "live_source": ("Số liệu hiện hành (chưa chốt)", "Live figures (not frozen)"),
    "frozen_before": (
        "Kỳ này đã chốt {n} lần; lần gần nhất số {id} lúc {at}: từ đó {changed} tổ thay đổi hạng, điểm hoặc xếp loại.",
        "This evaluation was frozen {n} time(s); the latest, number {id} at {at}: {changed} group(s) changed "
        "rank, score or tier since.",
    ),
    # sheets
    "sheet_summary": ("Tổng hợp", "Summary"),
    "sheet_indicators": ("Chỉ tiêu phường", "Ward indicators"),
    "sheet_league": ("Xếp hạng", "League table"),
    "sheet_components": ("Điểm thành phần", "Component scores"),
    "sheet_completeness": ("Báo cáo đơn vị", "Unit reporting"),
    # summary sheet
    "item": ("Mục", "Item"),
    "content": ("Nội dung", "Content"),
    "evaluation_code": ("Mã kỳ đánh giá", "Evaluation code"),
    "evaluation_label": ("Kỳ đánh giá", "Evaluation"),
    "window_start": ("Ngày bắt đầu", "First day"),
    "window_end": ("Ngày kết thúc", "Last day"),
    "data_end": ("Số liệu tính đến", "Figures up to"),
    "period_status": ("Trạng thái kỳ", "Window status"),
    "issued_on": ("Ngày lập báo cáo", "Date of issue"),
    "source": ("Nguồn số liệu", "Source of the figures"),
    "settings_hash": ("Mã băm tệp thiết lập (SHA-256)", "Settings file hash (SHA-256)"),
    "groups_total": ("Số tổ dân phố", "Residential groups"),
    "groups_ranked": ("Số tổ được xếp hạng", "Groups ranked"),
    "indicators_targeted": ("Số chỉ tiêu toàn phường có đặt chỉ tiêu", "Ward indicators with a target"),
    "indicators_on_track": ("Số chỉ tiêu toàn phường đạt", "Ward indicators on track"),
    "reports_due": ("Số báo cáo tháng đã đến hạn", "Monthly reports due"),
    "reports_received_share": ("Tỷ lệ báo cáo đã nhận (%)", "Reports received (%)"),
    "reports_on_time_share": ("Tỷ lệ báo cáo đúng hạn (%)", "Reports on time (%)"),
    "scoring": ("Cách tính điểm", "How the score works"),
    "snapshots": ("Các lần chốt số liệu của kỳ", "Frozen snapshots of this evaluation"),
    "snapshot_id": ("Số bản chốt", "Snapshot"),
    "frozen_at": ("Thời điểm chốt", "Frozen at"),
    "frozen_by": ("Người chốt", "Frozen by"),
    "note": ("Ghi chú", "Note"),
    "content_hash": ("Mã băm nội dung", "Content hash"),
    "groups_changed": ("Số tổ thay đổi từ khi chốt", "Groups changed since"),
    # indicator sheet
    "no": ("STT", "No."),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "unit": ("Đơn vị tính", "Unit"),
    "formula": ("Công thức", "Formula"),
    "direction": ("Chiều tốt", "Better when"),
    "higher": ("càng cao càng tốt", "higher"),
    "lower": ("càng thấp càng tốt", "lower"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "sample_size": ("Cỡ mẫu", "Sample size"),
    "value": ("Giá trị", "Value"),
    "target": ("Chỉ tiêu của kỳ", "Target"),
    "gap": ("Chênh lệch", "Gap"),
    "assessment": ("Đánh giá", "Assessment"),
    "on_track": ("Đạt", "On track"),
    "off_track": ("Chưa đạt", "Off track"),
    "no_target": ("Chưa đặt chỉ tiêu", "No target set"),
    "no_value": ("Chưa có số liệu", "No value"),
    "reason": ("Lý do / ghi chú", "Reason / note"),
    # league
    "rank": ("Hạng", "Rank"),
    "group_code": ("Mã tổ", "Group code"),
    "group": ("Tổ dân phố", "Residential group"),
    "score": ("Điểm thi đua", "Score"),
    "tier": ("Xếp loại", "Tier"),
    "scored_count": ("Số chỉ tiêu đã chấm", "Indicators scored"),
    "weight_share": ("Tỷ lệ trọng số đã chấm (%)", "Weight scored (%)"),
    "raw_value": ("Giá trị của tổ", "Group's value"),
    "best": ("Tốt nhất", "Best"),
    "worst": ("Kém nhất", "Worst"),
    "component_score": ("Điểm thành phần", "Component score"),
    "weight": ("Trọng số", "Weight"),
    "min_sample": ("Cỡ mẫu tối thiểu", "Minimum sample"),
    "status": ("Trạng thái", "Status"),
    "scored": ("Đã chấm điểm", "Scored"),
    "insufficient_data": ("Chưa đủ dữ liệu", "Not enough data"),
    # completeness
    "unit_name": ("Đơn vị", "Reporting unit"),
    "feed": ("Loại dữ liệu", "Feed"),
    "expected": ("Báo cáo đến hạn", "Reports due"),
    "received": ("Đã nhận", "Received"),
    "on_time": ("Đúng hạn", "On time"),
    "received_early": ("Nhận trước hạn (chưa đến hạn)", "Received before due"),
    "received_share": ("Tỷ lệ đã nhận (%)", "Received (%)"),
    "on_time_share": ("Tỷ lệ đúng hạn (%)", "On time (%)"),
    "ward_total": ("Toàn phường", "Whole ward"),
    # pdf
    "section_summary": ("1. Tóm tắt", "1. Summary"),
    "section_indicators": ("2. Chỉ tiêu toàn phường", "2. Ward indicators"),
    "section_league": ("3. Bảng xếp hạng thi đua các tổ dân phố", "3. League table of residential groups"),
    "section_components": ("4. Điểm thành phần của từng tổ", "4. Component scores of each group"),
    "section_scoring": ("5. Cách tính điểm thi đua", "5. How the emulation score is computed"),
    "section_completeness": ("6. Tình hình gửi báo cáo của các đơn vị", "6. Reporting by the units"),
    "section_formulas": ("Phụ lục: công thức các chỉ tiêu", "Appendix: indicator formulas"),
    "window_note": ("Lưu ý: {note}", "Note (in Vietnamese): {note}"),
    "window_note_item": ("Lưu ý về số liệu", "Note on the figures"),
    "summary_ranked": (
        "Số tổ dân phố được xếp hạng: {ranked}/{total}.",
        "Groups ranked: {ranked} of {total}.",
    ),
    "summary_on_track": (
        "Chỉ tiêu toàn phường đạt: {on}/{targeted} chỉ tiêu có đặt chỉ tiêu cho kỳ.",
        "Ward indicators on track: {on} of the {targeted} with a target for the window.",
    ),
    "summary_reports": (
        "Báo cáo tháng của các đơn vị: đã nhận {received}%, đúng hạn {on_time}% trên {due} báo cáo đã đến hạn.",
        "Units' monthly reports: {received}% received, {on_time}% on time, of {due} reports due.",
    ),
    "summary_no_reports": ("Chưa có báo cáo tháng nào đến hạn trong kỳ.", "No monthly report was due yet."),
    "summary_leaders": ("Dẫn đầu: {names}.", "Leading: {names}."),
    "summary_none_ranked": (
        "Chưa có tổ dân phố nào đủ dữ liệu để xếp hạng.",
        "No residential group has enough data to be ranked yet.",
    ),
    "points": ("{score} điểm", "{score} points"),
    "chart_indicators_title": (
        "Chỉ tiêu toàn phường so với chỉ tiêu của kỳ (vạch đen: chỉ tiêu; xanh: đạt; đỏ: chưa đạt)",
        "Ward indicators against the window's target (black mark: target; green: on track; red: off track)",
    ),
    "chart_target_word": ("chỉ tiêu", "target"),
    "chart_league_title": (
        "Điểm thi đua của các tổ dân phố được xếp hạng",
        "Emulation score of the ranked residential groups",
    ),
    "chart_league_axis": ("Điểm thi đua (0 - 100)", "Emulation score (0-100)"),
    "chart_target_line": ("Đạt chỉ tiêu = 50 điểm", "Meeting the target = 50 points"),
    "no_chart_data": ("Chưa có số liệu để vẽ biểu đồ.", "No figures to chart yet."),
    "not_ranked_note": (
        "Các tổ chưa đủ dữ liệu để xếp hạng được liệt kê cuối bảng, kèm lý do.",
        "Groups without enough data to be ranked are listed last, with the reason.",
    ),
    "components_note": (
        "Điểm 0 - 100 của từng chỉ tiêu có trọng số (trọng số ghi dưới tên chỉ tiêu); «—»: chưa đủ dữ liệu "
        "hoặc chưa đặt chỉ tiêu, không tính vào điểm của tổ.",
        "Score 0-100 of each weighted indicator (weight under its name); “—”: not enough data or no target, "
        "left out of the group's score.",
    ),
    "scoring_plain": (
        "Mỗi chỉ tiêu có trọng số được chấm từ 0 đến 100 điểm theo chiều tốt của chỉ tiêu: 50 điểm tại chỉ tiêu "
        "của kỳ, 100 điểm tại tổ tốt nhất (nếu tổ đó đạt chỉ tiêu), 0 điểm tại tổ kém nhất (nếu tổ đó chưa đạt), "
        "ở giữa tính theo tỷ lệ. Điểm thi đua của tổ là trung bình theo trọng số của các chỉ tiêu đã chấm "
        "(chỉ tiêu chưa đủ dữ liệu không tính, trọng số được chia lại). Một tổ chỉ được xếp hạng khi các chỉ "
        "tiêu đã chấm chiếm ít nhất {share}% tổng trọng số. Xếp loại: {tiers}.",
        "Each weighted indicator is scored 0 to 100 in its better direction: 50 points at the window's "
        "target, 100 at the best group (when it meets the target), 0 at the worst (when it misses it), "
        "linear in between. A group's score is the weighted mean of the indicators it was scored on "
        "(indicators without enough data are left out and the weights renormalised). A group is ranked "
        "only when those indicators carry at least {share}% of the total weight. Tiers: {tiers}.",
    ),
    "scoring_formula": (
        "Công thức (theo tài liệu của kho dữ liệu): {text}",
        "Formula (warehouse documentation): {text}",
    ),
    "tier_from": ("{label}: từ {score} điểm", "{label}: from {score} points"),
    "weights_heading": ("Trọng số và điều kiện chấm điểm của kỳ", "Weights and scoring conditions"),
    "page": ("Trang {x}/{y}", "Page {x}/{y}"),
    "running_header": ("UBND phường Lê Chân — {label}", "Lê Chân ward — {label}"),
    "no_rows": ("(Không có dòng nào)", "(No rows)"),
}
# Tier labels come from the ward's settings (Vietnamese); the defaults have an English name.
TIERS_EN = {
    "Xuất sắc": "Excellent",
    "Tốt": "Good",
    "Khá": "Fair",
    "Cần cố gắng": "Needs effort",
    "Chưa đủ dữ liệu": "Not enough data",
}
REASONS_EN = {
    "not_started": "The window has not started",
    "no_data": "No file of this feed covers the window yet",
    "zero_denominator": "Cannot be computed: the denominator is 0",
}


def label(key: str, lang: str = "vi", **values) -> str:
    """A report label in the language asked for (Vietnamese when unknown), with values filled in."""
    vi, en = LABELS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


# -- formats --------------------------------------------------------------------------------------


# One Vietnamese formatter for the whole project (pipelines/formats.py).
fmt_number, fmt_value, fmt_signed = formats.number, formats.smart, formats.signed
fmt_date, fmt_datetime = formats.date, formats.datetime


# -- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    """Everything a report of one evaluation shows, read from the marts once."""

    evaluation: str
    label_vi: str
    label_en: str
    window_start: dt.date
    window_end: dt.date
    as_of: dt.date
    period_status: str  # complete | in_progress | not_started
    issued_on: dt.date
    settings_sha256: str
    min_weight_share: float
    tiers: tuple[tuple[float, str], ...]  # best first
    snapshot: ev.Snapshot | None  # the frozen snapshot shown, or None for live figures
    ward_indicators: pl.DataFrame
    league: pl.DataFrame
    components: pl.DataFrame
    completeness: pl.DataFrame
    snapshots: pl.DataFrame
    scoring_vi: str
    scoring_en: str
    # Whether the window is still running or its unit reports incomplete, with the dates (live figures only).
    window_note: str | None = None

    @property
    def data_end(self) -> dt.date:
        """Last day counted: the window's end, or the as-of date of a running window."""
        return min(self.window_end, self.as_of)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


_WARD_INDICATORS = """
SELECT
    v.indicator_id, v.indicator_name_vi, i.name_en AS indicator_name_en, v.unit_vi, i.unit_en,
    v.formula_vi, i.formula_en, v.direction, v.numerator, v.denominator, v.sample_size,
    v.value, v.target, v.gap_to_target, v.on_track, v.reason, v.reason_vi, v.indicator_order,
    v.data_status, v.data_status_vi
FROM {source} AS v
LEFT JOIN marts.indicators AS i USING (indicator_id)
WHERE v.scope = 'ward' AND {where}
ORDER BY v.indicator_order
"""
_INDICATOR_SOURCES = {
    False: ("marts.indicator_values", "v.period_type = 'evaluation' AND v.period_key = ?"),
    True: ("marts.evaluation_snapshot_indicators", "v.snapshot_id = ?"),
}
_COMPLETENESS = """
SELECT s.level, s.unit_code, u.unit_name, s.feed, s.expected, s.received, s.on_time,
    s.received_not_yet_due, s.received_share, s.on_time_share, s.reason_vi
FROM marts.reporting_summary AS s
LEFT JOIN units AS u USING (unit_code)
WHERE s.period_type = 'evaluation' AND s.period_key = ?
ORDER BY CASE s.level WHEN 'unit_feed' THEN 0 WHEN 'unit' THEN 1 ELSE 2 END, s.unit_code, s.feed
"""
_SNAPSHOTS = """
SELECT s.snapshot_id, s.frozen_at, s.frozen_by, s.note, s.as_of, s.settings_sha256, s.content_sha256,
    s.groups_ranked,
    (SELECT count(*) FROM evaluation_changes AS ch WHERE ch.snapshot_id = s.snapshot_id AND ch.changed)
        AS groups_changed
FROM marts.evaluation_snapshots AS s
WHERE s.evaluation = ?
ORDER BY s.snapshot_id
"""
_WINDOW = """
SELECT w.label_en, p.settings_sha256, p.min_weight_share
FROM marts.evaluation_windows AS w CROSS JOIN marts.settings_params AS p
WHERE w.evaluation = ?
"""
_MART_COMMENTS = """
SELECT table_name, comment FROM duckdb_tables()
WHERE schema_name = 'marts' AND table_name IN ('league_components', 'league_table')
"""


def evaluation_report_data(
    con: duckdb.DuckDBPyConnection,
    evaluation: str,
    *,
    snapshot_id: int | None = None,
    issued_on: dt.date | None = None,
) -> ReportData:
    """Read one evaluation's report from the marts (or from a frozen snapshot); UnknownEvaluation if undefined."""
    from warehouse.store import now_vietnam

    info = ev.evaluation_info(con, evaluation)  # raises UnknownEvaluation listing the valid names
    label_en, settings_sha, min_share = con.sql(_WINDOW, params=[evaluation]).fetchall()[0]
    tiers = tuple(
        (float(score), name)
        for score, name in con.sql(
            "SELECT min_score, label_vi FROM marts.settings_tiers ORDER BY min_score DESC"
        ).fetchall()
    )
    snap = ev.snapshot(con, evaluation, snapshot_id) if snapshot_id is not None else None
    as_of = info.as_of
    if snap is not None:
        as_of, settings_sha = snap.as_of, snap.settings_sha256
        tiers, min_share = _frozen_settings(con, snap.snapshot_id, tiers, min_share)
    source, where = _INDICATOR_SOURCES[snap is not None]
    ward = con.sql(
        _WARD_INDICATORS.format(source=source, where=where),
        params=[snapshot_id if snap is not None else evaluation],
    ).pl()
    league = ev.league_table(con, evaluation, snapshot_id)
    components = ev.league_components(con, evaluation, snapshot_id)
    completeness = con.sql(_COMPLETENESS, params=[evaluation]).pl()
    feeds_vi = {code: contract.label_vi for code, contract in c.FEEDS.items()}
    feeds_en = {code: contract.label_en for code, contract in c.FEEDS.items()}
    completeness = completeness.with_columns(
        pl.col("feed").replace_strict(feeds_vi, default=pl.col("feed")).alias("feed_label_vi"),
        pl.col("feed").replace_strict(feeds_en, default=pl.col("feed")).alias("feed_label_en"),
    )
    snapshots = con.sql(_SNAPSHOTS, params=[evaluation]).pl()
    comments = dict(con.sql(_MART_COMMENTS).fetchall())
    scoring_vi, scoring_en = _split_comment(comments.get("league_components"))
    if info.start > as_of:
        status = "not_started"
    elif info.end <= as_of:
        status = "complete"
    else:
        status = "in_progress"
    return ReportData(
        evaluation=evaluation,
        label_vi=info.label_vi,
        label_en=label_en or info.label_vi,
        window_start=info.start,
        window_end=info.end,
        as_of=as_of,
        period_status=status,
        issued_on=issued_on or now_vietnam().date(),
        settings_sha256=settings_sha or "",
        min_weight_share=float(min_share),
        tiers=tiers,
        snapshot=snap,
        ward_indicators=ward,
        league=league,
        components=components,
        completeness=completeness,
        snapshots=snapshots,
        scoring_vi=scoring_vi,
        scoring_en=scoring_en,
        window_note=_window_note(con, evaluation) if snap is None else None,
    )


def _window_note(con, evaluation: str) -> str | None:
    from warehouse.completeness import window_note_vi

    return window_note_vi(con, evaluation)


def _frozen_settings(con, snapshot_id: int, tiers, min_share):
    """The tiers and minimum weight share of the settings a snapshot was frozen with."""
    from warehouse.settings import SettingsError, parse_settings

    text = con.sql(
        "SELECT settings_toml FROM marts.evaluation_snapshots WHERE snapshot_id = ?", params=[snapshot_id]
    ).fetchall()[0][0]
    try:
        settings = parse_settings(text or "", "bản chốt")
    except SettingsError:
        return tiers, min_share
    return tuple(sorted(((float(s), n) for s, n in settings.tiers), reverse=True)), settings.min_weight_share


def _split_comment(comment: str | None) -> tuple[str, str]:
    """A mart's 'Vietnamese / English' comment as its two halves (the English half has no ' / ')."""
    if not comment:
        return "", ""
    if " / " not in comment:
        return comment, comment
    vi, en = comment.rsplit(" / ", 1)
    return vi.strip(), en.strip()


# -- shared wording -------------------------------------------------------------------------------


def _tier_name(tier: str | None, lang: str) -> str:
    if tier is None:
        return ""
    return TIERS_EN.get(tier, tier) if lang == "en" else tier


def tier_colours(tiers: Sequence[tuple[float, str]]) -> dict[str, str]:
    """Tier label → colour, best tier dark green, worst red, whatever the number of tiers."""
    n = len(tiers)
    last = len(TIER_COLOURS) - 1
    return {
        name: TIER_COLOURS[round(i * last / (n - 1)) if n > 1 else 0] for i, (_, name) in enumerate(tiers)
    }


def _indicator_name(row: dict, lang: str) -> str:
    return (row.get("indicator_name_en") if lang == "en" else None) or row["indicator_name_vi"]


def _unit(row: dict, lang: str) -> str:
    return (row.get("unit_en") if lang == "en" else None) or row["unit_vi"]


def _assessment(row: dict, lang: str) -> str:
    if row.get("data_status") == "provisional":  # never "Đạt" before every report is in
        return row.get("data_status_vi") or ""
    if row["on_track"] is True:
        return label("on_track", lang)
    if row["on_track"] is False:
        return label("off_track", lang)
    if row["value"] is None:
        return label("no_value", lang)
    return label("no_target", lang)


def _reason(row: dict, lang: str) -> str:
    if row.get("reason") is None:
        return ""
    return REASONS_EN.get(row["reason"], row["reason_vi"] or "") if lang == "en" else row["reason_vi"] or ""


def _component_status(row: dict, lang: str) -> str:
    if lang == "en":
        return (
            label(row["status"], lang)
            if row["status"] in ("scored", "insufficient_data", "no_target")
            else ""
        )
    return row["status_vi"] or ""


def _source_text(data: ReportData, lang: str) -> str:
    if data.snapshot is None:
        return label("live_source", lang)
    return label(
        "frozen_source",
        lang,
        id=data.snapshot.snapshot_id,
        at=fmt_datetime(data.snapshot.frozen_at),
        hash=data.snapshot.content_sha256,
    )


def _frozen_before_text(data: ReportData, lang: str) -> str | None:
    if data.snapshot is not None or data.snapshots.is_empty():
        return None
    last = data.snapshots.row(-1, named=True)
    return label(
        "frozen_before",
        lang,
        n=data.snapshots.height,
        id=last["snapshot_id"],
        at=fmt_datetime(last["frozen_at"]),
        changed=last["groups_changed"],
    )


def _scoring_text(data: ReportData, lang: str) -> str:
    tiers = "; ".join(
        label("tier_from", lang, label=_tier_name(name, lang), score=fmt_value(score, lang))
        for score, name in data.tiers
    )
    return label("scoring_plain", lang, share=fmt_value(100 * data.min_weight_share, lang), tiers=tiers)


def _ward_completeness(data: ReportData) -> dict | None:
    ward = data.completeness.filter(pl.col("level") == "ward")
    return ward.row(0, named=True) if ward.height else None


def _summary_lines(data: ReportData, lang: str) -> list[str]:
    league = data.league
    ranked = league.filter(pl.col("ranked"))
    targeted = data.ward_indicators.filter(pl.col("on_track").is_not_null())
    lines = [label("window_note", lang, note=data.window_note)] if data.window_note else []
    lines.append(label("summary_ranked", lang, ranked=ranked.height, total=league.height))
    if ranked.height:
        leaders = ", ".join(
            f"{r['group_name']} ({label('points', lang, score=fmt_number(r['score'], 1, lang))})"
            for r in ranked.sort("rank").head(3).iter_rows(named=True)
        )
        lines.append(label("summary_leaders", lang, names=leaders))
    else:
        lines.append(label("summary_none_ranked", lang))
    lines.append(
        label(
            "summary_on_track",
            lang,
            on=targeted.filter(pl.col("on_track")).height,
            targeted=targeted.height,
        )
    )
    ward = _ward_completeness(data)
    if ward and ward["expected"]:
        lines.append(
            label(
                "summary_reports",
                lang,
                received=fmt_number(ward["received_share"], 1, lang),
                on_time=fmt_number(ward["on_time_share"], 1, lang),
                due=fmt_number(ward["expected"], 0, lang),
            )
        )
    else:
        lines.append(label("summary_no_reports", lang))
    return lines


def _weights(data: ReportData) -> pl.DataFrame:
    """One row per weighted indicator: name, unit, direction, weight, minimum sample and the group target."""
    if data.components.is_empty():
        return pl.DataFrame()
    names_en = dict(
        zip(data.ward_indicators["indicator_id"], data.ward_indicators["indicator_name_en"], strict=True)
    )
    return (
        data.components.group_by("indicator_id", maintain_order=True)
        .agg(
            pl.col("indicator_name_vi").first(),
            pl.col("unit_vi").first(),
            pl.col("direction").first(),
            pl.col("weight").first(),
            pl.col("min_sample").first(),
            pl.col("target").first(),
            pl.col("indicator_order").first(),
        )
        .with_columns(
            pl.col("indicator_id").replace_strict(names_en, default=None).alias("indicator_name_en")
        )
        .sort("indicator_order")
    )


# -- CSV ------------------------------------------------------------------------------------------


def neutralise(text: str | None) -> str | None:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(frame: pl.DataFrame, *, separator: str = ",") -> bytes:
    """The frame as CSV in UTF-8 with a BOM (Excel then reads Vietnamese right), formulas neutralised."""
    pattern = "^[" + "".join("\\" + ch if ch in "-+" else ch for ch in FORMULA_TRIGGERS) + "]"
    # Structs and objects become text here, not with map_elements: a Python callback run by Polars'
    # thread pool deadlocks the server against a to_pandas() in another session.
    frame = frame.with_columns(
        pl.Series(name, [None if v is None else str(v) for v in frame[name].to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Struct | pl.Object)
    )
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            column = column.cast(pl.List(pl.String)).list.join("; ")
        elif not (dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)):
            columns.append(column)
            continue
        column = column.cast(pl.String)
        columns.append(
            pl.when(column.str.contains(pattern)).then(pl.lit("'") + column).otherwise(column).alias(name)
        )
    safe = frame.select(columns) if columns else frame
    return BOM + safe.write_csv(separator=separator).encode("utf-8")


# -- XLSX -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    header: str
    get: Callable[[dict], object]
    kind: str = "text"  # text | wrap | int | num | score | pct | date | datetime
    width: float | None = None


# Numbers stay numbers; Excel shows them with the reader's own separators (1.234,5 on a Vietnamese PC).
NUMBER_FORMATS = {"int": "#,##0", "num": "#,##0.0#", "score": "0.0", "pct": "0.0"}


class _Formats:
    """xlsxwriter formats made once per workbook."""

    def __init__(self, workbook):
        self.workbook = workbook
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.base = base
        self._cache: dict[tuple, object] = {}
        self.header = workbook.add_format(
            {**base, "bold": True, "bg_color": "#DDEBDD", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.title = workbook.add_format({**base, "bold": True, "font_size": 13})
        self.subtitle = workbook.add_format({**base, "bold": True, "font_size": 11, "text_wrap": True})
        self.label = workbook.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"})

    def get(self, kind: str, value=None, colour: str | None = None):
        num_format = NUMBER_FORMATS.get(kind)
        if kind == "num" and isinstance(value, int | float) and float(value).is_integer():
            num_format = "#,##0"
        if kind in ("date", "datetime"):
            num_format = "dd/mm/yyyy" if kind == "date" else "dd/mm/yyyy hh:mm"
        key = (num_format, kind == "wrap", colour)
        if key not in self._cache:
            spec = {**self.base, "border": 1}
            if num_format:
                spec["num_format"] = num_format
            if kind == "wrap":
                spec["text_wrap"] = True
            if colour:
                spec["font_color"] = colour
            self._cache[key] = self.workbook.add_format(spec)
        return self._cache[key]


def _write_cell(ws, row: int, col: int, value, kind: str, fmt) -> None:
    """One typed cell. Text always via write_string: user text is never a formula, a URL or a number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif kind in ("int", "num", "score", "pct"):
        ws.write_number(row, col, float(value), fmt)
    elif kind == "date":
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    elif kind == "datetime":
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _display_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("date",):
        return 10
    if kind == "datetime":
        return 16
    if kind in ("int", "num", "score", "pct"):
        return len(fmt_value(value)) + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table_sheet(
    workbook,
    formats: _Formats,
    name: str,
    columns: Sequence[_Col],
    rows: Sequence[dict],
    *,
    colour: Callable[[dict, _Col], str | None] | None = None,
    header_text: str = "",
) -> None:
    """A sheet holding one table: bold filled header, frozen, filtered, typed cells, sized columns."""
    ws = workbook.add_worksheet(name)
    widths = [len(col.header) for col in columns]
    for j, col in enumerate(columns):
        ws.write_string(0, j, col.header, formats.header)
    for i, row in enumerate(rows, start=1):
        for j, col in enumerate(columns):
            value = col.get(row)
            fmt = formats.get(col.kind, value, colour(row, col) if colour else None)
            _write_cell(ws, i, j, value, col.kind, fmt)
            widths[j] = max(widths[j], _display_width(value, col.kind))
    for j, col in enumerate(columns):
        width = col.width or min(max(widths[j] + 2, 8), 60)
        ws.set_column(j, j, width)
    ws.set_row(0, 32)
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
    _print_setup(ws, header_text)


def _print_setup(ws, header_text: str) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    if header_text:
        ws.set_header("&L" + header_text.replace("&", "&&")[:200])
    ws.set_footer("&RTrang &P/&N")


def to_xlsx(data: ReportData, lang: str = "vi") -> bytes:
    """The evaluation as an Excel workbook, one formatted sheet per section."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    workbook.set_properties(
        {
            "title": f"{label('title', lang)} — {data.label(lang)}",
            "author": label("ward_header", lang),
            "company": label("ward_header", lang),
            "comments": data.evaluation,
        }
    )
    formats = _Formats(workbook)
    running = label("running_header", lang, label=data.label(lang))
    _summary_sheet(workbook, formats, data, lang)
    _table_sheet(
        workbook,
        formats,
        label("sheet_indicators", lang),
        _indicator_columns(lang),
        [{**r, "_no": i} for i, r in enumerate(data.ward_indicators.iter_rows(named=True), start=1)],
        colour=lambda row, col: _status_colour(row) if col.header == label("assessment", lang) else None,
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_league", lang),
        _league_columns(lang),
        list(data.league.iter_rows(named=True)),
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_components", lang),
        _component_columns(lang, data),
        list(
            data.components.join(_rank_order(data), on="group_code", how="left")
            .sort("_order", "indicator_order")
            .iter_rows(named=True)
        )
        if data.components.height
        else [],
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_completeness", lang),
        _completeness_columns(lang),
        _completeness_rows(data, lang),
        header_text=running,
    )
    workbook.close()
    return buffer.getvalue()


def _rank_order(data: ReportData) -> pl.DataFrame:
    """League order (ranked first, by rank) as a sort key for per-group rows."""
    return data.league.select("group_code").with_row_index("_order")


def _status_colour(row: dict) -> str | None:
    return {True: GREEN, False: RED}.get(row.get("on_track"))


def _indicator_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("no", lang), lambda r: r["_no"], "int", 5),
        _Col(label("indicator", lang), lambda r: _indicator_name(r, lang), "wrap", 40),
        _Col(label("unit", lang), lambda r: _unit(r, lang)),
        _Col(
            label("formula", lang),
            lambda r: (r.get("formula_en") if lang == "en" else None) or r["formula_vi"],
            "wrap",
            50,
        ),
        _Col(label("direction", lang), lambda r: label(r["direction"], lang)),
        _Col(label("numerator", lang), lambda r: r["numerator"], "num"),
        _Col(label("denominator", lang), lambda r: r["denominator"], "num"),
        _Col(label("sample_size", lang), lambda r: r["sample_size"], "num"),
        _Col(label("value", lang), lambda r: r["value"], "num"),
        _Col(label("target", lang), lambda r: r["target"], "num"),
        _Col(label("gap", lang), lambda r: r["gap_to_target"], "num"),
        _Col(label("assessment", lang), lambda r: _assessment(r, lang)),
        _Col(label("reason", lang), lambda r: _reason(r, lang) or None, "wrap", 40),
    ]


def _league_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("rank", lang), lambda r: r["rank"], "int", 7),
        _Col(label("group_code", lang), lambda r: r["group_code"]),
        _Col(label("group", lang), lambda r: r["group_name"]),
        _Col(label("score", lang), lambda r: r["score"], "score"),
        _Col(label("tier", lang), lambda r: _tier_name(r["tier"], lang)),
        _Col(label("scored_count", lang), lambda r: r["indicators_scored"], "int"),
        _Col(
            label("weight_share", lang),
            lambda r: None if r["weight_share"] is None else 100 * r["weight_share"],
            "pct",
        ),
        _Col(label("note", lang), lambda r: r["note_vi"], "wrap", 50),
    ]


def _component_columns(lang: str, data: ReportData) -> list[_Col]:
    names_en = dict(
        zip(data.ward_indicators["indicator_id"], data.ward_indicators["indicator_name_en"], strict=True)
    )
    return [
        _Col(label("group_code", lang), lambda r: r["group_code"]),
        _Col(label("group", lang), lambda r: r["group_name"]),
        _Col(
            label("indicator", lang),
            lambda r: (names_en.get(r["indicator_id"]) if lang == "en" else None) or r["indicator_name_vi"],
            "wrap",
            40,
        ),
        _Col(label("unit", lang), lambda r: r["unit_vi"]),
        _Col(label("direction", lang), lambda r: label(r["direction"], lang)),
        _Col(label("sample_size", lang), lambda r: r["sample_size"], "num"),
        _Col(label("min_sample", lang), lambda r: r["min_sample"], "int"),
        _Col(label("raw_value", lang), lambda r: r["raw_value"], "num"),
        _Col(label("target", lang), lambda r: r["target"], "num"),
        _Col(label("best", lang), lambda r: r["best_value"], "num"),
        _Col(label("worst", lang), lambda r: r["worst_value"], "num"),
        _Col(label("component_score", lang), lambda r: r["component_score"], "score"),
        _Col(label("weight", lang), lambda r: r["weight"], "num"),
        _Col(label("status", lang), lambda r: _component_status(r, lang), "wrap", 45),
    ]


def _completeness_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("unit_name", lang), lambda r: r["unit"], "wrap", 40),
        _Col(label("feed", lang), lambda r: r["feed"]),
        _Col(label("expected", lang), lambda r: r["expected"], "int"),
        _Col(label("received", lang), lambda r: r["received"], "int"),
        _Col(label("on_time", lang), lambda r: r["on_time"], "int"),
        _Col(label("received_early", lang), lambda r: r["received_not_yet_due"], "int"),
        _Col(label("received_share", lang), lambda r: r["received_share"], "pct"),
        _Col(label("on_time_share", lang), lambda r: r["on_time_share"], "pct"),
        _Col(label("note", lang), lambda r: r["reason_vi"], "wrap", 40),
    ]


def _completeness_rows(data: ReportData, lang: str, level: str = "unit_feed") -> list[dict]:
    feed_key = "feed_label_en" if lang == "en" else "feed_label_vi"
    rows = []
    for r in data.completeness.filter(pl.col("level").is_in([level, "ward"])).iter_rows(named=True):
        is_ward = r["level"] == "ward"
        rows.append(
            {
                **r,
                "unit": label("ward_total", lang) if is_ward else (r["unit_name"] or r["unit_code"]),
                "feed": "" if is_ward or r["feed"] is None else r[feed_key],
            }
        )
    return rows


def _summary_sheet(workbook, formats: _Formats, data: ReportData, lang: str) -> None:
    ws = workbook.add_worksheet(label("sheet_summary", lang))
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 80)
    ws.set_column(2, 7, 18)
    ws.write_string(0, 0, label("ward_header", lang), formats.title)
    ws.write_string(1, 0, label("campaign", lang), formats.subtitle)
    ws.write_string(3, 0, label("title", lang), formats.title)
    ws.write_string(4, 0, data.label(lang), formats.subtitle)
    ws.write_string(
        5,
        0,
        label("window", lang, start=fmt_date(data.window_start), end=fmt_date(data.window_end)),
        formats.subtitle,
    )
    ward = _ward_completeness(data) or {}
    targeted = data.ward_indicators.filter(pl.col("on_track").is_not_null())
    items: list[tuple[str, object, str]] = [
        (label("evaluation_code", lang), data.evaluation, "text"),
        (label("evaluation_label", lang), data.label(lang), "text"),
        (label("window_start", lang), data.window_start, "date"),
        (label("window_end", lang), data.window_end, "date"),
        (label("data_end", lang), data.data_end, "date"),
        (label("period_status", lang), label(f"status_{data.period_status}", lang), "text"),
        *([(label("window_note_item", lang), data.window_note, "wrap")] if data.window_note else []),
        (label("issued_on", lang), data.issued_on, "date"),
        (label("source", lang), _source_text(data, lang), "wrap"),
        (label("settings_hash", lang), data.settings_sha256, "text"),
        (label("groups_total", lang), data.league.height, "int"),
        (label("groups_ranked", lang), data.league.filter(pl.col("ranked")).height, "int"),
        (label("indicators_targeted", lang), targeted.height, "int"),
        (label("indicators_on_track", lang), targeted.filter(pl.col("on_track")).height, "int"),
        (label("reports_due", lang), ward.get("expected"), "int"),
        (label("reports_received_share", lang), ward.get("received_share"), "pct"),
        (label("reports_on_time_share", lang), ward.get("on_time_share"), "pct"),
        (label("scoring", lang), _scoring_text(data, lang), "wrap"),
    ]
    frozen_before = _frozen_before_text(data, lang)
    if frozen_before:
        after_source = [name for name, _, _ in items].index(label("source", lang)) + 1
        items.insert(after_source, (label("snapshots", lang), frozen_before, "wrap"))
    top = 7
    ws.write_string(top, 0, label("item", lang), formats.header)
    ws.write_string(top, 1, label("content", lang), formats.header)
    for i, (name, value, kind) in enumerate(items, start=top + 1):
        ws.write_string(i, 0, name, formats.label)
        _write_cell(ws, i, 1, value, kind, formats.get(kind, value))
        if kind == "wrap":
            ws.set_row(i, 15 * max(1, math.ceil(len(str(value)) / 95)))
    row = top + len(items) + 2
    if data.snapshots.height:
        ws.write_string(row, 0, label("snapshots", lang), formats.subtitle)
        row += 1
        headers = [
            ("snapshot_id", "int"),
            ("frozen_at", "datetime"),
            ("frozen_by", "text"),
            ("note", "text"),
            ("data_end", "date"),
            ("content_hash", "text"),
            ("groups_changed", "int"),
        ]
        keys = ["snapshot_id", "frozen_at", "frozen_by", "note", "as_of", "content_sha256", "groups_changed"]
        for j, (key, _) in enumerate(headers):
            ws.write_string(row, j, label(key, lang), formats.header)
        for snap in data.snapshots.iter_rows(named=True):
            row += 1
            for j, ((_, kind), key) in enumerate(zip(headers, keys, strict=True)):
                _write_cell(ws, row, j, snap[key], kind, formats.get(kind, snap[key]))
    _print_setup(ws, "")
    ws.set_portrait()


# -- charts ---------------------------------------------------------------------------------------


def _font_dir() -> Path:
    """matplotlib's bundled fonts (DejaVu Sans has every Vietnamese glyph)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(width_in: float, height_in: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def _chart_style():
    import matplotlib

    return matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 9,
            "axes.titleweight": "bold",
        }
    )


def league_chart_png(data: ReportData, lang: str = "vi") -> bytes | None:
    """Horizontal bars of the ranked groups' scores, best on top, coloured by tier; None if none ranked."""
    ranked = data.league.filter(pl.col("ranked") & pl.col("score").is_not_null()).sort("rank", "group_code")
    if ranked.is_empty():
        return None
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    colours = tier_colours(data.tiers)
    n = ranked.height
    with _chart_style():
        # Room for the bars plus a legend strip under the axis; a long list fills most of a page.
        height = min(9.3, 1.9 + 0.19 * n)
        fig = _figure(7.2, height)
        ax = fig.add_subplot()
        names = [f"{r['rank']}. {_shorten(r['group_name'], 32)}" for r in ranked.iter_rows(named=True)]
        scores = ranked["score"].to_list()
        ax.barh(
            range(n),
            scores,
            color=[colours.get(t, GREY) for t in ranked["tier"]],
            height=0.72,
        )
        for i, score in enumerate(scores):
            ax.text(score + 0.8, i, fmt_number(score, 1, lang), va="center", fontsize=6.5)
        ax.set_yticks(range(n), names, fontsize=6.5 if n > 25 else 7.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 108)
        ax.axvline(50, color="#555555", linestyle="--", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_number(x, 0, lang)))
        ax.set_xlabel(label("chart_league_axis", lang))
        fig.suptitle(label("chart_league_title", lang), x=0.01, ha="left", fontsize=9, fontweight="bold")
        handles = [
            Patch(
                color=colours[name],
                label=label("tier_from", lang, label=_tier_name(name, lang), score=fmt_value(s, lang)),
            )
            for s, name in data.tiers
        ]
        handles.append(
            Line2D(
                [], [], color="#555555", linestyle="--", linewidth=0.8, label=label("chart_target_line", lang)
            )
        )
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
        fig.tight_layout(rect=(0, 0.45 / height, 1, 1))
        return _png(fig)


def indicators_chart_png(data: ReportData, lang: str = "vi") -> bytes | None:
    """The ward's value against the window's target, one row per indicator with both; None if none."""
    rows = [
        r
        for r in data.ward_indicators.iter_rows(named=True)
        if r["value"] is not None and r["target"] is not None
    ]
    if not rows:
        return None
    n = len(rows)
    with _chart_style():
        fig = _figure(7.2, 0.9 + 0.42 * n)
        ax = fig.add_subplot()
        for i, r in enumerate(rows):
            scale = max(abs(r["value"]), abs(r["target"])) or 1.0
            colour = GREEN if r["on_track"] else RED
            ax.barh(i, abs(r["value"]) / scale, color=colour, height=0.55)
            if r["value"] == 0:  # a zero bar has no width: mark it so it does not read as missing
                ax.plot(0, i, marker="o", color=colour, markersize=4, clip_on=False)
            t = abs(r["target"]) / scale
            ax.plot([t, t], [i - 0.38, i + 0.38], color="black", linewidth=2)
            ax.text(
                1.04,
                i,
                f"{fmt_value(r['value'], lang)} / {label('chart_target_word', lang)} "
                f"{formats.with_unit(r['target'], _unit(r, lang), lang)}",
                va="center",
                fontsize=7,
            )
        names = [
            "\n".join(textwrap.wrap(_indicator_name(r, lang), 34)[:2]) + f"\n({label(r['direction'], lang)})"
            for r in rows
        ]
        ax.set_yticks(range(n), names, fontsize=6.8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.75)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        # A figure title, not an axes title: the axes start right of the long indicator names.
        fig.suptitle(label("chart_indicators_title", lang), x=0.01, ha="left", fontsize=8, fontweight="bold")
        fig.tight_layout()
        return _png(fig)


# -- PDF ------------------------------------------------------------------------------------------


def to_pdf(data: ReportData, lang: str = "vi") -> bytes:
    """The evaluation as a printable A4 PDF: ward header, summary, tables, charts, scoring, page numbers."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from dashboard.onepage import fold_untargeted

    fonts = _font_dir()
    header_line = label("running_header", lang, label=data.label(lang))

    class ReportPDF(FPDF):
        def header(self):
            if self.page_no() == 1:
                return
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(110)
            self.cell(0, 5, _shorten(header_line, 120), align="L")
            self.ln(8)
            self.set_text_color(0)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(110)
            self.cell(0, 6, _shorten(f"{data.evaluation} · {data.settings_sha256[:12]}", 80), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, label("page", lang, x=self.page_no(), y="{nb}"), align="R")
            self.set_text_color(0)

    pdf = ReportPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.add_font("DejaVu", "I", fonts / "DejaVuSans-Oblique.ttf")
    pdf.set_title(f"{label('title', lang)} — {data.label(lang)}")
    pdf.set_author(label("ward_header", lang))
    pdf.set_subject(label("campaign", lang))
    pdf.set_lang("en" if lang == "en" else "vi")
    pdf.set_creation_date(dt.datetime.combine(data.issued_on, dt.time(), tzinfo=dt.UTC))
    head = FontFace(emphasis="BOLD", fill_color=(221, 235, 221))
    pdf.add_page()
    width = pdf.epw

    # Ward header, as on the ward's own documents.
    top = pdf.get_y()
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(70, 5, label("committee", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(70, 5, label("ward_upper", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.line(pdf.l_margin + 22, pdf.get_y() + 1, pdf.l_margin + 48, pdf.get_y() + 1)
    pdf.set_xy(pdf.l_margin + 72, top)
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.cell(width - 72, 5, label("nation", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width - 72, 5, label("motto", lang), align="C", new_x="LEFT", new_y="NEXT")
    middle = pdf.l_margin + 72 + (width - 72) / 2
    pdf.line(middle - 27, pdf.get_y() + 1, middle + 27, pdf.get_y() + 1)
    pdf.set_xy(pdf.l_margin + 72, pdf.get_y() + 3)
    pdf.set_font("DejaVu", "I", 9.5)
    issued = data.issued_on
    place = label("place_date", lang, d=issued.day, m=issued.month, y=issued.year, date=fmt_date(issued))
    pdf.cell(width - 72, 5, place, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, label("title", lang), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.multi_cell(0, 5.5, label("campaign", lang), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 11.5)
    pdf.multi_cell(0, 6, data.label(lang), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9.5)
    window = label("window", lang, start=fmt_date(data.window_start), end=fmt_date(data.window_end))
    as_of = label("as_of", lang, date=fmt_date(data.data_end))
    pdf.multi_cell(
        0,
        5,
        f"{window} · {as_of} ({label(f'status_{data.period_status}', lang)})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "I", 8.5)
    pdf.multi_cell(0, 4.5, _source_text(data, lang), align="C", new_x="LMARGIN", new_y="NEXT")
    frozen_before = _frozen_before_text(data, lang)
    if frozen_before:
        pdf.multi_cell(0, 4.5, frozen_before, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    def heading(text: str) -> None:
        if pdf.will_page_break(22):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11.5)
        pdf.set_text_color(27, 94, 32)
        pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.ln(1)

    def paragraph(text: str, size: float = 9.5, style: str = "") -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def image(png: bytes | None) -> None:
        if png is None:
            paragraph(label("no_chart_data", lang), 9, "I")
            return
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            w_px, h_px = img.size
        height = width * h_px / w_px
        if pdf.will_page_break(height):
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width)
        pdf.ln(2)

    def table(headers, rows, widths, aligns, size=8.0, styles=None) -> None:
        pdf.set_font("DejaVu", "", size)
        if not rows:
            paragraph(label("no_rows", lang), 9, "I")
            return
        with pdf.table(
            col_widths=widths,
            text_align=aligns,
            headings_style=head,
            line_height=size * 0.5 + 0.6,
            padding=(0.8, 1.2),
            width=width,
            cell_fill_color=(246, 246, 246),
            cell_fill_mode="ROWS",
            v_align="MIDDLE",
        ) as tbl:
            header = tbl.row()
            for text in headers:
                header.cell(text, align="CENTER")
            for i, values in enumerate(rows):
                row = tbl.row()
                for j, text in enumerate(values):
                    style = styles(i, j) if styles else None
                    row.cell(text, style=style)
        pdf.ln(2)

    # 1. Summary
    heading(label("section_summary", lang))
    for line in _summary_lines(data, lang):
        paragraph("• " + line)

    # 2. Ward indicators
    heading(label("section_indicators", lang))
    ward_rows = list(data.ward_indicators.iter_rows(named=True))
    targeted, folded = fold_untargeted(ward_rows, lang)  # indicators without a target: one line
    table(
        [
            label("indicator", lang),
            label("unit", lang),
            label("value", lang),
            label("target", lang),
            label("gap", lang),
            label("assessment", lang),
        ],
        [
            [
                _indicator_name(r, lang),
                _unit(r, lang),
                fmt_value(r["value"], lang),
                fmt_value(r["target"], lang),
                fmt_signed(r["gap_to_target"], lang),
                _reason(r, lang) or _assessment(r, lang),
            ]
            for r in targeted
        ],
        (62, 22, 18, 18, 18, 42),
        ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        styles=lambda i, j: (
            FontFace(
                color={True: (46, 125, 50), False: (198, 40, 40)}.get(targeted[i]["on_track"], (90, 90, 90))
            )
            if j == 5
            else None
        ),
    )
    paragraph(folded, 8.5, "I") if folded else None
    image(indicators_chart_png(data, lang))

    # 3. League table, never split across pages: it starts on a new page unless it fits on this one.
    league_rows = list(data.league.iter_rows(named=True))
    pdf.add_page() if pdf.will_page_break(14 + 5.4 * (len(league_rows) + 1)) else None
    heading(label("section_league", lang))
    colours = tier_colours(data.tiers)
    with_notes = any(r["note_vi"] for r in league_rows)
    headers = ["rank", "group_code", "group", "score", "tier", "scored_count"] + (
        ["note"] if with_notes else []
    )
    table(
        [label(h, lang) for h in headers],
        [
            [
                "—" if r["rank"] is None else str(r["rank"]),
                r["group_code"],
                r["group_name"],
                fmt_number(r["score"], 1, lang),
                _tier_name(r["tier"], lang),
                f"{r['indicators_scored']}/{r['indicators_weighted']}",
            ]
            + ([r["note_vi"] or ""] if with_notes else [])
            for r in league_rows
        ],
        (11, 17, 44, 17, 22, 18, 51) if with_notes else (14, 22, 80, 22, 28, 14),
        ("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT", "CENTER", "LEFT"),
        7.2,
        styles=lambda i, j: (
            FontFace(emphasis="BOLD", color=colours.get(league_rows[i]["tier"], GREY)) if j == 4 else None
        ),
    )
    if any(not r["ranked"] for r in league_rows):
        paragraph(label("not_ranked_note", lang), 8.5, "I")
    image(league_chart_png(data, lang))

    # 4. Component scores: groups × weighted indicators.
    weights = _weights(data)
    if weights.height:
        n = weights.height
        landscape = (width - 62) / n < 15
        pdf.add_page(orientation="L" if landscape else "P")
        heading(label("section_components", lang))
        paragraph(label("components_note", lang), 8.5, "I")
        scores = {
            (r["group_code"], r["indicator_id"]): r["component_score"]
            for r in data.components.iter_rows(named=True)
        }
        ids = weights["indicator_id"].to_list()
        headers = [label("group", lang), label("score", lang)] + [
            f"{_shorten(_indicator_name(w, lang), 48)} ({label('weight', lang).lower()} {fmt_value(w['weight'], lang)})"
            for w in weights.iter_rows(named=True)
        ]
        rows = [
            [
                f"{'' if r['rank'] is None else str(r['rank']) + '. '}{r['group_name']}",
                fmt_number(r["score"], 1, lang),
            ]
            + [fmt_number(scores.get((r["group_code"], i)), 1, lang) for i in ids]
            for r in league_rows
        ]
        small = 6.5 if n > 6 else 7.5
        table(
            headers,
            rows,
            (46, 16, *([max(10, (pdf.epw - 62) / n)] * n)),
            ("LEFT",) + ("RIGHT",) * (n + 1),
            small,
        )
        if landscape:
            pdf.add_page(orientation="P")

    # 5. Scoring
    heading(label("section_scoring", lang))
    paragraph(_scoring_text(data, lang), 9)
    formula = data.scoring_en if lang == "en" else data.scoring_vi
    if formula:
        pdf.ln(1)
        paragraph(label("scoring_formula", lang, text=formula), 8.5, "I")
    if weights.height:
        pdf.ln(1)
        paragraph(label("weights_heading", lang), 9.5, "B")
        table(
            [
                label("indicator", lang),
                label("direction", lang),
                label("weight", lang),
                label("min_sample", lang),
                label("target", lang),
            ],
            [
                [
                    _indicator_name(w, lang),
                    label(w["direction"], lang),
                    fmt_value(w["weight"], lang),
                    fmt_value(w["min_sample"], lang),
                    formats.with_unit(w["target"], w["unit_vi"], lang),
                ]
                for w in weights.iter_rows(named=True)
            ],
            (78, 32, 18, 22, 30),
            ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )

    # 6. Reporting completeness, per unit.
    heading(label("section_completeness", lang))
    unit_rows = _completeness_rows(data, lang, level="unit")
    table(
        [
            label("unit_name", lang),
            label("expected", lang),
            label("received", lang),
            label("on_time", lang),
            label("received_share", lang),
            label("on_time_share", lang),
        ],
        [
            [
                r["unit"],
                fmt_number(r["expected"], 0, lang),
                fmt_number(r["received"], 0, lang),
                fmt_number(r["on_time"], 0, lang),
                fmt_number(r["received_share"], 1, lang),
                fmt_number(r["on_time_share"], 1, lang),
            ]
            for r in unit_rows
        ],
        (70, 22, 20, 20, 24, 24),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        styles=lambda i, j: FontFace(emphasis="BOLD") if unit_rows[i]["level"] == "ward" else None,
    )

    # Appendix: how each ward figure is computed.
    heading(label("section_formulas", lang))
    table(
        [label("indicator", lang), label("formula", lang)],
        [
            [_indicator_name(r, lang), (r.get("formula_en") if lang == "en" else None) or r["formula_vi"]]
            for r in ward_rows
        ],
        (70, 110),
        ("LEFT", "LEFT"),
        size=7.5,
    )
    return bytes(pdf.output())
