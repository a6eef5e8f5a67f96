"""Labels of the scorecard, the one-indicator page, the overview's headline and the league's explanations.

Kept apart from i18n.py so that pages added in issue 10 do not crowd the shared table; i18n.TEXT
includes them (pages still call t()).
"""

from __future__ import annotations

PAGE_TEXT: dict[str, tuple[str, str]] = {
    # navigation
    "page_scorecard": ("Bảng điểm", "Scorecard"),
    "page_indicator": ("Một chỉ tiêu, mọi tổ", "One indicator, every group"),
    # statuses (cells)
    "cell_achieved": ("Đạt", "Achieved"),
    "cell_near": ("Gần đạt", "Nearly there"),
    "cell_behind": ("Chưa đạt", "Behind"),
    "cell_grey": ("Tạm tính hoặc chưa có số liệu", "Provisional or no data"),
    "cell_grey_short": ("Chưa đủ số liệu", "Not enough data"),
    "legend": ("Chú giải", "Legend"),
    "near_rule": (
        "Gần đạt: còn thiếu không quá 10% so với chỉ tiêu.",
        "Nearly there: short of the target by 10% of it or less.",
    ),
    # overview
    "headline": ("{on}/{total} chỉ tiêu đạt", "{on} of {total} indicators on track"),
    "headline_none": ("Chưa có chỉ tiêu nào đủ số liệu để đánh giá", "No indicator can be judged yet"),
    "headline_caption": (
        "{period}: {near} gần đạt, {behind} chưa đạt, {grey} chưa đủ số liệu.",
        "{period}: {near} nearly there, {behind} behind, {grey} without enough data.",
    ),
    "vs_previous": ("kỳ trước", "previous"),
    "vs_last_year": ("Cùng kỳ năm trước: {value}", "Same period last year: {value}"),
    "card_target": ("Mục tiêu {target}", "Target {target}"),
    "card_open": ("Xem theo tổ", "By group"),
    "card_formula": ("Cách tính", "How it is computed"),
    "open_scorecard": ("Mở bảng điểm các tổ", "Open the groups' scorecard"),
    # scorecard
    "scorecard_intro": (
        "Mỗi ô là giá trị của tổ trong kỳ, tô màu theo mức đạt chỉ tiêu. Bấm tiêu đề cột để sắp xếp; "
        "bấm một ô để xem các bản ghi của tổ cho chỉ tiêu đó.",
        "Each cell is the group's value for the period, coloured against the target. Click a heading to sort; "
        "click a cell to see that group's records for the indicator.",
    ),
    "scorecard_ward": ("Toàn phường", "Whole ward"),
    "scorecard_groups": ("Các tổ dân phố", "Residential groups"),
    "achieved_count": ("Số đạt", "Achieved"),
    "open_cell": ("Mở bản ghi: {group} — {indicator}", "Open the records: {group} — {indicator}"),
    "download_scorecard_pdf": ("Bảng điểm một trang (PDF)", "One-page scorecard (PDF)"),
    # one indicator
    "indicator_intro": (
        "Mọi tổ dân phố xếp từ kém nhất đến tốt nhất theo mức cách chỉ tiêu trong kỳ đang chọn.",
        "Every group, worst first, by how far it is from the target in the chosen period.",
    ),
    "position": ("STT", "#"),
    "change": ("So với kỳ trước", "Change on previous period"),
    "last_year": ("Cùng kỳ năm trước", "Same period last year"),
    "completeness": ("Báo cáo đã nhận (%)", "Reports received (%)"),
    "standing": ("Mức đạt", "Standing"),
    "records_hint": (
        "Bấm vào một dòng để xem các bản ghi của tổ đó cho chỉ tiêu này.",
        "Click a row to see that group's records for this indicator.",
    ),
    "groups_behind": (
        "{behind} tổ chưa đạt, {near} tổ gần đạt, {on} tổ đạt, {grey} tổ chưa đủ số liệu.",
        "{behind} groups behind, {near} nearly there, {on} achieved, {grey} without enough data.",
    ),
    "ward_figure": ("Toàn phường: {value} · mục tiêu {target}", "Ward: {value} · target {target}"),
    "chart_gap_title": ("Mức cách chỉ tiêu của từng tổ (%)", "Each group's distance from the target (%)"),
    # league table
    "score_of": ("Điểm {name}", "Score: {name}"),
    "show_raw": ("Hiện cả giá trị gốc bên cạnh điểm", "Show the raw values beside the scores"),
    "value_of": ("Giá trị {name}", "Value: {name}"),
    "league_scores_note": (
        "Các cột «Điểm …» là điểm thành phần từ 0 đến 100 (50 = vừa đạt chỉ tiêu), không phải giá trị của chỉ tiêu.",
        "The «Score: …» columns are component scores from 0 to 100 (50 = just on target), not indicator values.",
    ),
    "why_summary": ("Tóm tắt", "In short"),
    "why_strengths": ("Điểm mạnh", "Strengths"),
    "why_weaknesses": ("Điểm yếu", "Weaknesses"),
    "why_lift": ("Để tăng hạng", "What would lift the group"),
    "why_none": ("Không có.", "None."),
    "evaluation_of_period": (
        "Bảng xếp hạng tính theo kỳ đánh giá. Kỳ đang chọn ({period}) thuộc «{evaluation}»: bảng dưới đây "
        "là của kỳ đánh giá đó.",
        "League tables are computed per evaluation. The chosen period ({period}) lies in «{evaluation}»: "
        "the table below is that evaluation's.",
    ),
    "switch_to_evaluation": ("Chọn kỳ đánh giá này ở thanh bên", "Choose this evaluation in the sidebar"),
    "no_evaluation_for_period": (
        "Kỳ đang chọn không thuộc kỳ đánh giá nào. Hãy chọn «Kỳ đánh giá» ở thanh bên.",
        "The chosen period is in no evaluation. Choose an evaluation in the sidebar.",
    ),
    # rank reasons (pure sentences, also for the PDF)
    "why_ranked": (
        "Xếp thứ {rank}/{ranked} với {score} điểm (xếp loại {tier}).",
        "Ranked {rank} of {ranked} with {score} points ({tier}).",
    ),
    "why_not_ranked": ("Chưa được xếp hạng: {note}.", "Not ranked: {note}."),
    "why_not_ranked_default": ("chưa đủ số liệu", "not enough data"),
    "why_strength": (
        "{name}: {value} {unit}, đạt chỉ tiêu {target} ({points} điểm).",
        "{name}: {value} {unit}, meets the target {target} ({points} points).",
    ),
    "why_weakness": (
        "{name}: {value} {unit}, chưa đạt chỉ tiêu {target} (chỉ {points} điểm).",
        "{name}: {value} {unit}, short of the target {target} (only {points} points).",
    ),
    "why_unscored": (
        "{name}: chưa đủ số liệu để chấm điểm, không bị tính 0 điểm.",
        "{name}: too little data to score; not counted as zero.",
    ),
    "why_lift_target": (
        "Đạt chỉ tiêu «{name}» ({target} {unit}) sẽ thêm khoảng {gain} điểm tổng hợp.",
        "Meeting the target of «{name}» ({target} {unit}) would add about {gain} points.",
    ),
    "why_lift_best": (
        "Bằng tổ tốt nhất ở «{name}» sẽ thêm khoảng {gain} điểm tổng hợp.",
        "Matching the best group on «{name}» would add about {gain} points.",
    ),
    # group page: rank history
    "rank_history_window": ("Thời gian kỳ", "Window"),
    "rank_history_counted": ("Số liệu tính đến", "Figures up to"),
    "rank_history_same": (
        "Các kỳ đánh giá đang diễn ra cùng bắt đầu từ {start}: đến nay chúng tính trên cùng số liệu nên "
        "thứ hạng và điểm giống nhau; chúng sẽ khác nhau khi các kỳ kết thúc ở các ngày khác nhau.",
        "The running evaluations all start on {start}: so far they count the same figures, hence the same "
        "rank and score; they will differ once the windows end on different days.",
    ),
    "not_frozen": ("Chưa chốt", "Not frozen"),
    "gap_chart_title": ("Cách mục tiêu bao nhiêu (%)", "Distance from the target (%)"),
    "gap_chart_note": (
        "Mỗi thanh: giá trị của tổ hơn (+, xanh) hay kém (−, đỏ) mục tiêu bao nhiêu phần trăm của mục tiêu; "
        "thanh dài nhất cắt ở ±100%, con số ghi trên thanh là số thật. Chỉ tiêu chưa đặt mục tiêu không vẽ.",
        "Each bar: how much better (+, green) or worse (−, red) than the target the group is, in % of the "
        "target; bars stop at ±100% and the number on the bar is the real one. Indicators without a target "
        "are not drawn.",
    ),
    "gap_capped": ("(cắt ở ±{cap}%)", "(capped at ±{cap}%)"),
    # completeness heatmap
    "units_legend": ("Tên các đơn vị", "Unit names"),
}

# Short column headings of the scorecard (a heading is one line); the full name is the column's tooltip.
# An indicator the ward adds later without a short name shows its full name.
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "violations_per_1000_residents": ("Vi phạm/1.000 dân", "Violations/1,000"),
    "violations_resolved_share": ("VP đã khắc phục", "Resolved"),
    "repeat_violations_90d": ("Tái phạm", "Repeats"),
    "cleanup_events": ("Đợt ra quân", "Cleanups"),
    "saturday_event_share": ("Thứ Bảy cùng dân", "Saturdays"),
    "participants_per_100_residents": ("Người tham gia/100", "Participants/100"),
    "waste_collected_kg": ("Rác thu gom", "Waste (kg)"),
    "sorting_compliance_rate": ("Phân loại đúng", "Sorting"),
    "inspection_coverage": ("Độ phủ kiểm tra", "Inspections"),
    "lighting_median_days_to_repair": ("Ngày sửa đèn", "Repair days"),
    "lighting_on_time_share": ("Đèn sửa đúng hạn", "On-time repairs"),
    "lighting_open_faults_over_threshold": ("Đèn tồn đọng", "Open faults"),
}
