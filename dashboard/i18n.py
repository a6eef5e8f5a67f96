"""Every label the dashboard shows, Vietnamese first, English second. Pages never hard-code text."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from dashboard.i18n_pages import PAGE_TEXT

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("Đô thị Xanh - Văn minh - Hiện đại", "Green - Civilised - Modern City"),
    "campaign": (
        "Phong trào “Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh - Hiện đại” giai đoạn 2026 - 2030",
        "Campaign “Build Hải Phòng: a Green, Civilised, Modern City” 2026 - 2030",
    ),
    "ward": ("Phường Lê Chân", "Lê Chân ward"),
    "language": ("Ngôn ngữ", "Language"),
    "period_type": ("Loại kỳ", "Period type"),
    "period": ("Kỳ", "Period"),
    "period_month": ("Tháng", "Month"),
    "period_quarter": ("Quý", "Quarter"),
    "period_year": ("Năm", "Year"),
    "period_evaluation": ("Kỳ đánh giá", "Evaluation"),
    "counted": ("Số liệu tính từ {start} đến {end}", "Figures from {start} to {end}"),
    "no_warehouse": (
        "Chưa có kho dữ liệu. Hãy chạy 'dothixanh init' (hoặc 'dothixanh demo' để xem phường mẫu).",
        "No warehouse yet. Run 'dothixanh init' (or 'dothixanh demo' for the demo ward).",
    ),
    "no_marts": (
        "Kho dữ liệu chưa có các bảng chỉ tiêu. Hãy nạp một tệp số liệu để tính lại.",
        "The warehouse has no indicator tables yet. Load a file to compute them.",
    ),
    # accounts
    "login_title": ("Đăng nhập", "Log in"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "role": ("Vai trò", "Role"),
    "logged_in_as": ("Đang đăng nhập:", "Logged in as"),
    "session_expired": (
        "Phiên làm việc đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại.",
        "Your session expired after a period of inactivity. Please log in again.",
    ),
    "session_ended": (
        "Phiên làm việc đã kết thúc (đã đăng xuất ở một thẻ khác). Hãy đăng nhập lại.",
        "Your session has ended (you signed out in another tab). Please log in again.",
    ),
    "signed_out": ("Bạn đã đăng xuất.", "You have signed out."),
    "forbidden": (
        "Tài khoản của bạn không được mở trang này.",
        "Your account may not open this page.",
    ),
    "demo_accounts": ("Tài khoản dùng thử của phường mẫu", "Demo ward accounts"),
    "demo_password": (
        "Mọi tài khoản có mật khẩu «{password}».",
        "Every account has the password «{password}».",
    ),
    # pages
    "page_upload": ("Gửi số liệu", "Send a file"),
    "page_history": ("Lịch sử gửi tệp", "Upload history"),
    "page_admin": ("Quản trị", "Administration"),
    "page_sql": ("Truy vấn SQL", "SQL console"),
    "page_dictionary": ("Từ điển dữ liệu", "Data dictionary"),
    "page_overview": ("Tổng quan phường", "Ward overview"),
    "page_group": ("Tổ dân phố", "Residential group"),
    "page_evaluations": ("Đánh giá, xếp hạng", "Evaluations"),
    "page_completeness": ("Tình hình báo cáo", "Reporting completeness"),
    "page_trace": ("Truy nguyên số liệu", "Trace a figure"),
    # overview
    "indicators_heading": ("Chỉ tiêu toàn phường", "Ward indicators"),
    "value": ("Giá trị", "Value"),
    "target": ("Mục tiêu", "Target"),
    "unexpected_error": (
        "Trang này gặp lỗi không mong đợi và chưa hiển thị được. Lỗi đã được ghi lại với mã **{ref}**: "
        "hãy tải lại trang; nếu vẫn lỗi, báo quản trị viên kèm mã này.",
        "This page met an unexpected error and could not be shown. It was logged with the reference **{ref}**: "
        "reload the page; if it happens again, tell the administrator this reference.",
    ),
    "reasons_in_full": ("Lý do, viết đầy đủ", "Reasons, written out"),
    "reasons_more": (
        "… và {n} lý do khác: xem bảng trên hoặc tải tệp cần sửa.",
        "… and {n} more: see the table above or download the file to correct.",
    ),
    "target_so_far": ("Mục tiêu đến {date} (tháng đang diễn ra)", "Target up to {date} (month in progress)"),
    "gap": ("Chênh lệch", "Gap"),
    "on_track": ("Đạt", "On track"),
    "off_track": ("Chưa đạt", "Off track"),
    "no_judgement": ("Chưa đánh giá", "Not judged"),
    "provisional_note": (
        "Con số tạm tính: chưa nhận đủ báo cáo của các đơn vị ({received}/{expected}); chưa xét đạt hay chưa đạt.",
        "Provisional: not every unit report is in ({received}/{expected}); not judged yet.",
    ),
    "unranked_heading": ("Chưa xếp hạng", "Not ranked"),
    "none_ranked": (
        "Chưa có tổ nào đủ điều kiện xếp hạng trong kỳ này; lý do của từng tổ ở bảng «Chưa xếp hạng» dưới đây.",
        "No group meets the ranking rule yet; each group's reason is in the «Not ranked» table below.",
    ),
    "nothing_heading": ("Không có số liệu phát sinh?", "Nothing to report?"),
    "nothing_help": (
        "Nếu trong tháng đơn vị không có số liệu «{feed}» nào, hãy chọn tháng rồi bấm nút dưới đây: tháng đó "
        "được tính là đã gửi báo cáo. Tệp chỉ có dòng tiêu đề cũng được ghi nhận như vậy cho tháng đã chọn.",
        "If the unit has nothing to report for «{feed}» this month, pick the month and press the button: the "
        "month counts as reported. A header-only file is taken the same way for the chosen month.",
    ),
    "report_month": ("Tháng báo cáo", "Report month"),
    "nothing_button": ("Không có số liệu phát sinh", "Nothing to report"),
    "nothing_done": (
        "Đã ghi nhận «Không có số liệu phát sinh» tháng {month} (lần gửi số {upload}).",
        "Recorded «nothing to report» for {month} (upload {upload}).",
    ),
    "nothing_duplicate": (
        "Tháng {month} đã được khai báo «Không có số liệu phát sinh» trước đây (lần gửi số {upload}).",
        "{month} was already declared as «nothing to report» (upload {upload}).",
    ),
    "unranked_reason": ("Lý do", "Reason"),
    "unranked_common": (
        "Lý do chung của các tổ dưới đây: {reason}.",
        "Reason shared by the groups below: {reason}.",
    ),
    "unranked_same": ("Như lý do chung ở trên", "The shared reason above"),
    "trend_up": ("tăng so với kỳ trước", "up on the previous period"),
    "trend_down": ("giảm so với kỳ trước", "down on the previous period"),
    "trend_flat": ("không đổi so với kỳ trước", "same as the previous period"),
    "formula": ("Công thức", "Formula"),
    "direction_higher": ("càng cao càng tốt", "higher is better"),
    "direction_lower": ("càng thấp càng tốt", "lower is better"),
    "by_category": ("Vi phạm theo loại (trên 1.000 dân)", "Violations by category (per 1,000 residents)"),
    "trends_heading": ("Diễn biến theo tháng", "Monthly trend"),
    "pick_indicator": ("Chỉ tiêu", "Indicator"),
    "laggards_heading": ("Các tổ dân phố còn chậm", "Groups furthest behind"),
    "laggards_none": ("Chưa có tổ nào được đánh giá trong kỳ này.", "No group was judged in this period."),
    "freshness_heading": ("Số liệu mới nhất", "Data freshness"),
    "completeness_heading": ("Tình hình gửi báo cáo", "Reporting completeness"),
    "feed": ("Loại dữ liệu", "Feed"),
    "last_received": ("Nhận tệp gần nhất", "Last file received"),
    "latest_record": ("Ngày số liệu mới nhất", "Latest record date"),
    "files": ("Số tệp", "Files"),
    "rows_accepted": ("Số dòng nhận", "Rows accepted"),
    "rows_rejected": ("Số dòng loại", "Rows rejected"),
    "received_share": ("Đã nhận", "Received"),
    "on_time_share": ("Đúng hạn", "On time"),
    "expected": ("Báo cáo đến hạn", "Reports due"),
    "group": ("Tổ dân phố", "Residential group"),
    "group_code": ("Mã tổ", "Group code"),
    "group_name": ("Tên tổ", "Group name"),
    "on_track_share": ("Tỷ lệ chỉ tiêu đạt (%)", "Indicators on track (%)"),
    "off_track_indicators": ("Chỉ tiêu chưa đạt", "Indicators off track"),
    "indicators_judged": ("Số chỉ tiêu đánh giá", "Indicators judged"),
    "ward_line": ("Toàn phường", "Ward"),
    "download_csv": ("Tải bảng (CSV)", "Download table (CSV)"),
    "trace_link": ("Xem số liệu gốc", "See the records"),
    # group page
    "pick_group": ("Chọn tổ dân phố", "Choose a group"),
    "group_vs_ward": (
        "Chỉ tiêu của tổ so với trung vị các tổ và chỉ tiêu",
        "The group against the median group and the target",
    ),
    "group_median": ("Trung vị các tổ", "Median group"),
    "ward_value": ("Toàn phường", "Ward"),
    "households": ("Số hộ", "Households"),
    "population": ("Số nhân khẩu", "Population"),
    "rank_history": ("Thứ hạng qua các kỳ đánh giá", "Rank in each evaluation"),
    "live": ("Hiện tại", "Live"),
    "frozen": ("đã chốt", "frozen"),
    "recent_records": ("Bản ghi gần đây", "Recent records"),
    "share_link": ("Đường dẫn chia sẻ", "Shareable link"),
    "unknown_group": ("Không có tổ dân phố «{code}».", "There is no residential group «{code}»."),
    # evaluations
    "pick_evaluation": ("Kỳ đánh giá", "Evaluation"),
    "league_heading": ("Bảng xếp hạng thi đua", "League table"),
    "rank": ("Hạng", "Rank"),
    "score": ("Điểm", "Score"),
    "tier": ("Xếp loại", "Tier"),
    "why_rank": ("Vì sao xếp hạng này?", "Why this rank?"),
    "component": ("Chỉ tiêu thành phần", "Component"),
    "raw_value": ("Giá trị của tổ", "Group value"),
    "component_score": ("Điểm thành phần", "Component score"),
    "weight": ("Trọng số", "Weight"),
    "best_value": ("Tổ tốt nhất", "Best group"),
    "worst_value": ("Tổ kém nhất", "Worst group"),
    "status": ("Trạng thái", "Status"),
    "scoring_rule": (
        "Cách chấm: đạt đúng chỉ tiêu được 50 điểm, bằng tổ tốt nhất được 100 điểm, bằng tổ kém nhất được 0 điểm "
        "(nội suy tuyến tính, theo chiều tốt của chỉ tiêu). Điểm tổng hợp = Σ trọng số × điểm thành phần / "
        "Σ trọng số các chỉ tiêu đã chấm. Chỉ tiêu chưa đủ dữ liệu không bị tính là 0 điểm.",
        "Scoring: meeting the target is worth 50, matching the best group 100, the worst group 0 (linear, "
        "direction respected). Composite = Σ weight × component score / Σ weights scored. An indicator with "
        "too little data is not counted as zero.",
    ),
    "snapshots_heading": ("Các lần chốt số liệu", "Frozen snapshots"),
    "no_snapshots": ("Kỳ đánh giá này chưa được chốt.", "This evaluation has not been frozen yet."),
    "freeze_heading": ("Chốt số liệu kỳ đánh giá", "Freeze this evaluation"),
    "freeze_help": (
        "Chốt lưu lại bảng xếp hạng và các chỉ tiêu như hiện tại, để số liệu trình bày tại hội nghị không đổi khi có đính chính sau này.",
        "Freezing keeps the league table and indicators as they are now, so the figures presented at a meeting stay fixed after later corrections.",
    ),
    "freeze_note": (
        "Ghi chú (ví dụ: số liệu trình bày tại hội nghị 12/2026)",
        "Note (e.g. figures presented at the December conference)",
    ),
    "freeze": ("Chốt số liệu", "Freeze"),
    "frozen_done": ("Đã chốt (lần chốt số {snapshot}).", "Frozen (snapshot {snapshot})."),
    "frozen_at": ("Chốt lúc", "Frozen at"),
    "changes_since": ("Thay đổi kể từ lần chốt", "Changes since the freeze"),
    "no_changes": ("Không có thay đổi nào kể từ lần chốt.", "Nothing has changed since the freeze."),
    "frozen_rank": ("Hạng lúc chốt", "Rank when frozen"),
    "live_rank": ("Hạng hiện tại", "Rank now"),
    "frozen_score": ("Điểm lúc chốt", "Score when frozen"),
    "live_score": ("Điểm hiện tại", "Score now"),
    "reports_heading": ("Tải báo cáo", "Download the report"),
    "download_xlsx": ("Báo cáo Excel (.xlsx)", "Excel report (.xlsx)"),
    "download_pdf": ("Báo cáo PDF", "PDF report"),
    "preparing": ("Đang chuẩn bị báo cáo…", "Preparing the report…"),
    "league_chart_title": ("Điểm thi đua tổng hợp", "Composite score"),
    # completeness
    "grid_heading": ("Đơn vị × loại dữ liệu × tháng", "Unit × feed × month"),
    "unit": ("Đơn vị", "Unit"),
    "month": ("Tháng", "Month"),
    "status_on_time": ("Đúng hạn", "On time"),
    "status_late": ("Muộn", "Late"),
    "status_missing": ("Chưa gửi", "Missing"),
    "status_not_due": ("Chưa đến hạn", "Not yet due"),
    "days_late": ("Số ngày sau cuối tháng", "Days after month end"),
    # approval and locked months (dashboard/approval_panel.py)
    "approval_state": ("Trạng thái duyệt", "Approval state"),
    "approval_heading": ("Duyệt số liệu và khóa sổ", "Approval and locked months"),
    "approval_help": (
        "Đơn vị gửi duyệt tháng của mình; lãnh đạo duyệt hoặc trả lại kèm ý kiến; quản trị viên khóa sổ "
        "tháng khi mọi báo cáo đã được duyệt (sau đó không nhận thêm số liệu của tháng) và chỉ quản trị "
        "viên mở khóa được, kèm lý do.",
        "Units submit their month; the leadership approves or returns it with a comment; an administrator "
        "locks the month once every report is approved (no more rows for it) and only an administrator "
        "reopens it, with a reason.",
    ),
    "approval_month": ("Tháng", "Month"),
    "approval_unit": ("Đơn vị", "Unit"),
    "approval_comment": (
        "Ý kiến (bắt buộc khi trả lại hoặc mở khóa)",
        "Comment (required to return or reopen)",
    ),
    "approval_current": ("Trạng thái báo cáo: **{state}**", "Report state: **{state}**"),
    "approval_by": ("{by}, {at}", "{by}, {at}"),
    "approval_comment_shown": ("Ý kiến: {comment}", "Comment: {comment}"),
    "approval_month_state": (
        "Cả tháng: {approved}/{total} báo cáo đã duyệt{locked}",
        "Whole month: {approved}/{total} reports approved{locked}",
    ),
    "approval_locked_suffix": (" — đã khóa sổ ({by}, {at})", " — locked ({by}, {at})"),
    "approval_submit": ("Gửi duyệt", "Submit"),
    "approval_approve": ("Duyệt", "Approve"),
    "approval_return": ("Trả lại", "Return"),
    "approval_lock": ("Khóa sổ", "Lock the month"),
    "approval_reopen": ("Mở khóa", "Reopen"),
    "approval_log": ("Nhật ký duyệt của tháng", "Approval log of the month"),
    "approval_none": ("Chưa có thao tác duyệt nào cho tháng này.", "No approval action for this month yet."),
    "approval_view_only": (
        "Vai trò của bạn chỉ xem được trạng thái duyệt.",
        "Your role can only see the approval states.",
    ),
    "approval_no_months": ("Kỳ này không có tháng nào để duyệt.", "No month to approve in this period."),
    "acted_at": ("Thời điểm", "When"),
    "action_vi": ("Thao tác", "Action"),
    "account": ("Tài khoản", "Account"),
    "comment": ("Ý kiến", "Comment"),
    # upload
    "unit_unknown": (
        "Đơn vị «{unit}» của tài khoản không có trong danh sách đơn vị của phường; hãy báo quản trị.",
        "Your account's unit «{unit}» is not in the ward's list of units; tell the administrator.",
    ),
    "no_feeds_allowed": (
        "Đơn vị này chưa được giao loại dữ liệu nào.",
        "This unit may not send any feed yet.",
    ),
    "template_heading": ("Tệp mẫu và hướng dẫn điền", "Template and how to fill it"),
    "template_help": (
        "Tệp mẫu có tên cột tiếng Việt kèm tên chuẩn và một dòng ví dụ. Xóa dòng ví dụ, điền số liệu rồi gửi.",
        "The template has Vietnamese column names with their canonical names and one example row.",
    ),
    "template_csv": ("Tệp mẫu CSV", "CSV template"),
    "template_xlsx": ("Tệp mẫu Excel", "Excel template"),
    "choose_file": (
        "Chọn tệp số liệu (CSV, TXT hoặc Excel, tối đa {mb} MB)",
        "Choose a file (CSV, TXT or Excel, up to {mb} MB)",
    ),
    "too_big": ("Tệp {size} MB, vượt giới hạn {mb} MB.", "The file is {size} MB, over the {mb} MB limit."),
    "duplicate": (
        "Tệp này đã được gửi và nạp trước đây (lần gửi số {upload}, lúc {when}). Không có gì thay đổi.",
        "This file was already sent and loaded (upload {upload}, {when}). Nothing changes.",
    ),
    "checking": ("Đang kiểm tra tệp…", "Checking the file…"),
    "refused": ("Tệp bị từ chối: {reason}", "File refused: {reason}"),
    "preview_heading": ("Xem trước", "Preview"),
    "date_order_hint": (
        "Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm (ví dụ «{example}» ở dòng {line}, cột «{column}»): "
        "các ngày đọc được hai cách, như 7/3/2026, chưa được nhận. Nếu đúng, hãy bật nút bên dưới để "
        "đọc lại cả tệp theo kiểu này.",
        "The file seems to write dates month/day/year (e.g. «{example}» on line {line}, column "
        "«{column}»): dates that read both ways, like 7/3/2026, are not accepted yet. If so, switch on "
        "the control below to read the whole file that way.",
    ),
    "date_order_confirmed": (
        "Đang đọc ngày theo kiểu tháng/ngày/năm: «{example}» là ngày {date}. Tắt nút bên dưới để đọc "
        "lại theo kiểu ngày/tháng/năm.",
        "Reading dates month/day/year: «{example}» is {date}. Switch the control off to read them "
        "day/month/year again.",
    ),
    "date_order_mdy": (
        "Tệp ghi ngày theo kiểu tháng/ngày/năm — đọc lại theo kiểu này",
        "The file writes dates month/day/year — read it that way",
    ),
    "preview_note": (
        "Chưa có gì được lưu. Kiểm tra kết quả rồi bấm «Nạp» để ghi vào kho dữ liệu, hoặc «Hủy».",
        "Nothing is stored yet. Check the result, then confirm to load or cancel.",
    ),
    "rows_read": ("Dòng đọc được", "Rows read"),
    "rows_new": ("Bản ghi mới", "New records"),
    "rows_corrected": ("Đính chính bản cũ", "Corrections"),
    "extra_columns": (
        "Các cột không thuộc mẫu (sẽ để riêng, không nạp): {columns}",
        "Columns not in the template (set aside): {columns}",
    ),
    "rejected_heading": ("Các dòng bị loại và lý do", "Rejected rows and why"),
    # the rejected-rows tables' columns (preview, load result, reference lists)
    "line": ("Dòng", "Line"),
    "column": ("Cột", "Column"),
    "message": ("Lý do", "Reason"),
    "error_file": ("Tải tệp các dòng cần sửa (Excel)", "Download the rows to fix (Excel)"),
    "confirm": ("Nạp {n} dòng hợp lệ", "Load {n} valid rows"),
    "cancel": ("Hủy", "Cancel"),
    "loading": ("Đang nạp…", "Loading…"),
    "loaded_status": ("Đã nạp xong", "Loaded"),
    "loaded_result": (
        "Đã nạp tệp «{file}» (lần gửi số {upload}): nhận {accepted} dòng ({new} mới, {corrected} đính chính), loại {rejected} dòng.",
        "Loaded «{file}» (upload {upload}): {accepted} rows accepted ({new} new, {corrected} corrections), {rejected} rejected.",
    ),
    "send_another": ("Gửi tệp khác", "Send another file"),
    # history
    "history_all_units": ("Tất cả đơn vị", "All units"),
    "validation_result": ("Kết quả kiểm tra", "Validation result"),
    "pick_upload": ("Chọn lần gửi", "Choose an upload"),
    "refusal_reason": ("Lý do từ chối", "Why refused"),
    "uploaded_by": ("Người gửi", "Sent by"),
    "no_uploads": ("Chưa có tệp nào.", "No files yet."),
    # admin
    "admin_users": ("Tài khoản", "Accounts"),
    "admin_reference": ("Danh sách tổ dân phố, đơn vị", "Groups and units"),
    "admin_settings": ("Tệp thiết lập", "Settings file"),
    # admin: the ward's own feeds (dashboard/feeds_panel.py)
    "admin_feeds": ("Loại dữ liệu", "Feeds"),
    "feeds_help": (
        "Các loại dữ liệu có sẵn và của phường. Phường thêm loại dữ liệu mới bằng một tệp khai báo .toml "
        "(hướng dẫn: docs/feeds-format.md, ví dụ: docs/examples/advertising_removals.toml).",
        "Built-in feeds and the ward's own. The ward adds a feed with a .toml declaration "
        "(format: docs/feeds-format.md, example: docs/examples/advertising_removals.toml).",
    ),
    "feeds_source": ("Nguồn", "Source"),
    "feeds_columns": ("Số cột", "Columns"),
    "feeds_file": ("Tệp khai báo loại dữ liệu (.toml)", "Feed declaration (.toml)"),
    "feeds_invalid": (
        "Tệp khai báo có {count} lỗi; chưa thêm gì.",
        "The declaration has {count} errors; nothing added.",
    ),
    "feeds_valid": (
        "Tệp khai báo hợp lệ: «{label}», {count} cột.",
        "Valid declaration: «{label}», {count} columns.",
    ),
    "feeds_add": ("Thêm loại dữ liệu", "Add the feed"),
    "feeds_added": (
        "Đã thêm «{label}». Để đơn vị gửi được, ghi mã «{name}» vào cột «Loại dữ liệu» của đơn vị đó "
        "(tab Danh sách tổ dân phố, đơn vị): đơn vị sẽ thấy nó trên trang Gửi số liệu.",
        "Added «{label}». To let a unit send it, write the code «{name}» in that unit's «feeds» "
        "(Groups and units tab): the unit then sees it on its upload page.",
    ),
    "add_user": ("Thêm tài khoản", "Add an account"),
    "full_name": ("Họ tên", "Full name"),
    "user_added": ("Đã thêm tài khoản «{username}».", "Account «{username}» added."),
    "change_user": ("Đổi mật khẩu hoặc xóa tài khoản", "Change a password or remove an account"),
    "new_password": ("Mật khẩu mới", "New password"),
    "remove_user": ("Xóa tài khoản này", "Remove this account"),
    "apply": ("Thực hiện", "Apply"),
    "user_removed": ("Đã xóa tài khoản «{username}».", "Account «{username}» removed."),
    "password_changed": ("Đã đổi mật khẩu của «{username}».", "Password of «{username}» changed."),
    "reference_help": (
        "Gửi đồng thời danh sách tổ dân phố và danh sách đơn vị; nếu có lỗi, không lưu gì. Mỗi lần lưu là một phiên bản mới.",
        "Send the groups list and the units list together; nothing is saved if either has errors. Each save is a new version.",
    ),
    "groups_file": ("Danh sách tổ dân phố (groups.csv)", "Residential groups (groups.csv)"),
    "units_file": ("Danh sách đơn vị (units.csv)", "Reporting units (units.csv)"),
    "save_reference": ("Lưu phiên bản mới", "Save a new version"),
    "reference_saved": (
        "Đã lưu: tổ dân phố phiên bản {groups}, đơn vị phiên bản {units}.",
        "Saved: groups version {groups}, units version {units}.",
    ),
    "settings_help": (
        "Chỉ tiêu từng năm, trọng số, kỳ đánh giá, thời hạn. Lưu xong, các chỉ tiêu được tính lại ngay; phiên bản cũ được giữ.",
        "Yearly targets, weights, evaluation windows, deadlines. Saving recomputes the indicators at once; old versions are kept.",
    ),
    "settings_file": ("Nội dung tệp thiết lập (TOML)", "Settings file (TOML)"),
    "save_settings": ("Kiểm tra và lưu", "Check and save"),
    "settings_saved": ("Đã lưu và tính lại chỉ tiêu ({version}).", "Saved and recomputed ({version})."),
    "settings_invalid": (
        "Tệp thiết lập có lỗi, chưa lưu:",
        "The settings file has errors and was not saved:",
    ),
    "settings_versions": ("Các phiên bản đã lưu", "Saved versions"),
    # sql
    "sql_help": (
        "Chỉ chạy câu SELECT trên bản sao chỉ-đọc của kho dữ liệu; dừng sau {seconds} giây; hiện tối đa {shown} dòng, xuất tối đa {exported} dòng.",
        "SELECT only, on a read-only copy of the warehouse; stopped after {seconds} s; shows up to {shown} rows, exports up to {exported}.",
    ),
    "examples": ("Câu hỏi mẫu", "Example questions"),
    "pick_example": ("— chọn câu hỏi mẫu —", "— pick an example —"),
    "saved_queries": ("Câu truy vấn đã lưu", "Saved queries"),
    "pick_saved": ("— chọn câu đã lưu —", "— pick a saved query —"),
    "shared": ("dùng chung", "shared"),
    "sql_editor": ("Câu truy vấn SQL", "SQL query"),
    "run_query": ("Chạy", "Run"),
    "running": ("Đang chạy truy vấn…", "Running the query…"),
    "rows_returned": ("{n} dòng kết quả", "{n} rows"),
    "rows_capped": (
        "Kết quả có hơn {shown} dòng: chỉ hiện {shown} dòng đầu. Thêm điều kiện lọc hoặc xuất tệp.",
        "More than {shown} rows: only the first {shown} are shown. Filter more or export.",
    ),
    "export_as": ("Xuất kết quả dạng", "Export as"),
    "export": ("Xuất kết quả", "Export the result"),
    "save_query": ("Lưu câu truy vấn", "Save the query"),
    "query_name": ("Tên câu truy vấn", "Query name"),
    "share_query": ("Dùng chung cho mọi chuyên viên", "Share with every analyst"),
    "query_saved": ("Đã lưu «{name}».", "Saved «{name}»."),
    "schema_browser": ("Các bảng và cột", "Tables and columns"),
    "dictionary_help": (
        "Mọi bảng xem và bảng chỉ tiêu, mọi cột, kiểu, ý nghĩa và nguồn (loại dữ liệu, quy tắc).",
        "Every view and mart, every column, type, meaning and source (feed, rule).",
    ),
    "search": ("Tìm", "Search"),
    # trace
    "trace_intro": (
        "Chọn một con số (chỉ tiêu, tổ dân phố, kỳ) để xem các bản ghi đứng sau nó và tệp gốc của từng bản ghi.",
        "Choose a figure (indicator, group, period) to see the records behind it and the file each came from.",
    ),
    "scope_ward": ("Toàn phường", "Whole ward"),
    "figure": ("Con số", "Figure"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "sample_size": ("Cỡ mẫu", "Sample size"),
    "records_heading": ("Các bản ghi ({n})", "Records ({n})"),
    "files_heading": ("Các tệp gốc", "Source files"),
    "file_name": ("Tên tệp", "File name"),
    "sent_by": ("Đơn vị gửi", "Sent by"),
    "received_at": ("Thời điểm nhận", "Received at"),
    "source_line": ("Dòng trong tệp", "Line in file"),
    "upload_id": ("Lần gửi", "Upload"),
    "download_original": ("Tải tệp gốc", "Download the original"),
    "records_capped": (
        "Hiển thị {shown} trên {total} bản ghi; tải CSV để xem đủ.",
        "Showing {shown} of {total} records; download the CSV for all of them.",
    ),
    "no_records": ("Không có bản ghi nào trong kỳ này.", "No records in this period."),
    "null_reason": ("Không tính được: {reason}", "Not computed: {reason}"),
    # lineage, reference versions, verifiable freezes, targets (issue 9, items 6-9)
    "counted_heading": ("Các bản ghi được tính vào con số này ({n})", "Records counted in this figure ({n})"),
    "counted_intro": (
        "Đúng những bản ghi được cộng vào tử số và mẫu số, mỗi bản ghi kèm đơn vị gửi, tài khoản đã tải "
        "lên, tệp, thời điểm nhận và số dòng trong tệp.",
        "Exactly the records added into the numerator and denominator, each with the sending unit, the "
        "uploading account, the file, when it arrived and its line.",
    ),
    "part": ("Phần", "Part"),
    "part_numerator": ("Tử số", "Numerator"),
    "part_denominator": ("Mẫu số", "Denominator"),
    "amount": ("Giá trị đóng góp", "Amount"),
    "record_group_code": ("Tổ dân phố của bản ghi", "Group of the record"),
    "record_ref": ("Mã bản ghi", "Record id"),
    "feed_groups_list": ("Danh sách tổ dân phố", "Residential groups list"),
    "uploaded_account": ("Tài khoản tải lên", "Uploaded by (account)"),
    "rows_counted": ("Số dòng được tính", "Rows counted"),
    "not_recorded": ("(không ghi)", "(not recorded)"),
    "reference_used": (
        "Số hộ, số dân của kỳ này theo danh sách tổ dân phố phiên bản {version}, áp dụng từ {valid_from}.",
        "Households and population of this period from groups-list version {version}, valid from {valid_from}.",
    ),
    "valid_from": ("Áp dụng từ ngày", "Valid from"),
    "valid_from_help": (
        "Mỗi tháng dùng phiên bản có hiệu lực vào ngày cuối tháng: các tháng trước ngày này giữ nguyên số hộ, số dân.",
        "Each month uses the version valid on its last day: months before this date keep their figures.",
    ),
    "reference_unchanged": (
        "Danh sách {kind} giống hệt phiên bản {version}: không lưu phiên bản mới.",
        "The {kind} list is identical to version {version}: no new version stored.",
    ),
    "reference_new": (
        "Đã lưu danh sách {kind}: phiên bản {version}, áp dụng từ {valid_from}.",
        "Saved the {kind} list: version {version}, valid from {valid_from}.",
    ),
    "kind_groups": ("tổ dân phố", "groups"),
    "kind_units": ("đơn vị", "units"),
    "freeze_not_allowed": (
        "Chỉ lãnh đạo phường hoặc quản trị viên được chốt kỳ đánh giá.",
        "Only the ward's leaders or an administrator may freeze an evaluation.",
    ),
    "verify_button": ("Kiểm tra bản chốt", "Check this snapshot"),
    "verify_help": (
        "Tính lại bản chốt từ kho dữ liệu như lúc chốt (các bản ghi có hiệu lực lúc đó, cùng thiết lập, "
        "cùng ngày tính) và so với nội dung đã lưu.",
        "Recompute the snapshot from the warehouse as it was at the freeze and compare it with what was stored.",
    ),
    "snapshot_facts": (
        "Số liệu tính đến {as_of} · {records} bản ghi đầu vào · danh sách tổ dân phố phiên bản {groups} · "
        "mã vân tay SHA-256 {fingerprint}",
        "Figures as of {as_of} · {records} input records · groups-list version {groups} · "
        "SHA-256 fingerprint {fingerprint}",
    ),
    "target_sample": ("chỉ tiêu mẫu — phường chưa xác nhận", "sample target — not confirmed by the ward"),
    "confirm_targets": (
        "Xác nhận các chỉ tiêu là quyết định của phường",
        "Confirm the targets as the ward's decision",
    ),
    "confirm_targets_help": (
        "Các chỉ tiêu mặc định chỉ là chỉ tiêu mẫu. Khi phường đã thống nhất (ví dụ theo nghị quyết), quản trị "
        "viên xác nhận để bỏ nhãn «chỉ tiêu mẫu» bên cạnh các con số.",
        "The shipped targets are samples. Once the ward has agreed them, an administrator confirms them.",
    ),
    "confirm_note": ("Căn cứ (ví dụ: số nghị quyết)", "Basis (e.g. resolution number)"),
    "targets_confirmed": (
        "Đã xác nhận chỉ tiêu của tệp thiết lập hiện hành.",
        "The current targets are confirmed.",
    ),
    # table columns that had no label (issue 10, item 8)
    "rows_total": ("Tổng số dòng", "Rows in the file"),
    "created_at": ("Ngày tạo", "Created"),
    "password_changed_at": ("Đổi mật khẩu lần cuối", "Password last changed"),
    "created_by": ("Người tạo", "Created by"),
    "column_name": ("Cột", "Column"),
    "suggestion": ("Cách sửa", "How to fix it"),
    "unit_code": ("Mã đơn vị", "Unit code"),
    "version": ("Phiên bản", "Version"),
    "kind": ("Danh sách", "List"),
    "sha256": ("Mã kiểm tra (SHA-256)", "Checksum (SHA-256)"),
    "no_unit": ("(không gắn đơn vị)", "(no unit)"),
    "sql_error": (
        "Câu truy vấn không chạy được: {reason}",
        "The query could not run: {reason}",
    ),
    "sql_error_detail": ("Thông báo gốc của DuckDB", "DuckDB's own message"),
    "uploader_drop": ("Kéo thả tệp vào đây", "Drag and drop a file here"),
    "uploader_limit": ("tối đa {mb} MB mỗi tệp", "up to {mb} MB per file"),
    "uploader_button": ("Chọn tệp", "Choose a file"),
}

TEXT.update(PAGE_TEXT)  # the scorecard, one-indicator, overview-headline and league-explanation labels


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str, **values) -> str:
    """The label for `key` in the current language, with {placeholders} filled."""
    vi, en = TEXT[key]
    text = en if lang() == "en" else vi
    return text.format(**values) if values else text


# Words the marts write in Vietnamese, and their English (the English mode shows these instead).
_STATUS_EN = [
    (re.compile(r"tạm tính \((\d+)/(\d+) báo cáo\)"), r"provisional (\1/\2 reports)"),
    (re.compile(r"Đủ báo cáo \((\d+)/(\d+)\)"), r"all reports in (\1/\2)"),
    (re.compile(r"Chưa có số liệu"), "no data yet"),
]
STATES_EN = {
    "not_received": "Not received",
    "received": "Received",
    "submitted": "Submitted for approval",
    "approved": "Approved",
    "returned": "Returned",
    "locked": "Locked",
}
COMPONENT_STATUS_EN = {
    "scored": "Scored",
    "insufficient_data": "Not enough data",
    "no_target": "No target set",
}
# The default tiers of the settings file (a ward's own tier names stay as the ward wrote them).
TIERS_EN = {
    "Xuất sắc": "Excellent",
    "Tốt": "Good",
    "Khá": "Fair",
    "Cần cố gắng": "Needs more effort",
    "Chưa đủ dữ liệu": "Not enough data",
    "Chưa xếp hạng": "Not ranked",
}


def data_status_text(text: str | None) -> str:
    """«tạm tính (3/5 báo cáo)» (marts.indicator_values.data_status_vi) in the current language."""
    if not text or lang() != "en":
        return text or ""
    for pattern, english in _STATUS_EN:
        text = pattern.sub(english, text)
    return text


def data_status_column(column: str = "data_status_vi") -> pl.Expr:
    """The same, for a column of a frame."""
    expr = pl.col(column)
    if lang() == "en":
        for pattern, english in _STATUS_EN:
            expr = expr.str.replace_all(pattern.pattern, english.replace("\\", "$"))
    return expr


def state_text(code: str | None, vietnamese: str | None) -> str:
    """An approval state (marts.approval_states.state / state_vi) in the current language."""
    if lang() == "en" and code in STATES_EN:
        return STATES_EN[code]
    return vietnamese or ""


def tier_text(label: str | None) -> str:
    if lang() == "en" and label in TIERS_EN:
        return TIERS_EN[label]
    return label or ""


def pick(row: dict, field: str) -> str:
    """A data field in the current language: `name_vi`/`name_en` style columns, Vietnamese as fallback."""
    if lang() == "en" and row.get(f"{field}_en"):
        return row[f"{field}_en"]
    return row.get(f"{field}_vi") or row.get(field) or ""
