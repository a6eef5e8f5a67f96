"""A failing query on the SQL page says what is wrong in Vietnamese; DuckDB's English stays in a detail."""

from __future__ import annotations

import pytest
from dash_app import open_app

from warehouse.query_errors import GENERAL, explain


@pytest.mark.parametrize(
    ("duckdb_message", "expected"),
    [
        (
            'Catalog Error: Table with name vipham does not exist!\nDid you mean "violations"?',
            "Không có bảng «vipham»",
        ),
        ('Binder Error: Referenced column "so_tien" not found in FROM clause!', "Không có cột «so_tien»"),
        ('Parser Error: syntax error at or near "FORM"', "sai cú pháp ở gần «FORM»"),
        ("Catalog Error: Scalar Function with name tong does not exist!", "không có hàm «tong»"),
        ("Something nobody foresaw", GENERAL),
    ],
)
def test_duckdb_messages_in_vietnamese(duckdb_message, expected):
    assert expected in explain(duckdb_message)


def test_sql_page_shows_the_error_in_vietnamese_and_the_original_under_a_detail(
    fixture_ward_home, monkeypatch
):
    at = open_app(fixture_ward_home, monkeypatch, role="analyst").run()
    at.switch_page("views/sql.py").run()
    at.text_area[0].input("SELECT * FROM vipham")
    at.button(key="run_query").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "Không có bảng «vipham»" in message
    assert "Catalog" not in message and "exist" not in message
    detail = [e for e in at.expander if e.label == "Thông báo gốc của DuckDB"]
    assert detail and "Catalog Error" in detail[0].code[0].value
