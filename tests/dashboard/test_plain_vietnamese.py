"""Every page of every role, in Vietnamese mode, shows no English word and no raw code (issue 10, item 8).

The walk reads everything AppTest can see: titles, text, captions, alerts, labels and options of
widgets, tab and expander labels, metrics, table headers and every table cell. What only a browser
draws (the file uploader's own text, Streamlit's toolbar) is walked in tests/e2e/test_browser_words.py.
Codes are allowed only where they are the subject: the SQL console and the data dictionary, whose
readers are analysts writing SQL; the settings file's TOML text; uploaded file names.
"""

from __future__ import annotations

import json
import re

import pytest
from dash_app import open_app
from google.protobuf.json_format import MessageToDict
from plain_words import leaks

from dashboard.auth import ROLE_PAGES

PAGES_WITH_CODES = {"sql", "dictionary"}  # for analysts, table and column names are the content
SKIP_FIELDS = {"data", "id", "formId", "icon", "script", "body", "spec", "figure", "pageScriptHash",
               "url", "urlPath", "queryString", "defaultValue", "value", "styles", "arrowData", "name"}  # fmt: skip
FILE_NAME = re.compile(r"[\w.-]+\.(csv|txt|xlsx|pdf|toml|json)\b")


def _strings(node, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in SKIP_FIELDS:
                _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)
    elif isinstance(node, str):
        out.append(node)


def _page_text(at) -> list[tuple[str, str]]:
    """(where, text) for everything the page shows."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "?")
        if kind in ("code", "text_area", "json"):  # TOML settings, SQL text, raw validation JSON
            return
        if proto is not None and not isinstance(proto, bytes):
            strings: list[str] = []
            _strings(MessageToDict(proto), strings)
            if kind == "dataframe":
                config = json.loads(proto.columns or "{}")
                strings = [str(c.get("label", "")) for c in config.values() if isinstance(c, dict)]
                frame = node.value
                strings += [str(v) for v in frame.to_numpy().ravel().tolist() if v is not None]
            found.extend((kind, s) for s in strings)
        if children:
            for child in children.values():
                walk(child)

    walk(at._tree)
    return found


def _walk(home, monkeypatch, role: str, unit: str | None):
    at = open_app(home, monkeypatch, role=role, unit=unit).run()
    problems = []
    for page in ROLE_PAGES[role]:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        for where, text in _page_text(at):
            text = FILE_NAME.sub("", text)
            if page in PAGES_WITH_CODES and where in ("dataframe", "expander"):
                continue  # the schema's tables: their names, descriptions in both languages, by design
            bad = leaks(text, codes=page not in PAGES_WITH_CODES)
            if bad:
                problems.append(f"{page} [{where}] {bad}: {text[:120]!r}")
    return problems


@pytest.mark.parametrize(
    ("role", "unit"), [("leader", None), ("unit", "CAP"), ("analyst", None), ("admin", None)]
)
def test_no_english_or_raw_codes_on_any_page(fixture_ward_home, monkeypatch, role, unit):
    problems = _walk(fixture_ward_home, monkeypatch, role, unit)
    assert not problems, "\n".join(sorted(set(problems)))


def _headers(table) -> list[str]:
    """A table's column headers as shown, in the order of its columns."""
    config = json.loads(table.proto.columns or "{}")
    names = list(table.value.columns)
    return [(config.get(n) or config.get(f"name:{n}") or {}).get("label", n) for n in names]


def test_a_clerks_history_names_feeds_statuses_and_columns_in_vietnamese(
    fixture_ward_home, tmp_path, monkeypatch
):
    """A file with a bad row: the history shows the feed, the status and the rejected row's column by
    their labels, and the table headers in Vietnamese."""
    import datetime as dt
    import shutil

    from pipelines.ingest import ingest
    from warehouse.store import Warehouse

    home = tmp_path / "home"
    shutil.copytree(fixture_ward_home, home, symlinks=True)
    header = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note"
    rows = [
        "Y01,CAP,2026-11-03,TDP01,sidewalk_encroachment,reminder,,,1 Tô Hiệu,",
        "Y02,CAP,31/02/2026,TDP01,x,fine,,,,",
    ]
    result = ingest(
        Warehouse(home), ("\n".join([header, *rows]) + "\n").encode(), feed="violations", unit_code="CAP",
        file_name="CAP_thang-11.csv", received_at=dt.datetime(2026, 11, 20, 9, 0), today=dt.date(2026, 11, 29),
    )  # fmt: skip
    assert result.rows_rejected >= 1, result.to_json()
    at = open_app(home, monkeypatch, role="unit", unit="CAP").run()
    at.switch_page("views/history.py").run()
    assert not at.exception
    history, rejected = at.dataframe[0], at.dataframe[1]
    headers = _headers(history)
    assert "Tổng số dòng" in headers and "Loại dữ liệu" in headers
    assert "Vi phạm" in set(history.value.iloc[:, headers.index("Loại dữ liệu")])
    assert "Đã nạp" in set(history.value.iloc[:, headers.index("Trạng thái")])
    labels = _headers(rejected)
    assert "Cột" in labels and "Cách sửa" in labels
    assert "Ngày phát hiện" in set(rejected.value.iloc[:, labels.index("Cột")])
    problems = [f"{w}: {x!r}" for w, x in _page_text(at) if leaks(FILE_NAME.sub("", x))]
    assert not problems, problems


# What the marts write in Vietnamese and the English mode must say in English: figure completeness,
# approval states, indicator units and formulas, the default tiers, component statuses.
VIETNAMESE_IN_ENGLISH = re.compile(
    r"tạm tính|báo cáo\)|Chưa có số liệu|Chưa nhận|Đã nhận|Đã gửi duyệt|Đã duyệt|Đã khóa|"
    r"vụ/1\.000 dân|lượt/100 dân|số vụ vi phạm|Xuất sắc|Cần cố gắng|Đã chấm điểm|Chưa đặt chỉ tiêu"
)


@pytest.mark.parametrize(("role", "unit"), [("leader", None), ("admin", None)])
def test_the_english_mode_shows_no_vietnamese_status_unit_or_formula(
    fixture_ward_home, monkeypatch, role, unit
):
    at = open_app(fixture_ward_home, monkeypatch, role=role, unit=unit, lang="en").run()
    problems = []
    for page in ROLE_PAGES[role]:
        if page in PAGES_WITH_CODES or page == "upload":  # analysts' schema texts; the clerk's file help
            continue
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        for where, text in _page_text(at):
            if found := VIETNAMESE_IN_ENGLISH.search(text):
                problems.append(f"{page} [{where}] {found.group(0)!r}: {text[:120]!r}")
    assert not problems, "\n".join(sorted(set(problems)))
