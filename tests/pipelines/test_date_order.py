"""Dates read with the file's evidence, never against it (issue 11).

A PC with English (US) settings writes 7/3/2026 for 3 July. Such a file proves itself with
values like 7/14/2026 (no month 14); the clerk is told, and the file is read month first only
when the clerk confirms it (`ingest --date-order mdy`). Until then nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from services.cli import main

HEADER = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note"
US_FILE = ["US-1,7/3/2026,", "US-2,7/14/2026,", "US-3,5/21/2026,"]  # record, detected_on, resolved_on


def csv_file(tmp_path, rows: list[str], name: str = "us.csv"):
    lines = [HEADER]
    for row in rows:
        record, detected, resolved = row.split(",")
        lines.append(f"{record},CAP,{detected},TDP01,other,reminder,,{resolved},Tô Hiệu,")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def home(warehouse, monkeypatch):
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    return warehouse


def ingest_json(capsys, path, *options) -> tuple[int, dict]:
    code = main(["ingest", str(path), "--feed", "violations", "--unit", "CAP", "--json", *options])
    return code, json.loads(capsys.readouterr().out)


def detected(query, warehouse) -> dict[str, dt.date]:
    rows = query(warehouse, "SELECT record_id, detected_on FROM violations ORDER BY record_id")
    return {r["record_id"]: r["detected_on"] for r in rows}


def by_line(report: dict) -> dict[int, dict]:
    return {e["line"]: e for e in report["errors"]}


# -- the US-settings file ------------------------------------------------------------------------


def test_us_file_without_confirmation_says_month_first_and_loads_no_guess(home, tmp_path, capsys, query):
    code, report = ingest_json(capsys, csv_file(tmp_path, US_FILE))

    assert code == 0 and report["status"] == "loaded"
    hint = report["date_order_hint"]
    assert {k: hint[k] for k in ("order", "confirmed", "column", "example", "example_date", "line")} == {
        "order": "mdy",
        "confirmed": False,
        "column": "detected_on",
        "example": "7/14/2026",
        "example_date": "2026-07-14",
        "line": 3,
    }
    assert "tháng/ngày/năm" in hint["message"]
    # 7/3/2026 is not loaded as 7 March: refused, saying why and how to confirm.
    assert (report["rows_accepted"], report["rows_rejected"]) == (0, 3)
    ambiguous = by_line(report)[2]
    assert (ambiguous["column"], ambiguous["value"], ambiguous["rule"]) == (
        "detected_on",
        "7/3/2026",
        "date_ambiguous",
    )
    assert ambiguous["message"].startswith(
        "Dòng 2, cột «Ngày phát hiện»: «7/3/2026» có thể là ngày 7 tháng 3"
    )
    assert "tháng/ngày/năm («7/14/2026» ở dòng 3)" in ambiguous["message"]
    assert "--date-order mdy" in ambiguous["message"]
    assert "(khi đó đây là ngày 14/07/2026)" in by_line(report)[3]["message"]
    assert detected(query, home) == {}


def test_us_file_with_date_order_mdy_loads_3_july_14_july_21_may(home, tmp_path, capsys, query):
    code, report = ingest_json(capsys, csv_file(tmp_path, US_FILE), "--date-order", "mdy")

    assert code == 0
    assert (report["status"], report["rows_accepted"], report["rows_rejected"]) == ("loaded", 3, 0)
    assert report["date_order"] == "mdy"
    assert report["date_order_hint"]["confirmed"] is True
    assert detected(query, home) == {
        "US-1": dt.date(2026, 7, 3),
        "US-2": dt.date(2026, 7, 14),
        "US-3": dt.date(2026, 5, 21),
    }


def test_confirming_after_a_first_unconfirmed_load_is_not_a_duplicate(home, tmp_path, capsys, query):
    path = csv_file(tmp_path, US_FILE)
    ingest_json(capsys, path)
    code, report = ingest_json(capsys, path, "--date-order", "mdy")

    assert (code, report["status"], report["rows_accepted"]) == (0, "loaded", 3)
    assert detected(query, home)["US-1"] == dt.date(2026, 7, 3)
    # Sent a third time, confirmed again: now it is the same file read the same way.
    code, report = ingest_json(capsys, path, "--date-order", "mdy")
    assert (code, report["status"]) == (0, "duplicate")


def test_month_first_evidence_in_one_column_holds_back_another_columns_ambiguous_date(home, tmp_path, capsys):
    _, report = ingest_json(capsys, csv_file(tmp_path, ["US-1,7/3/2026,7/14/2026"]))

    assert report["date_order_hint"]["column"] == "resolved_on"
    rules = {e["column"]: e["rule"] for e in report["errors"]}
    assert rules == {"detected_on": "date_ambiguous", "resolved_on": "date_month_first"}
    [error] = [e for e in report["errors"] if e["column"] == "detected_on"]
    assert "(«7/14/2026» ở dòng 2, cột «Ngày khắc phục»)" in error["message"]


def test_plain_text_report_says_so_and_how_to_confirm(home, tmp_path, capsys):
    main(["ingest", str(csv_file(tmp_path, US_FILE)), "--feed", "violations", "--unit", "CAP"])
    out = capsys.readouterr().out

    assert "Lưu ý về ngày: Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm" in out
    assert "hãy chạy lại lệnh này với --date-order mdy" in out


def test_ingest_help_explains_date_order_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # however wide the terminal wraps it
    assert "--date-order {dmy,mdy}" in out
    assert "ngày/tháng/năm (mặc định" in out and "tháng/ngày/năm" in out


# -- files that do not prove month first ----------------------------------------------------------


def test_mixed_evidence_refuses_the_ambiguous_row_whichever_order_is_chosen(home, tmp_path, capsys, query):
    path = csv_file(tmp_path, ["M-1,7/3/2026,", "M-2,7/14/2026,", "M-3,14/7/2026,", "M-4,5/5/2026,"])
    _, report = ingest_json(capsys, path)

    assert report["date_order_hint"] is None
    ambiguous = by_line(report)[2]
    assert ambiguous["rule"] == "date_ambiguous"
    assert "tệp ghi ngày lẫn lộn hai kiểu" in ambiguous["message"]
    assert "«7/14/2026» ở dòng 3" in ambiguous["message"] and "«14/7/2026» ở dòng 4" in ambiguous["message"]
    assert by_line(report)[3]["rule"] == "date_month_first"
    assert detected(query, home) == {"M-3": dt.date(2026, 7, 14), "M-4": dt.date(2026, 5, 5)}

    _, confirmed = ingest_json(capsys, path, "--date-order", "mdy")
    assert by_line(confirmed)[2]["rule"] == "date_ambiguous"
    assert by_line(confirmed)[4]["rule"] == "date_day_first"


def test_day_first_file_reads_as_always_without_a_hint(home, tmp_path, capsys, query):
    _, report = ingest_json(
        capsys, csv_file(tmp_path, ["D-1,7/3/2026,", "D-2,14/7/2026,", "D-3,2026-06-05,"])
    )

    assert (report["rows_accepted"], report["date_order_hint"]) == (3, None)
    assert detected(query, home) == {
        "D-1": dt.date(2026, 3, 7),
        "D-2": dt.date(2026, 7, 14),
        "D-3": dt.date(2026, 6, 5),
    }


def test_two_digit_year_gets_its_own_message(home, tmp_path, capsys):
    # LibreOffice's default CSV export.
    _, report = ingest_json(capsys, csv_file(tmp_path, ["Y-1,07/03/26,", "Y-2,05/06/2026,"]))

    assert report["rows_accepted"] == 1
    [error] = report["errors"]
    assert (error["line"], error["column"], error["value"], error["rule"]) == (
        2,
        "detected_on",
        "07/03/26",
        "date_two_digit_year",
    )
    assert error["message"] == (
        "Dòng 2, cột «Ngày phát hiện»: «07/03/26»: năm cần ghi đủ 4 chữ số, ví dụ «07/03/2026»."
    )
    assert "ngoài khoảng" not in error["message"]
