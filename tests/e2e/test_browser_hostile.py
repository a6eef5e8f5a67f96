"""A hostile file sent through the real file chooser cannot take the dashboard down (issue 11, item 1).

Before the sandbox, the upload preview read files inside the Streamlit server: a 1,5 KB .xlsx whose
sheet declares a cell at XFD1048576 made the Excel reader ask for 512 GiB and abort the whole server,
for every user. Now the clerk is told why the file is refused, in Vietnamese, and everyone else —
the same clerk's next file, a leader reading the overview in another tab — carries on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipelines"))

from hostile import xfd_bomb

UPLOAD_PAGE = "Gửi số liệu"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
BOMB_NAME = "CAP_vi-pham_thang-11-loi.xlsx"
ERROR = '[data-testid="stAlertContentError"]'
GOOD_CSV = (
    "Số hồ sơ,Mã đơn vị,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,"
    "Ngày khắc phục,Địa chỉ,Ghi chú\n"
    "CAP-2611-H1,CAP,12/11/2026,TDP01,Lấn chiếm vỉa hè,Nhắc nhở,,,12 Tô Hiệu,sau tệp lỗi\n"
).encode()


def test_hostile_workbook_is_refused_and_the_server_keeps_serving(
    sign_in_as, other_browser, people, ward_home
):
    for viewport, suffix in ((LAPTOP, "1366"), (PHONE, "390")):
        context = other_browser(viewport)
        clerk = sign_in_as(people["clerks"]["CAP"], lands_on=UPLOAD_PAGE, context=context)
        leader = sign_in_as(people["leader"], lands_on="Tổng quan phường", context=context)
        clerk.choose_file(BOMB_NAME, xfd_bomb(), XLSX)
        refusal = clerk.page.locator(ERROR)
        assert refusal.count() == 1
        text = refusal.inner_text()
        assert "Tệp quá lớn / quá phức tạp để đọc an toàn" in text, text
        assert "XFD1048576" in text, text  # the clerk is told what in the file is wrong
        assert clerk.page.locator('[data-testid="stException"]').count() == 0
        clerk.screenshot(f"gui-so-lieu-tep-doc-hai-{suffix}")

        # The server is alive: the leader's overview still draws, and the clerk's next file previews.
        leader.open("/tong-quan", period="2026-10")
        leader.assert_no_error()
        assert leader.title() == "Tổng quan phường"
        cancel = clerk.page.locator(".st-key-cancel_refused button")
        clerk.rerun_after(cancel.click)
        clerk.choose_file(f"CAP_vi-pham_thang-11-{suffix}.csv", GOOD_CSV, "text/csv")
        clerk.assert_no_error()
        assert clerk.metrics()["Số dòng nhận"] == "1"

    # A preview stores nothing: the refused workbook left no upload behind.
    with duckdb.connect(str((ward_home / "snapshot.duckdb").resolve()), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM uploads WHERE file_name = ?", params=[BOMB_NAME]).fetchall() == [
            (0,)
        ]
