"""Clerks, analysts and what they may not open, in a real browser (issues "Units upload in the dashboard"
and "Analysts' SQL").

A clerk sends an Excel "Unicode text" file and an .xlsx workbook through the file chooser, reads the
preview, confirms, and sees the ward's figure move on the overview; a unit account is refused the SQL and
administration pages by URL; two clerks in two browsers confirm at the same moment and both files load;
an analyst runs a SELECT and downloads the result as CSV.

The loads land in the session's ward (shared with test_browser.py). Every row is dated November 2026 with
record numbers of its own, so the figures the other tests check (October's records, the league table read
back from the snapshot) are not disturbed, whichever file runs first.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import fcntl
import io
import re
from urllib.parse import urlsplit

import duckdb

from kernel import contracts as c
from kernel import formats as fmt
from warehouse.store import now_vietnam

PERIOD = "2026-11"
INDICATOR = "violations_per_1000_residents"
UPLOAD_PAGE = "Gửi số liệu"
LABELS = [col.label_vi for col in c.feed("violations").columns]  # the header a clerk's sheet has

# Excel's "Unicode text" of CAP's November sheet: two good rows, one for a group the ward does not have.
UNICODE_TEXT_NAME = "CAP_vi-pham_thang-11.txt"
UNICODE_TEXT_ROWS = [
    ["CAP-2611-01", "CAP", "03/11/2026", "TDP03", "Lấn chiếm vỉa hè", "Nhắc nhở", "", "03/11/2026",
     "15 Tô Hiệu", "Gửi từ Excel"],
    ["CAP-2611-02", "CAP", "06/11/2026", "TDP03", "Xả rác, đổ trộm phế thải", "Xử phạt", "500.000", "",
     "3 Nguyễn Đức Cảnh", ""],
    ["CAP-2611-03", "CAP", "09/11/2026", "TDP09", "Trật tự xây dựng", "Lập biên bản", "", "",
     "Ngõ 5 Cát Dài", "tổ không có trong phường"],
]  # fmt: skip
# The .xlsx sent next: CAP-2611-02 again, now resolved (a correction), and one new record.
XLSX_NAME = "CAP_bo-sung_thang-11.xlsx"
XLSX_ROWS = [
    ["CAP-2611-02", "CAP", dt.date(2026, 11, 6), "TDP03", "Xả rác, đổ trộm phế thải", "Xử phạt", 500_000,
     dt.date(2026, 11, 8), "3 Nguyễn Đức Cảnh", "đã khắc phục"],
    ["CAP-2611-04", "CAP", dt.date(2026, 11, 12), "TDP01", "Quảng cáo, rao vặt trái phép", "Nhắc nhở", None,
     dt.date(2026, 11, 12), "21 Tô Hiệu", ""],
]  # fmt: skip
NEW_RECORDS = {"CAP-2611-01", "CAP-2611-02", "CAP-2611-04"}

# The two files confirmed at the same moment, one per unit, as Excel's "CSV UTF-8" saves them.
SIMULTANEOUS = {
    "CAP": (
        "CAP_vi-pham_dot-2.csv",
        [["CAP-2611-10", "CAP", "16/11/2026", "TDP02", "Lấn chiếm lòng đường", "Nhắc nhở", "", "16/11/2026",
          "30 Lạch Tray", ""]],
    ),
    "KTHT": (
        "KTHT_vi-pham_thang-11.csv",
        [["KTHT-2611-01", "KTHT", "17/11/2026", "TDP01", "Trật tự xây dựng", "Lập biên bản", "", "",
          "12 Tô Hiệu", ""],
         ["KTHT-2611-02", "KTHT", "18/11/2026", "TDP02", "Quảng cáo, rao vặt trái phép", "Nhắc nhở", "",
          "18/11/2026", "88 Cát Dài", ""]],
    ),
}  # fmt: skip

SUCCESS = '[data-testid="stAlertContentSuccess"]'
# Judged side by side in the sandbox, each load then waits its turn for the writer lock, and says so.
WAITING_FOR_LOCK = '[data-testid="stExpander"]:has-text("Chờ lượt ghi vào kho dữ liệu")'


def delimited(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(LABELS)
    writer.writerows(rows)
    return buffer.getvalue()


def unicode_text(rows: list[list[str]]) -> bytes:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF."""
    data = delimited(rows, "\t").encode("utf-16")
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return data


def workbook(rows: list[list]) -> bytes:
    """An .xlsx as Excel saves it: text headers, real date cells (dd/mm/yyyy) and number cells."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Vi phạm")
    sheet.write_row(0, 0, LABELS)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            elif value:
                sheet.write_string(r, col, value)
    book.close()
    return buffer.getvalue()


def snapshot(home):
    return duckdb.connect(str((home / "snapshot.duckdb").resolve()), read_only=True)


def ward_figure(home) -> tuple[float, float, str]:
    """November's violations per 1,000 residents for the ward: value, count of violations, unit."""
    figure = (
        "SELECT value, numerator, unit_vi FROM marts.indicator_values "
        "WHERE scope = 'ward' AND period_key = ? AND indicator_id = ?"
    )
    with snapshot(home) as con:
        rows = con.sql(figure, params=[PERIOD, INDICATOR]).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def ward_card(tab) -> str:
    """The figure the overview's "Vi phạm trên 1.000 dân" card shows, for the month in the address."""
    assert f"period={PERIOD}" in tab.page.url, tab.page.url
    assert tab.selected("period_select") == "Tháng 11/2026"  # the sidebar agrees with the address
    card = tab.page.locator(f".st-key-card_{INDICATOR}")
    assert "Vi phạm trên 1.000 dân" in card.inner_text()
    # The card names the unit above its number.
    value = card.locator(".dtx-card-value").inner_text().strip()
    unit = card.locator(".dtx-card-unit").inner_text().strip()
    return f"{value} {unit}"


def confirm_button(tab):
    return tab.page.locator(".st-key-confirm_upload button")


def load_and_wait(tab, file_name: str):
    """Press «Nạp …» and wait for the success message naming the file."""
    tab.rerun_after(lambda: confirm_button(tab).click(), timeout=tab.load_patience)
    success = tab.page.locator(SUCCESS)
    success.wait_for(timeout=tab.load_patience * 1000)
    tab.wait_idle()
    text = success.inner_text()
    assert f"Đã nạp tệp «{file_name}»" in text, text
    return text


@contextlib.contextmanager
def writer_lock_held(home):
    """Hold the warehouse's writer lock, as a long load on the command line would."""
    with open(home / "write.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# -- a clerk sends two files and sees the ward's figure move ----------------------------------------------
def test_clerk_sends_unicode_text_and_xlsx_then_sees_the_overview(sign_in_as, people, ward_home):
    value_before, count_before, unit = ward_figure(ward_home)
    clerk = sign_in_as(people["clerks"]["CAP"], lands_on=UPLOAD_PAGE)
    page = clerk.page
    main = page.locator('[data-testid="stMain"]')
    assert "Công an phường Lê Chân (CAP)" in main.inner_text()
    assert clerk.selected("upload_feed") == "Vi phạm"
    # The uploader found by its label, as a user does; the size limit in the label and in the
    # uploader's own line agree. That line is the app's Vietnamese, drawn by CSS (dashboard/style.py)
    # over Streamlit's hidden English, so it is read from the ::after that draws it.
    chooser = page.locator('[data-testid="stFileUploader"]').filter(has_text="Chọn tệp số liệu")
    assert chooser.count() == 1
    label = chooser.locator('[data-testid="stWidgetLabel"]').inner_text()
    limit = re.search(r"tối đa (\d+) MB", label)
    assert limit, label
    hint = chooser.evaluate(
        """zone => getComputedStyle(
            zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div'), '::after'
        ).content"""
    )
    assert f"tối đa {limit[1]} MB mỗi tệp" in hint, hint

    # The overview as it was: the clerk's role may read the dashboard too.
    clerk.open("/tong-quan", period=PERIOD)
    clerk.assert_no_error()
    assert ward_card(clerk) == f"{fmt.smart(value_before)} {unit}"
    clerk.open("/gui-so-lieu")
    assert clerk.title() == UPLOAD_PAGE

    # 1. Excel's "Unicode text" (UTF-16, tabs): two rows kept, one refused with its reason.
    clerk.choose_file(UNICODE_TEXT_NAME, unicode_text(UNICODE_TEXT_ROWS), "text/plain")
    clerk.assert_no_error()
    assert clerk.metrics() == {
        "Dòng đọc được": "3",
        "Số dòng nhận": "2",
        "Số dòng loại": "1",
        "Bản ghi mới": "2",
        "Đính chính bản cũ": "0",
    }
    assert "Các dòng bị loại và lý do" in main.inner_text()
    assert confirm_button(clerk).inner_text().strip().endswith("Nạp 2 dòng hợp lệ")
    clerk.screenshot("gui-so-lieu-xem-truoc")
    with snapshot(ward_home) as con:  # nothing stored before the clerk confirms
        assert con.sql(
            "SELECT count(*) FROM uploads WHERE file_name = ?", params=[UNICODE_TEXT_NAME]
        ).fetchall() == [(0,)]
    message = load_and_wait(clerk, UNICODE_TEXT_NAME)
    assert "nhận 2 dòng (2 mới, 0 đính chính), loại 1 dòng" in message, message
    clerk.assert_no_error()
    clerk.screenshot("gui-so-lieu-da-nap")
    # The refused row, as the clerk downloads it: Vietnamese headers, the column by its label.
    data, _ = clerk.download("loaded_errors_csv")
    refused = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    # Every export carries the ward (issue 13): its code last, not shown on the page.
    assert refused[0] == ["Dòng", "Cột", "Giá trị", "Lý do", "Mã phường"], refused
    assert refused[1][:3] == ["4", "Mã tổ dân phố", "TDP09"] and refused[1][4] == "11383", refused
    assert "TDP09" in refused[1][3]

    # 2. An .xlsx with real date and number cells: one correction of the first file, one new record.
    clerk.rerun_after(lambda: page.locator(".st-key-send_another button").click())
    assert page.locator(SUCCESS).count() == 0
    clerk.choose_file(
        XLSX_NAME, workbook(XLSX_ROWS), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    clerk.assert_no_error()
    assert clerk.metrics() == {
        "Dòng đọc được": "2",
        "Số dòng nhận": "2",
        "Số dòng loại": "0",
        "Bản ghi mới": "1",
        "Đính chính bản cũ": "1",
    }
    message = load_and_wait(clerk, XLSX_NAME)
    assert "nhận 2 dòng (1 mới, 1 đính chính), loại 0 dòng" in message, message
    clerk.assert_no_error()

    with snapshot(ward_home) as con:
        uploads = con.sql(
            "SELECT file_name, status, encoding, delimiter, file_format, uploaded_by FROM uploads "
            "WHERE file_name IN (?, ?) ORDER BY upload_id",
            params=[UNICODE_TEXT_NAME, XLSX_NAME],
        ).fetchall()
        records = dict(
            con.sql(
                "SELECT record_id, resolved_on FROM violations WHERE unit_code = 'CAP' AND record_id LIKE 'CAP-2611-%'"
            ).fetchall()
        )
    username = people["clerks"]["CAP"]["username"]
    assert uploads == [
        (UNICODE_TEXT_NAME, "loaded", "utf-16", "\t", "csv", username),
        (XLSX_NAME, "loaded", "xlsx", None, "xlsx", username),
    ]
    assert set(records) == NEW_RECORDS
    assert records["CAP-2611-02"] == dt.date(2026, 11, 8)  # the correction won

    # 3. The overview shows the new figure, the one the marts computed after the loads (coming back
    # from the upload page, where the sidebar has no period picker, must not lose the month).
    value_after, count_after, _ = ward_figure(ward_home)
    assert count_after == count_before + len(NEW_RECORDS)
    assert value_after != value_before
    clerk.open("/tong-quan", period=PERIOD)
    clerk.assert_no_error()
    assert ward_card(clerk) == f"{fmt.smart(value_after)} {unit}"


# -- a unit account and the pages it may not open -----------------------------------------------------------
FORBIDDEN = {"/sql": "Truy vấn SQL", "/quan-tri": "Quản trị"}


def test_unit_account_cannot_open_sql_or_admin_by_url(fresh_tab, people):
    clerk_account = people["clerks"]["KTHT"]

    def refused(tab, path: str) -> None:
        tab.assert_no_error()
        assert urlsplit(tab.page.url).path in {"/", "/gui-so-lieu"}, tab.page.url
        main = tab.page.locator('[data-testid="stMain"]')
        assert main.locator('[data-testid="stTextArea"], textarea').count() == 0  # no SQL editor
        assert main.locator('[data-testid="stTab"]').count() == 0  # no admin tabs
        headings = tab.page.locator("h1").all_inner_texts()
        assert headings[:1] == [UPLOAD_PAGE], (path, headings)  # the clerk's own page instead
        assert FORBIDDEN[path] not in headings
        nav = tab.page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert not any(title in nav for title in FORBIDDEN.values()), nav

    # A link to the SQL page opened in a new tab: after signing in, the clerk is on the upload page.
    fresh_tab.load("/sql")
    assert fresh_tab.title() == "Đăng nhập"
    fresh_tab.sign_in(clerk_account["username"], clerk_account["password"])
    refused(fresh_tab, "/sql")

    # Inside the signed-in session: an address typed over the current one, or Back/Forward.
    for path in FORBIDDEN:
        fresh_tab.open(path)
        refused(fresh_tab, path)


# -- two clerks, two browsers, the same moment --------------------------------------------------------------
def test_two_uploads_confirmed_at_the_same_moment_both_load(sign_in_as, other_browser, people, ward_home):
    tabs = {}
    for unit, (file_name, rows) in SIMULTANEOUS.items():
        tab = sign_in_as(people["clerks"][unit], lands_on=UPLOAD_PAGE, context=other_browser())
        data = codecs.BOM_UTF8 + delimited(rows, ",").encode("utf-8")
        tab.choose_file(file_name, data, "text/csv")
        tab.assert_no_error()
        assert tab.metrics()["Số dòng nhận"] == str(len(rows))
        tabs[unit] = tab

    # Both clicks go out while another writer holds the warehouse, so both loads are under way at
    # once however long the clicks take to arrive (the lock, not the clock, makes them simultaneous);
    # then the writer finishes and both must load, one after the other.
    with writer_lock_held(ward_home):
        for tab in tabs.values():
            tab.page.evaluate("() => document.querySelector('.st-key-confirm_upload button').click()")
        for tab in tabs.values():
            tab.page.locator(WAITING_FOR_LOCK).first.wait_for()
        with snapshot(ward_home) as con:
            waiting = con.sql(
                "SELECT count(*) FROM uploads WHERE file_name IN (?, ?)",
                params=[f for f, _ in SIMULTANEOUS.values()],
            ).fetchall()[0][0]
        assert waiting == 0  # neither got past the lock yet: both were in flight together
        released_at = now_vietnam()

    for unit, tab in tabs.items():
        file_name = SIMULTANEOUS[unit][0]
        success = tab.page.locator(SUCCESS)
        success.wait_for(timeout=tab.load_patience * 1000)
        tab.wait_idle()
        assert f"Đã nạp tệp «{file_name}»" in success.inner_text()
        tab.assert_no_error()
    tabs["KTHT"].screenshot("gui-so-lieu-dong-thoi-ktht")

    with snapshot(ward_home) as con:
        uploads = con.sql(
            "SELECT unit_code, file_name, status, rows_accepted, uploaded_by FROM uploads "
            "WHERE file_name IN (?, ?) ORDER BY unit_code",
            params=[f for f, _ in SIMULTANEOUS.values()],
        ).fetchall()
        received = con.sql(
            "SELECT max(received_at) FROM uploads WHERE file_name IN (?, ?)",
            params=[f for f, _ in SIMULTANEOUS.values()],
        ).fetchall()[0][0]
        records = set(
            con.sql(
                "SELECT unit_code, record_id FROM violations WHERE record_id IN ('CAP-2611-10', 'KTHT-2611-01', 'KTHT-2611-02')"
            ).fetchall()
        )
    assert uploads == [
        (unit, file_name, "loaded", len(rows), people["clerks"][unit]["username"])
        for unit, (file_name, rows) in sorted(SIMULTANEOUS.items())
    ]
    assert records == {(row[1], row[0]) for _, rows in SIMULTANEOUS.values() for row in rows}
    assert received < released_at  # both loads had started (received) before the writer let go


# -- an analyst's query round trip ----------------------------------------------------------------------------
ANALYST_QUERY = (
    "SELECT record_id, group_code, detected_on, fine_vnd, address\n"
    "FROM violations\n"
    "WHERE record_id LIKE 'V%'\n"
    "ORDER BY record_id"
)


def test_analyst_runs_a_query_and_exports_csv(sign_in_as, people, ward_home):
    analyst = sign_in_as(people["analyst"], lands_on="Tổng quan phường")
    analyst.open("/sql")
    analyst.assert_no_error()
    assert analyst.title() == "Truy vấn SQL"
    with snapshot(ward_home) as con:
        expected = con.sql(ANALYST_QUERY)
        header = list(expected.columns)
        rows = expected.fetchall()
    assert len(rows) == 17  # the fixture's violations V01–V17

    page = analyst.page
    page.get_by_label("Câu truy vấn SQL").fill(ANALYST_QUERY)
    analyst.rerun_after(lambda: page.locator(".st-key-run_query button").click())
    caption = page.get_by_text(f"{len(rows)} dòng kết quả", exact=True)
    caption.wait_for()
    analyst.assert_no_error()
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() >= 1
    analyst.screenshot("sql-ket-qua")

    csv_choice = page.locator(".st-key-export_format").get_by_role("radio", name="csv")
    if not csv_choice.is_checked():
        analyst.rerun_after(
            lambda: page.locator(".st-key-export_format").get_by_text("csv", exact=True).click()
        )
    assert csv_choice.is_checked()
    data, file_name = analyst.download("export_result")
    assert file_name == "ket-qua.csv"
    assert data.startswith(codecs.BOM_UTF8)
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == header
    as_text = [
        ["" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v) for v in row]
        for row in rows
    ]
    assert lines[1:] == as_text
    assert ["V02", "TDP01", "2026-09-20", "500000", "12 to hieu"] in lines
