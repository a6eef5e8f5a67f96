"""A hostile workbook sent from the upload page: refused with the reason, and the server keeps working."""

from __future__ import annotations

import sys
from pathlib import Path

from dash_app import open_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipelines"))

import hostile

HEADER = "Số hồ sơ,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"
GOOD = "N1,05/11/2026,TDP01,Lấn chiếm vỉa hè,Nhắc nhở,,mới\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_xfd_workbook_is_refused_and_the_page_keeps_working(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="unit", unit="CAP").run()
    at.file_uploader(key="upload_file_0").set_value(("xfd.xlsx", hostile.xfd_bomb(), XLSX)).run()
    assert not at.exception, at.exception
    [error] = at.error
    assert "Tệp quá lớn / quá phức tạp để đọc an toàn" in error.value and "XFD" in error.value
    assert not at.metric  # no preview of a refused file
    at.button(key="cancel_refused").click().run()
    # The same server, the next file: read and previewed as usual.
    at.file_uploader(key="upload_file_1").set_value(("ok.csv", (HEADER + GOOD).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Số dòng nhận"] == "1"
