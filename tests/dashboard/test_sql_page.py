"""The analysts' SQL page, the data dictionary and the Parquet export."""

from __future__ import annotations

import io
import json

import openpyxl
import polars as pl
import pytest
from dash_app import open_app

import warehouse.query as wq
from services import dictionary


def _run(at, sql):
    at.text_area[0].input(sql)
    at.button(key="run_query").click().run()
    assert not at.exception, at.exception
    return at


def test_a_query_runs_and_shows_its_rows(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    _run(at, "SELECT group_code, group_name FROM residential_groups ORDER BY group_code")
    shown = at.dataframe[0].value
    assert list(shown["group_code"])[:2] == ["TDP01", "TDP02"]
    assert "dòng kết quả" in " ".join(c.value for c in at.caption)


def test_a_write_is_refused_with_a_clear_message(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    _run(at, "DELETE FROM core.violations")
    assert "Chỉ cho phép câu SELECT" in at.error[0].value
    _run(at, "SELECT count(*) AS n FROM violations")
    assert int(at.dataframe[0].value["n"][0]) > 0  # and the console still works


def test_the_row_cap_is_stated(ward, monkeypatch):
    monkeypatch.setenv("DOTHIXANH_SQL_SHOWN_ROWS", "5")
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    _run(at, "SELECT * FROM range(50)")
    assert len(at.dataframe[0].value) == 5
    assert "chỉ hiện 5 dòng đầu" in at.warning[0].value


def test_a_query_over_time_is_stopped_and_said_so(ward, monkeypatch):
    # 10¹³ rows can never be counted, so the limit is what ends the query, however fast the machine.
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "1.5")
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    _run(at, "SELECT count(*) FROM range(100000) a, range(100000) b, range(1000) c")
    assert "quá 1,5 giây nên đã bị dừng" in at.error[0].value
    # The console still works afterwards (with room for a busy machine to start the query's worker).
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "300")
    _run(at, "SELECT 1 AS one")
    assert not at.error
    assert list(at.dataframe[0].value["one"]) == ["1"]  # as the page shows it


def test_examples_load_into_the_editor_and_run(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    examples = [o for o in at.selectbox(key="sql_example").options if not o.startswith("—")]
    assert len(examples) >= 4
    for example in examples:
        at.selectbox(key="sql_example").set_value(example).run()
        assert at.text_area[0].value.startswith("--")
        at.button(key="run_query").click().run()
        assert not at.exception
        assert not at.error, (example, [e.value for e in at.error])


def test_saved_queries_personal_and_shared(ward, monkeypatch):
    from warehouse.accounts import Accounts

    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    at.text_area[0].input("SELECT 42 AS answer")
    at.text_input(key="save_query_name").input("Câu trả lời")
    at.checkbox(key="save_query_shared").check()
    at.button(key="save_query_submit").click().run()
    assert "Đã lưu «Câu trả lời»" in at.success[0].value
    accounts = Accounts(ward)
    accounts.save_query("someone-else", "Riêng tư", "SELECT 1", shared=False)
    visible = [q["name"] for q in accounts.saved_queries("another-analyst")]
    assert "Câu trả lời" in visible and "Riêng tư" not in visible


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "parquet"])
def test_export_neutralises_formulas(ward, monkeypatch, file_format):
    from dashboard.tables import xlsx_bytes
    from services.reports import csv_bytes

    frame = pl.DataFrame({"name": ['=HYPERLINK("http://x","y")', "Tổ 1"], "n": [1, 2]})
    if file_format == "csv":
        text = csv_bytes(frame).decode("utf-8-sig")
        assert "'=HYPERLINK" in text
    elif file_format == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))
        cell = book.active["A2"]
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    else:
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        assert pl.read_parquet(io.BytesIO(buffer.getvalue())).equals(frame)


def test_query_log_records_the_page_user(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    _run(at, "SELECT 1 AS one")
    entries = [json.loads(x) for x in wq.query_log_path(wq.Warehouse(ward)).read_text().splitlines()]
    assert entries[-1]["user"] == "test-analyst" and entries[-1]["status"] == "ok"


def test_dictionary_page_lists_every_view_and_mart(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="analyst").run()
    at.switch_page("views/dictionary.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    names = set(shown["name"])
    assert {"violations", "uploads", "rejected_rows", "indicator_values", "league_table"} <= names
    record = shown[(shown["name"] == "violations") & (shown["column_name"] == "detected_on")].iloc[0]
    assert "Ngày phát hiện" in record["column_comment"] and "Vi phạm" in record["source"]


def test_committed_data_dictionary_is_current():
    assert not dictionary.is_stale(), (
        "docs/data-dictionary.md is out of date: run `dothixanh dictionary --write`"
    )


def test_export_command_writes_every_view_and_mart_as_parquet(ward, tmp_path, monkeypatch, capsys):
    from services.cli import main

    monkeypatch.setenv("DOTHIXANH_HOME", str(ward))
    out = tmp_path / "parquet"
    assert main(["export", "--format", "parquet", "--output", str(out)]) == 0
    files = {p.name for p in out.glob("*.parquet")}
    assert {"violations.parquet", "uploads.parquet", "marts.league_table.parquet"} <= files
    violations = pl.read_parquet(out / "violations.parquet")
    assert violations.height > 0 and "source_line" in violations.columns
