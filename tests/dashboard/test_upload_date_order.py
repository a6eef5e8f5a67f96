"""The upload page and a file written month/day/year (a PC with English (US) settings).

The preview says what the file's dates show and offers to read it that way; the load that
follows uses the order the clerk saw in the preview.
"""

from __future__ import annotations

import datetime as dt

from dash_app import open_app, snapshot_query

HEADER = "Số hồ sơ,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"
US_ROWS = "US1,7/3/2026,TDP01,other,reminder,,\nUS2,7/14/2026,TDP01,other,reminder,,\nUS3,5/21/2026,TDP01,other,reminder,,\n"
MDY = "Tệp ghi ngày theo kiểu tháng/ngày/năm — đọc lại theo kiểu này"


def _rows(home, sql):
    return snapshot_query(home, sql)


def _clerk(home, monkeypatch, content: bytes):
    at = open_app(home, monkeypatch, role="unit", unit="CAP").run()
    at.file_uploader(key="upload_file_0").set_value(("us.csv", content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_month_first_file_is_named_and_read_that_way_only_when_the_clerk_says_so(ward, monkeypatch):
    at = _clerk(ward, monkeypatch, (HEADER + US_ROWS).encode())

    warning = " ".join(w.value for w in at.warning)
    assert "Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm (ví dụ «7/14/2026» ở dòng 3" in warning
    assert _metrics(at)["Số dòng nhận"] == "0"  # 7/3/2026 is not guessed as 7 March
    control = at.toggle(key="date_order_mdy")
    assert (control.label, control.value) == (MDY, False)

    control.set_value(True).run()
    assert not at.exception, at.exception
    assert any("«7/14/2026» là ngày 14/07/2026" in i.value for i in at.info)
    assert (_metrics(at)["Số dòng nhận"], _metrics(at)["Số dòng loại"]) == ("3", "0")

    at.button(key="confirm_upload").click().run()
    assert not at.exception, at.exception
    loaded = _rows(
        ward, "SELECT record_id, detected_on FROM violations WHERE record_id LIKE 'US%' ORDER BY 1"
    )
    assert loaded == [
        ("US1", dt.date(2026, 7, 3)),
        ("US2", dt.date(2026, 7, 14)),
        ("US3", dt.date(2026, 5, 21)),
    ]


def test_a_day_first_file_shows_no_date_order_control(ward, monkeypatch):
    at = _clerk(ward, monkeypatch, (HEADER + "D1,7/3/2026,TDP01,other,reminder,,\n").encode())

    assert _metrics(at)["Số dòng nhận"] == "1"
    assert not [w for w in at.toggle if w.key == "date_order_mdy"]
