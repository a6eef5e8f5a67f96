"""Reading what clerks send (feeds.md, general rules): encodings, delimiters, line ends,
header spellings, enum/date/number spellings, XLSX, line numbers, and whole-file refusals.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
import io
import unicodedata

import polars as pl
import pytest

from kernel import contracts as c
from pipelines.parsing import map_headers, parse
from pipelines.reading import LINE, read_table

GROUP_CODES = ["TDP01", "TDP02", "TDP05"]
UNIT_CODES = ["CAP", "MTDT", "TTBT"]

# The three violations of tests/fixtures/make_fixtures.py, as the analysts' view must show
# them whatever the encoding, delimiter, header spelling or file type.
ADDRESS = "Ngõ 12 Tô Hiệu"
SAMPLE = [
    {
        "record_id": "VP-001",
        "unit_code": "CAP",
        "detected_on": dt.date(2026, 6, 5),
        "group_code": "TDP01",
        "category": "sidewalk_encroachment",
        "action": "fine",
        "fine_vnd": 1_500_000,
        "resolved_on": dt.date(2026, 6, 6),
        "address": ADDRESS,
        "note": None,
        "source_line": 2,
    },
    {
        "record_id": "VP-002",
        "unit_code": "CAP",
        "detected_on": dt.date(2026, 6, 7),
        "group_code": "TDP02",
        "category": "roadway_encroachment",
        "action": "reminder",
        "fine_vnd": None,
        "resolved_on": dt.date(2026, 6, 8),
        "address": "45 Cầu Đất",
        "note": "Đã khắc phục",
        "source_line": 3,
    },
    {
        "record_id": "VP-003",
        "unit_code": "CAP",
        "detected_on": dt.date(2026, 6, 10),
        "group_code": "TDP05",
        "category": "littering_dumping",
        "action": "record",
        "fine_vnd": 0,
        "resolved_on": None,
        "address": "Chợ Ga",
        "note": None,
        "source_line": 4,
    },
]
SAMPLE_COLUMNS = ", ".join(SAMPLE[0])

ENCODED_SAMPLES = [
    # file, encoding reported, delimiter reported, file format
    ("violations/utf8_comma.csv", "utf-8", ",", "csv"),
    ("violations/utf8_bom_semicolon_crlf.csv", "utf-8-sig", ";", "csv"),
    ("violations/utf16le_tab.txt", "utf-16", "\t", "csv"),
    ("violations/utf16be_plain_labels.txt", "utf-16", "\t", "csv"),
    ("violations/cp1258_semicolon_crlf.csv", "windows-1258", ";", "csv"),
    ("violations/excel.xlsx", "xlsx", None, "xlsx"),
]


def without_diacritics(text: str) -> str:
    """'Số hồ sơ' → 'So ho so' (case kept), as typed without a Vietnamese keyboard."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.replace("đ", "d").replace("Đ", "D")


def csv_bytes(header: list[str], rows: list[list[str | None]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def parse_column(contract: c.Contract, column: str, values: list[str]):
    """Parse a file where every row is the contract's example row except `column`."""
    header = list(contract.column_names)
    rows = [
        [value if name == column else contract.column(name).example for name in header] for value in values
    ]
    raw = read_table(csv_bytes(header, rows))
    return parse(raw, contract, group_codes=GROUP_CODES, unit_codes=UNIT_CODES)


# -- the fixture files themselves ---------------------------------------------------


def test_generated_fixtures_are_up_to_date(fixtures_dir):
    spec = importlib.util.spec_from_file_location("make_fixtures", fixtures_dir / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for relative, data in module.build().items():
        assert (fixtures_dir / relative).read_bytes() == data, (
            f"{relative} is out of date: run python tests/fixtures/make_fixtures.py"
        )


def test_windows_1258_fixture_really_writes_tone_marks_as_combining_characters(fixtures_dir):
    text = (fixtures_dir / "violations/cp1258_semicolon_crlf.csv").read_bytes().decode("cp1258")
    assert not unicodedata.is_normalized("NFC", text)
    assert ADDRESS not in text
    assert ADDRESS in unicodedata.normalize("NFC", text)
    assert unicodedata.is_normalized("NFC", ADDRESS)


# -- every encoding, delimiter, header style and file type loads the same records ---------------


@pytest.mark.parametrize(
    ("relative", "encoding", "delimiter", "file_format"),
    ENCODED_SAMPLES,
    ids=[row[0].split("/")[1] for row in ENCODED_SAMPLES],
)
def test_every_accepted_file_form_loads_the_same_records(
    warehouse, ingest_fixture, query, relative, encoding, delimiter, file_format
):
    result = ingest_fixture(warehouse, relative, feed="violations", unit_code="CAP")

    assert (result.status, result.reason) == ("loaded", None)
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (3, 3, 0)
    assert result.errors.is_empty()
    assert result.extra_columns == []
    assert (result.encoding, result.delimiter) == (encoding, delimiter)
    rows = query(warehouse, f"SELECT {SAMPLE_COLUMNS} FROM violations ORDER BY record_id")
    assert rows == SAMPLE
    upload = query(
        warehouse,
        "SELECT status, file_format, encoding, delimiter, rows_accepted, period_start, period_end "
        "FROM uploads WHERE upload_id = ?",
        [result.upload_id],
    )
    assert upload == [
        {
            "status": "loaded",
            "file_format": file_format,
            "encoding": encoding,
            "delimiter": delimiter,
            "rows_accepted": 3,
            "period_start": dt.date(2026, 6, 5),
            "period_end": dt.date(2026, 6, 10),
        }
    ]
    # Vietnamese text lands NFC-normalised, whatever the file did with the tone marks.
    found = query(warehouse, "SELECT record_id, address FROM violations WHERE address = ?", [ADDRESS])
    assert found == [{"record_id": "VP-001", "address": ADDRESS}]
    assert all(
        unicodedata.is_normalized("NFC", row["address"])
        and unicodedata.is_normalized("NFC", row["note"] or "")
        for row in query(warehouse, "SELECT address, note FROM violations")
    )


def test_xlsx_reads_only_the_first_sheet_with_real_date_and_number_cells(fixtures_dir):
    raw = read_table((fixtures_dir / "violations/excel.xlsx").read_bytes(), "excel.xlsx")
    assert raw.header[0] == "Số hồ sơ"
    assert raw.rows[LINE].to_list() == [2, 3, 4]
    parsed = parse(raw, c.VIOLATIONS, unit_code="CAP", group_codes=GROUP_CODES, unit_codes=UNIT_CODES)
    assert parsed.errors.is_empty()
    assert parsed.typed["detected_on"][0] == dt.date(2026, 6, 5)  # a date cell, not text
    assert parsed.typed["fine_vnd"].to_list() == [1_500_000, None, 0]  # number cells


# -- line numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_quoted_cell_spanning_lines_keeps_later_line_numbers_right(
    warehouse, ingest_bytes, query, fixtures_dir, line_end
):
    # VP-101 spans lines 2-5 (a two-line address and a three-line note); a blank line 7.
    data = (fixtures_dir / "violations/multiline_note.csv").read_bytes().replace(b"\n", line_end.encode())
    result = ingest_bytes(warehouse, data, feed="violations", unit_code="CAP", file_name="multiline_note.csv")

    assert result.status == "loaded"
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (4, 2, 2)
    errors = result.errors.select("line", "column", "value", "rule").rows()
    assert errors == [(6, "detected_on", "31/02/2026", "type_date"), (8, "group_code", "TDP9", "known_group")]
    messages = result.errors["message"].to_list()
    assert messages[0].startswith("Dòng 6, cột «Ngày phát hiện»: «31/02/2026»")
    assert messages[1].startswith("Dòng 8, cột «Mã tổ dân phố»: mã tổ dân phố «TDP9»")
    rows = query(warehouse, "SELECT record_id, source_line, address, note FROM violations ORDER BY record_id")
    assert rows == [
        {
            "record_id": "VP-101",
            "source_line": 2,
            "address": "Ngõ 5\nTô Hiệu",
            "note": "Ghi chú dòng 1\ndòng 2\ndòng 3",
        },
        {"record_id": "VP-104", "source_line": 9, "address": "Số 3, Cầu Đất", "note": None},
    ]
    stored = query(
        warehouse,
        "SELECT line, column_name, rule FROM rejected_rows WHERE upload_id = ? ORDER BY line",
        [result.upload_id],
    )
    assert [(r["line"], r["column_name"], r["rule"]) for r in stored] == [
        (6, "detected_on", "type_date"),
        (8, "group_code", "known_group"),
    ]


def test_blank_lines_in_the_middle_do_not_shift_line_numbers(warehouse, ingest_fixture, query):
    # CRLF file, no quotes: blank lines 3 and 8, a line of spaces 4, delimiters and spaces on line 6.
    result = ingest_fixture(warehouse, "violations/blank_lines.csv", feed="violations", unit_code="CAP")

    assert result.status == "loaded"
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (3, 2, 1)
    assert result.errors.select("line", "column", "value", "rule").rows() == [
        (5, "detected_on", "31/04/2026", "type_date")
    ]
    assert result.errors["message"][0].startswith("Dòng 5, cột «Ngày phát hiện»: «31/04/2026»")
    rows = query(warehouse, "SELECT record_id, source_line FROM violations ORDER BY record_id")
    assert rows == [{"record_id": "VP-201", "source_line": 2}, {"record_id": "VP-203", "source_line": 7}]


# -- header, enum, date and number spellings (parsing only: no warehouse needed) ---------------


def _header_spellings(column: c.Column) -> list[str]:
    label = column.label_vi
    return [
        column.name,
        column.name.upper(),
        f"  {column.name} ",
        label,
        label.upper(),
        label.lower(),
        f" {label}  ",
        without_diacritics(label),
        without_diacritics(label).upper(),
        f"  {without_diacritics(label).lower()} ",
    ]


@pytest.mark.parametrize(
    ("contract", "column"),
    [(contract, column) for contract in c.ALL_CONTRACTS.values() for column in contract.columns],
    ids=lambda v: v.name,
)
def test_header_matches_by_name_or_label_in_any_case_with_or_without_diacritics(contract, column):
    position = contract.column_names.index(column.name)
    for spelling in _header_spellings(column):
        header = [spelling if name == column.name else name for name in contract.column_names]
        mapped = map_headers(header, contract)
        assert mapped.columns[position] == column.name, spelling
        assert mapped.extras == []


def test_unknown_extra_headers_are_kept_aside_not_fatal():
    header = [*c.CLEANUPS.column_names, "Người báo cáo", " Số điện thoại "]
    mapped = map_headers(header, c.CLEANUPS)
    assert mapped.extras == ["Người báo cáo", "Số điện thoại"]
    assert sorted(mapped.columns.values()) == sorted(c.CLEANUPS.column_names)


def _choice_spellings(choice: c.Choice) -> list[str]:
    label = choice.label_vi
    return [
        choice.code,
        choice.code.upper(),
        label,
        label.upper(),
        label.lower(),
        f"  {label} ",
        without_diacritics(label),
        without_diacritics(label).lower(),
    ]


@pytest.mark.parametrize(
    ("contract", "column"),
    [
        (contract, column)
        for contract in c.FEEDS.values()
        for column in contract.columns
        if column.type == c.ENUM
    ],
    ids=lambda v: v.name,
)
def test_enum_accepts_code_or_vietnamese_label_with_or_without_diacritics(contract, column):
    spellings = [(choice.code, s) for choice in column.choices for s in _choice_spellings(choice)]
    parsed = parse_column(contract, column.name, [s for _, s in spellings])
    assert parsed.errors.is_empty()
    assert parsed.typed[column.name].to_list() == [code for code, _ in spellings]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("05/06/2026", dt.date(2026, 6, 5)),
        ("5/6/2026", dt.date(2026, 6, 5)),
        ("05/6/2026", dt.date(2026, 6, 5)),
        ("5/06/2026", dt.date(2026, 6, 5)),
        ("2026-06-05", dt.date(2026, 6, 5)),
        ("1/1/2026", dt.date(2026, 1, 1)),
        ("29/11/2026", dt.date(2026, 11, 29)),
        (" 31/12/2026 ", dt.date(2026, 12, 31)),
    ],
)
def test_dates_in_dd_mm_yyyy_d_m_yyyy_or_iso(written, expected):
    parsed = parse_column(c.VIOLATIONS, "detected_on", [written])
    assert parsed.errors.is_empty()
    assert parsed.typed["detected_on"].to_list() == [expected]


def test_whole_numbers_with_vietnamese_thousands_separators():
    written = ["1.500.000", "1500000", "250.000", "45", "0", " 2.000 "]
    parsed = parse_column(c.VIOLATIONS, "fine_vnd", written)
    assert parsed.errors.is_empty()
    assert parsed.typed["fine_vnd"].to_list() == [1_500_000, 1_500_000, 250_000, 45, 0, 2_000]
    assert parse_column(c.GROUPS, "population", ["1.150"]).typed["population"].to_list() == [1150]


def test_decimals_with_decimal_comma_or_point():
    parsed = parse_column(c.CLEANUPS, "waste_kg", ["120,5", "120.5", "1.234,5", "0", "12"])
    assert parsed.errors.is_empty()
    assert parsed.typed["waste_kg"].to_list() == [120.5, 120.5, 1234.5, 0.0, 12.0]


def test_unparseable_cells_become_row_errors_with_the_value_as_written():
    parsed = parse_column(c.VIOLATIONS, "fine_vnd", ["1tr5", "12,5", "abc"])
    assert parsed.typed["fine_vnd"].to_list() == [None, None, None]
    assert parsed.errors.rows() == [
        (2, "fine_vnd", "1tr5", "type_integer"),
        (3, "fine_vnd", "12,5", "type_integer"),
        (4, "fine_vnd", "abc", "type_integer"),
    ]


def test_codes_match_the_ward_lists_in_any_case():
    parsed = parse_column(c.CLEANUPS, "group_code", ["tdp01", "Tdp05", "TDP02"])
    assert parsed.typed["group_code"].to_list() == ["TDP01", "TDP05", "TDP02"]


# -- files refused whole ------------------------------------------------------------------

PNG_GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
BROKEN_XLSX = b"PK\x03\x04\x14\x00\x06\x00" + b"not really a workbook" * 4


def _assert_refused_and_kept(warehouse, query, result, data: bytes, *, feed: str, unit_code: str):
    """Refused whole: nothing loaded, but the upload and the original bytes are kept."""
    assert result.status == "refused"
    assert (result.rows_accepted, result.rows_rejected) == (0, 0)
    assert result.errors.is_empty()
    for view in c.FEEDS:
        assert query(warehouse, f"SELECT count(*) AS n FROM {view}") == [{"n": 0}]
    assert query(warehouse, "SELECT count(*) AS n FROM rejected_rows") == [{"n": 0}]
    uploads = query(
        warehouse,
        "SELECT upload_id, feed, unit_code, status, refusal_reason, sha256, size_bytes, stored_path, "
        "received_at FROM uploads",
    )
    assert len(uploads) == 1
    upload = uploads[0]
    assert upload["upload_id"] == result.upload_id
    assert (upload["feed"], upload["unit_code"], upload["status"]) == (feed, unit_code, "refused")
    assert upload["refusal_reason"] == result.reason
    assert upload["sha256"] == hashlib.sha256(data).hexdigest()
    assert upload["size_bytes"] == len(data)
    assert upload["received_at"] is not None
    assert warehouse.original_file(upload["stored_path"]) == data


@pytest.mark.parametrize(
    ("relative", "data", "says"),
    [
        (None, PNG_GARBAGE, ["không phải là văn bản CSV hay Excel"]),
        (None, BROKEN_XLSX, ["Tệp Excel (.xlsx) bị hỏng", "lưu lại dạng .xlsx"]),
        ("violations/empty.csv", None, ["Tệp rỗng"]),
        ("violations/header_only.csv", None, ["chỉ có dòng tiêu đề", "không có dòng dữ liệu"]),
    ],
    ids=["binary-garbage", "broken-xlsx", "empty-file", "header-only"],
)
def test_unreadable_files_are_refused_whole(
    warehouse, ingest_bytes, query, fixtures_dir, relative, data, says
):
    data = (fixtures_dir / relative).read_bytes() if relative else data
    result = ingest_bytes(warehouse, data, feed="violations", unit_code="CAP", file_name="upload.csv")

    for phrase in says:
        assert phrase in result.reason
    _assert_refused_and_kept(warehouse, query, result, data, feed="violations", unit_code="CAP")


def test_missing_required_columns_are_named_by_their_vietnamese_labels(
    warehouse, ingest_fixture, query, fixtures_dir
):
    # Has record_id, detected_on and address; misses group_code, category and action.
    result = ingest_fixture(warehouse, "violations/missing_columns.csv", feed="violations", unit_code="CAP")

    missing_part = result.reason.split("Dòng tiêu đề")[0]
    assert missing_part.startswith("Tệp thiếu cột bắt buộc của loại dữ liệu «Vi phạm»")
    for label in ("«Mã tổ dân phố»", "«Loại vi phạm»", "«Hình thức xử lý»"):
        assert label in missing_part
    for present in ("«Số hồ sơ»", "«Ngày phát hiện»", "«Mã đơn vị»"):
        assert present not in missing_part  # unit_code may be left out: the uploader fills it
    data = (fixtures_dir / "violations/missing_columns.csv").read_bytes()
    _assert_refused_and_kept(warehouse, query, result, data, feed="violations", unit_code="CAP")


def test_unknown_unit_is_refused(warehouse, ingest_fixture, query, fixtures_dir):
    result = ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="XYZ")

    assert result.reason.startswith("Đơn vị «XYZ» không có trong danh sách đơn vị của phường")
    data = (fixtures_dir / "violations/utf8_comma.csv").read_bytes()
    _assert_refused_and_kept(warehouse, query, result, data, feed="violations", unit_code="XYZ")


def test_unit_not_allowed_to_send_the_feed_is_refused(warehouse, ingest_fixture, query, fixtures_dir):
    result = ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="MTDT")

    assert "(MTDT) không được gửi loại dữ liệu «Vi phạm»" in result.reason
    assert "Ra quân vệ sinh môi trường" in result.reason  # what it may send
    assert "Kiểm tra phân loại rác tại nguồn" in result.reason
    data = (fixtures_dir / "violations/utf8_comma.csv").read_bytes()
    _assert_refused_and_kept(warehouse, query, result, data, feed="violations", unit_code="MTDT")


@pytest.mark.parametrize(
    ("relative", "chosen", "unit_code", "right_feed"),
    [
        # A cleanups file (with a unit column) sent as violations.
        ("cleanups/rules.csv", "violations", "CAP", c.CLEANUPS),
        # A sorting-inspections file without the (optional) unit column, sent as cleanups by a
        # unit allowed to send both.
        ("sorting_inspections/labels_no_unit_column.csv", "cleanups", "MTDT", c.SORTING_INSPECTIONS),
    ],
    ids=["cleanups-as-violations", "sorting-as-cleanups"],
)
def test_a_file_of_another_feed_is_refused_with_a_hint(
    warehouse, ingest_fixture, query, fixtures_dir, relative, chosen, unit_code, right_feed
):
    result = ingest_fixture(warehouse, relative, feed=chosen, unit_code=unit_code)

    assert result.reason.startswith(f"Tệp thiếu cột bắt buộc của loại dữ liệu «{c.feed(chosen).label_vi}»")
    assert f"Tệp này có vẻ là dữ liệu «{right_feed.label_vi}» ({right_feed.name})" in result.reason
    data = (fixtures_dir / relative).read_bytes()
    _assert_refused_and_kept(warehouse, query, result, data, feed=chosen, unit_code=unit_code)


def test_the_unit_column_may_be_left_out(warehouse, ingest_fixture, query):
    result = ingest_fixture(
        warehouse,
        "sorting_inspections/labels_no_unit_column.csv",
        feed="sorting_inspections",
        unit_code="MTDT",
    )
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 2, 0)
    rows = query(
        warehouse,
        "SELECT inspection_id, unit_code, households_checked FROM sorting_inspections ORDER BY 1",
    )
    assert rows == [
        {"inspection_id": "KT-101", "unit_code": "MTDT", "households_checked": 100},
        {"inspection_id": "KT-102", "unit_code": "MTDT", "households_checked": 250},
    ]


def test_reader_keeps_every_row_as_text_with_its_line():
    raw = read_table(b"a;b\r\n1;x\r\n\r\n2;\r\n")
    assert raw.header == ["a", "b"]
    assert raw.rows.to_dicts() == [
        {"c0": "1", "c1": "x", LINE: 2},
        {"c0": "2", "c1": None, LINE: 4},
    ]
    assert raw.rows.schema["c0"] == pl.String
