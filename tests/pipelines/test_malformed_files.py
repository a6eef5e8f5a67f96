"""Files that are broken in ways clerks' machines really produce: each gets an answer.

Every case here once ended in a Python traceback (found by mutating the fixture files) or
silently changed what was loaded; now the clerk is told, in Vietnamese, which line to fix.
"""

from __future__ import annotations

import codecs
import importlib.util

import pytest

from pipelines.reading import FileRefused, read_table

HEADER = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note"


def _row(i: int, address: str = "Tô Hiệu", note: str = "") -> str:
    return f"VP-{i:03},CAP,05/06/2026,TDP01,other,reminder,,,{address},{note}"


def _text(rows: list[str], line_end: str = "\n") -> str:
    return line_end.join([HEADER, *rows]) + line_end


@pytest.fixture(scope="module")
def encode_cp1258(fixtures_dir):
    """Windows-1258 as Excel writes it (tests/fixtures/make_fixtures.py)."""
    spec = importlib.util.spec_from_file_location("make_fixtures", fixtures_dir / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.encode_cp1258


def _ingest(ingest_bytes, warehouse, data: bytes, name: str = "vp.csv"):
    return ingest_bytes(warehouse, data, feed="violations", unit_code="CAP", file_name=name)


# -- Windows-1258 files whose first bytes look like UTF-8 -----------------------------------------


def test_windows_1258_file_with_a_row_of_too_many_cells_loads_and_rejects_that_row(
    warehouse, ingest_bytes, query, encode_cp1258
):
    # No grave accent anywhere (byte CC), so the file first goes to the fast UTF-8 reader; the
    # ragged line 3 then needs the slow reader, which must keep the file's real encoding.
    rows = [_row(1, "Tô Hiệu"), _row(2, "Lê Lợi") + ",thêm", _row(3, "Đông Khê")]
    result = _ingest(ingest_bytes, warehouse, encode_cp1258(_text(rows, "\r\n")))

    assert (result.status, result.encoding) == ("loaded", "windows-1258")
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (3, 2, 1)
    assert result.errors.select("line", "rule").rows() == [(3, "column_count")]
    addresses = query(warehouse, "SELECT address FROM violations ORDER BY record_id")
    assert [r["address"] for r in addresses] == ["Tô Hiệu", "Đông Khê"]


def test_windows_1258_file_with_a_note_spanning_lines_loads_the_note_whole(
    warehouse, ingest_bytes, query, encode_cp1258
):
    rows = [_row(1, "Tô Hiệu", '"Đã nhắc nhở\nlượt hai"'), _row(2, "Lê Lợi")]
    result = _ingest(ingest_bytes, warehouse, encode_cp1258(_text(rows)))

    assert (result.status, result.encoding, result.rows_accepted) == ("loaded", "windows-1258", 2)
    notes = query(warehouse, "SELECT note, source_line FROM violations ORDER BY record_id")
    assert notes == [{"note": "Đã nhắc nhở\nlượt hai", "source_line": 2}, {"note": None, "source_line": 4}]


@pytest.mark.parametrize(
    "data",
    [b"\x93\n,,", b'\xc3\n"', b"\xef\n,,"],
    ids=["cp1258-curly-quote-then-ragged", "lone-byte-then-quote", "lone-byte-then-ragged"],
)
def test_the_smallest_crashing_files_found_by_mutation_are_answered(data):
    # The mutation loop's crashes (UnicodeDecodeError from the slow reader), minimised: a byte that
    # is not UTF-8, then a line Polars refuses for another reason before it checks the encoding.
    try:
        table = read_table(data)
    except FileRefused as refused:
        assert refused.reason
    else:
        assert table.encoding == "windows-1258"


# -- files that are not one encoding throughout --------------------------------------------------


def test_utf8_file_broken_after_its_first_lines_is_refused_naming_the_line(warehouse, ingest_bytes):
    good = _text([_row(1, "Tô Hiệu"), _row(2, "Cầu Đất")]).encode("utf-8")
    spliced = good + _row(3, "Lê Lợi").encode("cp1258", "replace") + b" \xe0 \xfd\n"
    result = _ingest(ingest_bytes, warehouse, spliced)

    assert result.status == "refused"
    assert "dòng 4" in result.reason and "UTF-8" in result.reason
    assert "Ã" not in result.reason


def test_utf8_bom_then_windows_1258_is_refused_naming_the_line(warehouse, ingest_bytes, encode_cp1258):
    data = codecs.BOM_UTF8 + _text([_row(1), _row(2)]).encode("utf-8") + encode_cp1258(_row(3, "Cầu Đất"))
    result = _ingest(ingest_bytes, warehouse, data)

    assert result.status == "refused"
    assert "dòng 4" in result.reason and "UTF-8" in result.reason


def test_truncated_utf16_file_is_refused_naming_the_line(warehouse, ingest_bytes):
    data = _text([_row(1), _row(2)]).replace(",", "\t").encode("utf-16")[:-1]
    result = _ingest(ingest_bytes, warehouse, data)

    assert result.status == "refused"
    assert "UTF-16" in result.reason and "dòng 3" in result.reason


# -- long cells and open quotes (were csv.Error: field larger than field limit) ------------------


def test_a_quoted_note_longer_than_128_kb_spanning_lines_is_kept_whole(warehouse, ingest_bytes, query):
    note = "Biên bản: " + "lấn chiếm vỉa hè " * 9000 + "\nký xác nhận"
    rows = [_row(1, note=f'"{note}"'), _row(2)]
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert (result.status, result.rows_accepted) == ("loaded", 2)
    [stored] = query(warehouse, "SELECT note FROM violations WHERE record_id = 'VP-001'")
    assert stored["note"] == note


def test_a_quote_left_open_before_128_kb_of_rows_rejects_only_its_line(warehouse, ingest_bytes):
    rows = [_row(i, f"Số {i} đường Tô Hiệu kéo dài đến ngã tư Cầu Đất") for i in range(1, 2001)]
    rows[9] = _row(10, '"Số 10 Tô Hiệu')
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert (result.status, result.rows_total, result.rows_accepted) == ("loaded", 2000, 1999)
    assert result.errors.select("line", "column", "rule").rows() == [(11, "address", "open_quote")]


# -- a quote left open (the following lines were merged into one cell without a word) -----------


def test_an_open_quote_rejects_its_line_naming_it_and_every_other_row_loads(warehouse, ingest_bytes, query):
    # 50 rows; line 8 opens a quote in «Địa chỉ» and never closes it; line 21 has a proper quoted cell.
    rows = [_row(i, f"Số {i} Tô Hiệu", f"ghi chú {i}") for i in range(1, 51)]
    rows[6] = _row(7, '"Số 7 Tô Hiệu', "ghi chú 7")
    rows[19] = _row(20, '"Số 20, Tô Hiệu"', "ghi chú 20")
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert result.status == "loaded"
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (50, 49, 1)
    [error] = result.errors.to_dicts()
    assert (error["line"], error["column"], error["rule"]) == (8, "address", "open_quote")
    assert error["message"].startswith('Dòng 8, cột «Địa chỉ»: ô bắt đầu bằng dấu ngoặc kép («"Số 7 Tô Hiệu')
    assert "không có dấu ngoặc kép đóng" in error["message"]
    stored = query(warehouse, "SELECT record_id, address, source_line FROM violations ORDER BY source_line")
    assert len(stored) == 49
    assert stored[6] == {"record_id": "VP-008", "address": "Số 8 Tô Hiệu", "source_line": 9}
    assert stored[18] == {"record_id": "VP-020", "address": "Số 20, Tô Hiệu", "source_line": 21}


def test_an_open_quote_on_the_last_line_rejects_that_line(warehouse, ingest_bytes):
    rows = [_row(1), _row(2, note='"Đã nhắc nhở')]
    for data in (_text(rows), _text(rows).rstrip("\n")):
        result = _ingest(ingest_bytes, warehouse, data.encode("utf-8"), name=f"vp{len(data)}.csv")
        assert (result.status, result.rows_total, result.rows_accepted) == ("loaded", 2, 1)
        assert result.errors.select("line", "column", "rule").rows() == [(3, "note", "open_quote")]


def test_an_open_quote_in_the_header_refuses_the_file_naming_line_1(warehouse, ingest_bytes):
    data = _text([_row(1), _row(2)]).replace("address,note", 'address,"note', 1)
    result = _ingest(ingest_bytes, warehouse, data.encode("utf-8"))

    assert result.status == "refused"
    assert result.reason.startswith("Dòng tiêu đề (dòng 1) có dấu ngoặc kép")


def test_a_note_spanning_lines_whose_lines_hold_commas_is_still_one_cell(warehouse, ingest_bytes, query):
    # A real multi-line cell: its continuation lines are not rows of their own.
    note = "Lần 1: nhắc nhở, lập biên bản\nLần 2: phạt, thu hồi\nđã ký, đã nộp"
    result = _ingest(ingest_bytes, warehouse, _text([_row(1, note=f'"{note}"'), _row(2)]).encode("utf-8"))

    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 2, 0)
    assert query(warehouse, "SELECT note FROM violations ORDER BY record_id")[0]["note"] == note


# -- control characters (a NUL from a broken file, a terminal escape as a payload) ---------------


def test_a_cell_with_a_nul_or_a_terminal_escape_rejects_its_row_and_never_reaches_the_warehouse(
    warehouse, ingest_bytes, query
):
    rows = [_row(1), _row(2, note="ghi\x00chú"), _row(3, note="\x1b[2J\x1b[31mđỏ"), _row(4)]
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 2, 2)
    errors = result.errors.select("line", "column", "value", "rule").rows()
    assert errors == [
        (3, "note", "ghi\ufffdchú", "control_character"),
        (4, "note", "\ufffd[2J\ufffd[31mđỏ", "control_character"),
    ]
    assert "ký tự điều khiển" in result.errors["message"][0]
    assert "\x1b" not in "".join(result.errors["message"])
    stored = query(
        warehouse, "SELECT count(*) AS n FROM violations WHERE regexp_matches(note, '[\\x00-\\x1f]')"
    )
    assert stored == [{"n": 0}]


def test_stray_quotes_on_two_lines_in_a_row_do_not_pair_up_into_one_row(warehouse, ingest_bytes):
    # Read leniently, line 3's quote would "close" line 2's cell and the two lines become one row.
    rows = [_row(1), _row(2, '"Số 2 Tô Hiệu'), _row(3, '"Số 3 Tô Hiệu'), _row(4)]
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (4, 2, 2)
    assert result.errors.select("line", "column", "rule").rows() == [
        (3, "address", "open_quote"),
        (4, "address", "open_quote"),
    ]


def test_text_after_a_closing_quote_rejects_that_line_saying_where(warehouse, ingest_bytes):
    # A quote-spanning note elsewhere sends the file to the line-by-line reader.
    rows = [_row(1, note='"hai\ndòng"'), _row(2, '"Ngõ 5" Tô Hiệu'), _row(3)]
    result = _ingest(ingest_bytes, warehouse, _text(rows).encode("utf-8"))

    assert (result.rows_total, result.rows_accepted) == (3, 2)
    [error] = result.errors.to_dicts()
    assert (error["line"], error["rule"]) == (4, "bad_quote")
    assert error["message"].startswith("Dòng 4: có dấu ngoặc kép đặt sai chỗ («VP-002,CAP,")
