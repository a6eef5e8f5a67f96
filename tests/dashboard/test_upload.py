"""A clerk sends a file: preview (nothing stored), confirm or cancel, duplicates, the error file round trip."""

from __future__ import annotations

import io

import openpyxl
from dash_app import open_app, snapshot_query

HEADER = "Số hồ sơ,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Ghi chú\n"
GOOD = "N1,05/11/2026,TDP01,Lấn chiếm vỉa hè,Nhắc nhở,,mới\nV01,03/09/2026,TDP01,other,reminder,,đính chính\n"
BAD = "N2,31/02/2026,TDP01,other,reminder,,sai ngày\nN3,06/11/2026,Tổ 9,other,reminder,,sai tổ\n"


def _count(home, sql):
    return snapshot_query(home, sql)[0][0]


def _clerk(home, monkeypatch, content: bytes, name="thang11.csv"):
    at = open_app(home, monkeypatch, role="unit", unit="CAP").run()
    at.file_uploader(key="upload_file_0").set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_preview_counts_new_corrections_and_rejects_and_stores_nothing(ward, monkeypatch):
    uploads_before = _count(ward, "SELECT count(*) FROM uploads")
    at = _clerk(ward, monkeypatch, (HEADER + GOOD + BAD).encode())
    metrics = _metrics(at)
    assert metrics["Dòng đọc được"] == "4"
    assert metrics["Số dòng nhận"] == "2"
    assert metrics["Số dòng loại"] == "2"
    assert metrics["Bản ghi mới"] == "1"
    assert metrics["Đính chính bản cũ"] == "1"
    errors = at.dataframe[0].value
    assert [int(v) for v in errors["line"]] == [4, 5]  # header is line 1, GOOD holds lines 2-3
    assert any("Tổ 9" in str(v) for v in errors.to_numpy().ravel())
    assert _count(ward, "SELECT count(*) FROM uploads") == uploads_before  # a preview stores nothing


def test_confirm_loads_through_the_pipeline_and_the_figures_move(ward, monkeypatch):
    before = _count(ward, "SELECT count(*) FROM violations")
    at = _clerk(ward, monkeypatch, (HEADER + GOOD + BAD).encode())
    at.button(key="confirm_upload").click().run()
    assert not at.exception
    assert "Đã nạp tệp «thang11.csv»" in at.success[0].value
    assert _count(ward, "SELECT count(*) FROM violations") == before + 1  # one new, one correction
    assert _count(ward, "SELECT uploaded_by FROM uploads ORDER BY upload_id DESC LIMIT 1") == "test-unit"
    assert _count(ward, "SELECT note FROM violations WHERE record_id = 'V01'") == "đính chính"


def test_cancel_stores_nothing_and_clears_the_form(ward, monkeypatch):
    uploads_before = _count(ward, "SELECT count(*) FROM uploads")
    at = _clerk(ward, monkeypatch, (HEADER + GOOD).encode())
    at.button(key="cancel_upload").click().run()
    assert not at.metric
    assert at.file_uploader(key="upload_file_1").value is None
    assert _count(ward, "SELECT count(*) FROM uploads") == uploads_before


def test_the_same_file_again_is_a_duplicate(ward, monkeypatch):
    content = (HEADER + GOOD).encode()
    at = _clerk(ward, monkeypatch, content)
    at.button(key="confirm_upload").click().run()
    uploads = _count(ward, "SELECT count(*) FROM uploads")
    again = _clerk(ward, monkeypatch, content, name="gui-lai.csv")
    assert "đã được gửi và nạp trước đây" in again.info[0].value
    assert not again.button(key="cancel_duplicate").disabled
    assert _count(ward, "SELECT count(*) FROM uploads") == uploads


def test_a_refused_file_says_why(ward, monkeypatch):
    at = _clerk(ward, monkeypatch, b"\x00\x01\x02binary")
    assert "bị từ chối" in at.error[0].value


def test_error_file_round_trip_fix_and_resend(ward, monkeypatch):
    from dashboard import data

    at = _clerk(ward, monkeypatch, (HEADER + GOOD + BAD).encode())
    preview = next(iter(at.session_state["_previews"].values()))
    assert isinstance(preview, data.Preview)
    book = openpyxl.load_workbook(io.BytesIO(preview.error_file))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "Lỗi cần sửa" in header and "Số hồ sơ" in header
    assert len(rows) == 3  # header + the two rejected rows, as written
    # The clerk fixes the two cells and sends the file back as it is.
    date_col = header.index("Ngày phát hiện") + 1
    group_col = header.index("Mã tổ dân phố") + 1
    sheet.cell(row=2, column=date_col).value = "28/02/2026"
    sheet.cell(row=3, column=group_col).value = "TDP02"
    fixed = io.BytesIO()
    book.save(fixed)
    again = open_app(ward, monkeypatch, role="unit", unit="CAP").run()
    again.file_uploader(key="upload_file_0").set_value(
        (
            "can-sua.xlsx",
            fixed.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ).run()
    metrics = _metrics(again)
    assert metrics["Số dòng nhận"] == "2" and metrics["Số dòng loại"] == "0"
    assert "Lỗi cần sửa" in again.warning[0].value  # the extra columns are named, set aside
    again.button(key="confirm_upload").click().run()
    assert _count(ward, "SELECT count(*) FROM violations WHERE record_id IN ('N2', 'N3')") == 2


def test_upload_history_shows_own_files_and_the_original(ward, monkeypatch):
    at = _clerk(ward, monkeypatch, (HEADER + GOOD).encode())
    at.button(key="confirm_upload").click().run()
    at.switch_page("views/history.py").run()
    assert not at.exception
    history = at.dataframe[0].value
    assert set(history["unit"]) == {"CAP"}  # a clerk sees only their unit's files
    assert "thang11.csv" in set(history["file_name"])
