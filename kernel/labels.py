"""Every label of the project in one table: codes as people read them (feeds, columns, enumerations,
roles, upload statuses) and the words of the reports and the command line, Vietnamese first.

Pages, reports and the command line all read from here; the pages' own prose (buttons, help texts) is
in dashboard/i18n.py. Feeds, columns and enumerations are labelled where they are declared (the feed
contracts, the future kernel); everything else is named below.
"""

from __future__ import annotations

import polars as pl

from pipelines import contracts as c  # the feed declarations: moving into kernel/ (issue 12)

ROLES = {
    "leader": ("Lãnh đạo", "Leadership"),
    "analyst": ("Chuyên viên phân tích", "Analyst"),
    "unit": ("Đơn vị báo cáo", "Reporting unit"),
    "admin": ("Quản trị", "Administrator"),
}
UPLOAD_STATUS = {
    "loaded": ("Đã nạp", "Loaded"),
    "refused": ("Bị từ chối", "Refused"),
    "duplicate": ("Trùng tệp đã gửi", "Duplicate"),
}


# -- reports (services/reports) and the command line -------------------------------------------
REPORT_LABELS: dict[str, tuple[str, str]] = {
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


# The one-page scorecard's own words (where a key is in both, the scorecard says it its way).
ONEPAGE_LABELS: dict[str, tuple[str, str]] = {
    "title": ("BẢNG ĐIỂM THI ĐUA", "EMULATION SCORECARD"),
    "ward_figures": ("Chỉ tiêu toàn phường", "Ward indicators"),
    "league": ("Bảng xếp hạng các tổ dân phố", "League table of the residential groups"),
    "behind": ("Các tổ còn chậm nhất", "Groups furthest behind"),
    "weakest": ("Chỉ tiêu yếu nhất", "Weakest indicators"),
    "untargeted": ("Chưa đặt mục tiêu", "No target set"),
    "short_target": ("Mục tiêu", "Target"),
    "short_score": ("Điểm", "Score"),
    "headline": ("{on}/{total} chỉ tiêu đạt", "{on} of {total} indicators on track"),
    "points": ("{score} điểm", "{score} points"),
    "not_ranked": ("Chưa xếp hạng (chưa đủ số liệu): {names}", "Not ranked (too little data): {names}"),
    "prepared_by": ("NGƯỜI LẬP BIỂU", "PREPARED BY"),
    "on_behalf": ("TM. ỦY BAN NHÂN DÂN", "FOR THE PEOPLE'S COMMITTEE"),
    "chairman": ("CHỦ TỊCH", "CHAIRMAN"),
    "sign_name": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "sign_seal": ("(Ký tên, đóng dấu)", "(Signature and seal)"),
    "full_report": (
        "Chi tiết điểm thành phần, cách tính và tình hình báo cáo: xem báo cáo đầy đủ của kỳ.",
        "Component scores, scoring and reporting: see the evaluation's full report.",
    ),
}


def pick(pair: tuple[str, str], lang: str = "vi") -> str:
    """The Vietnamese or the English of a (vi, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str = "vi", **values) -> str:
    """A report label in the language asked for (Vietnamese when unknown), with values filled in."""
    text = pick(REPORT_LABELS[key], lang)
    return text.format(**values) if values else text


def onepage_label(key: str, lang: str = "vi", **values) -> str:
    """A label of the one-page scorecard: its own words first, then the reports'."""
    if key not in ONEPAGE_LABELS:
        return label(key, lang, **values)
    text = pick(ONEPAGE_LABELS[key], lang)
    return text.format(**values) if values else text


def feed_labels(lang: str = "vi") -> dict[str, str]:
    return {name: pick((ct.label_vi, ct.label_en), lang) for name, ct in c.ALL_CONTRACTS.items()}


def column_labels(lang: str = "vi") -> dict[str, str]:
    """Every column of every file contract by its label (the first contract that has it wins)."""
    labels: dict[str, str] = {}
    for contract in c.ALL_CONTRACTS.values():
        for col in contract.columns:
            labels.setdefault(col.name, pick((col.label_vi, col.label_en), lang))
    return labels


def choice_labels(column: str, lang: str = "vi") -> dict[str, str]:
    """The labels of an enumerated column's codes (e.g. action: fine → Xử phạt), {} if it has none."""
    for contract in c.ALL_CONTRACTS.values():
        if column in contract.column_names:
            choices = contract.column(column).choices or ()
            return {ch.code: pick((ch.label_vi, ch.label_en), lang) for ch in choices}
    return {}


def _value_maps(lang: str) -> dict[str, dict[str, str]]:
    columns = column_labels(lang)
    return {
        "feed": feed_labels(lang),
        "kind": feed_labels(lang),
        "status": {code: pick(pair, lang) for code, pair in UPLOAD_STATUS.items()},
        "role": {code: pick(pair, lang) for code, pair in ROLES.items()},
        "column": columns,
        "column_name": columns,
    }


def decode(frame: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The frame with its code columns (feed, status, role, a file's column names, enum values) shown
    by their labels; unknown values stay as they are."""
    maps = _value_maps(lang)
    exprs = []
    for name, dtype in frame.schema.items():
        mapping = {**choice_labels(name, lang), **maps.get(name, {})}
        if mapping and dtype == pl.String:
            exprs.append(pl.col(name).replace(mapping))
    frame = frame.with_columns(exprs) if exprs else frame
    # A rejected row's suggested value: a listed value by its label, as the clerk would write it.
    column = next((n for n in ("column_name", "column") if n in frame.columns), None)
    if column and "suggestion" in frame.columns and frame["suggestion"].dtype == pl.String:
        codes = {
            ch.code: pick((ch.label_vi, ch.label_en), lang)
            for contract in c.ALL_CONTRACTS.values()
            for col in contract.columns
            for ch in col.choices
        }
        frame = frame.with_columns(pl.col("suggestion").replace(codes))
    return frame
