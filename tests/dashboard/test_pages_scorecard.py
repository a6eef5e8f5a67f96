"""Issue 10's pages on the fixture ward: the scorecard, one indicator across the groups, the one period
control, the overview's headline, the league table as scores with reasons, the rank history."""

from __future__ import annotations

from urllib.parse import parse_qs

import duckdb
import polars as pl
import pytest
from dash_app import open_app, snapshot_query

from dashboard import standing
from kernel import formats as fmt

PERIOD = "2026-10"
INDICATOR = "sorting_compliance_rate"


def _marts(home, sql, params=None) -> pl.DataFrame:
    return snapshot_query(home, sql, params, frame=True)


def _values(home, period: str, scope: str = "group", indicator: str | None = None) -> pl.DataFrame:
    return _marts(
        home,
        "SELECT v.* FROM marts.indicator_values AS v JOIN marts.indicators AS i USING (indicator_id) "
        "WHERE v.period_key = ? AND v.scope = ? AND i.category IS NULL AND (? IS NULL OR v.indicator_id = ?) "
        "ORDER BY v.group_code, v.indicator_order",
        [period, scope, indicator, indicator],
    )


def _select(at, key: str, selection: dict) -> None:
    """What a click on a table sends: its selection, as the browser would put it in the widget state."""
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [], **selection}}


def test_the_scorecard_shows_every_group_coloured_against_its_target(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period=PERIOD).run()
    at.switch_page("views/scorecard.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Bảng điểm"
    ward, groups = at.dataframe[0].value, at.dataframe[1].value  # the ward's row first, on top
    assert ward.iloc[0, 0] == "Toàn phường" and len(ward) == 1
    expected = _values(fixture_ward_home, PERIOD)
    codes = expected["group_code"].unique(maintain_order=True).to_list()
    assert [label.split(" · ")[0] for label in groups.iloc[:, 0]] == codes
    # Every cell holds the group's value (numbers stay numbers, so a heading click sorts them as numbers).
    row = expected.filter(pl.col("group_code") == codes[0]).row(0, named=True)
    column = "Vi phạm/1.000 dân"
    assert row["indicator_id"] == "violations_per_1000_residents"
    assert groups[column].iloc[0] == pytest.approx(row["value"])
    # The achieved count per group matches the cells judged "achieved".
    first = standing.with_status(expected.filter(pl.col("group_code") == codes[0]))
    assert groups["Số đạt"].iloc[0] == (first["cell_status"] == "achieved").sum()
    assert "Chú giải" in at.markdown[0].value or any("Chú giải" in m.value for m in at.markdown)


def test_a_scorecard_cell_opens_that_groups_records_for_that_indicator(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period=PERIOD).run()
    at.switch_page("views/scorecard.py").run()
    codes = _values(fixture_ward_home, PERIOD)["group_code"].unique(maintain_order=True).to_list()
    _select(at, "scorecard_groups", {"cells": [[1, "Phân loại đúng"]]})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Truy nguyên số liệu"
    assert at.selectbox(key="trace_indicator").value == INDICATOR
    assert at.selectbox(key="trace_group").value == codes[1]
    assert at.sidebar.selectbox(key="period_select").value == PERIOD


def test_cell_status_achieved_near_behind_and_grey():
    base = {"direction": "higher", "target": 60.0}
    assert standing.cell_status({**base, "value": 61.0, "on_track": True}) == "achieved"
    assert standing.cell_status({**base, "value": 55.0, "on_track": False}) == "near"  # 5 short of 60
    assert standing.cell_status({**base, "value": 40.0, "on_track": False}) == "behind"
    assert standing.cell_status({**base, "value": None, "on_track": None}) == "grey"
    # Once the marts mark provisional figures (issue 9), they are grey whatever their value.
    assert (
        standing.cell_status({**base, "value": 61.0, "on_track": True, "data_status": "provisional"})
        == "grey"
    )
    assert (
        standing.cell_status({**base, "value": 61.0, "on_track": True, "data_status": "complete"})
        == "achieved"
    )


def test_one_indicator_ranks_every_group_worst_first(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period=PERIOD, indicator=INDICATOR).run()
    at.switch_page("views/indicator.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="indicator_pick").value == INDICATOR
    shown = at.dataframe[0].value
    expected = _values(fixture_ward_home, PERIOD, indicator=INDICATOR).filter(pl.col("value").is_not_null())
    gaps = {r["group_code"]: standing.shortfall(r) for r in expected.iter_rows(named=True)}
    order = [label.split(" · ")[0] for label in shown.iloc[:, 1]]
    judged = [code for code in order if gaps.get(code) is not None]
    assert [gaps[c] for c in judged] == sorted((gaps[c] for c in judged), reverse=True)  # worst first
    for column in ("Giá trị", "Mục tiêu", "Chênh lệch", "So với kỳ trước", "Báo cáo đã nhận (%)", "Mức đạt"):
        assert column in shown.columns
    worst = expected.filter(pl.col("group_code") == order[0]).row(0, named=True)
    assert shown["Giá trị"].iloc[0] == pytest.approx(worst["value"])
    assert shown["Mục tiêu"].iloc[0] == pytest.approx(worst["target"])
    # A click on a row opens that group's records for the indicator, same period.
    _select(at, "indicator_groups", {"rows": [0]})
    at.run()
    assert at.title[0].value == "Truy nguyên số liệu"
    assert at.selectbox(key="trace_group").value == order[0]
    assert at.selectbox(key="trace_indicator").value == INDICATOR


def test_a_count_indicator_shows_whole_targets_and_reports_received_in_percent(
    fixture_ward_home, monkeypatch
):
    """«565 đợt», not «565,5 đợt»; «Báo cáo đã nhận (%)» between 0 and 100, not a share 0–1."""
    at = open_app(fixture_ward_home, monkeypatch, period=PERIOD, indicator="cleanup_events").run()
    at.switch_page("views/indicator.py").run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    expected = _values(fixture_ward_home, PERIOD, indicator="cleanup_events")
    fractional = expected.filter((pl.col("target") - pl.col("target").round(0)).abs() > 0.01)
    assert fractional.height, "the fixture should have count targets that are not whole"
    assert all(float(x).is_integer() for x in shown["Mục tiêu"] if x == x and x != float("inf"))
    # The gap beside a whole target is the value less that whole target, so whole too.
    judged = [
        (v, g, tg)
        for v, g, tg in zip(shown["Giá trị"], shown["Chênh lệch"], shown["Mục tiêu"], strict=True)
        if g == g and g != float("inf")
    ]
    assert judged and all(g == pytest.approx(v - tg) and float(g).is_integer() for v, g, tg in judged), judged
    shares = expected.filter(pl.col("reporting_share").is_not_null())
    received = [x for x in shown["Báo cáo đã nhận (%)"] if x == x and x != float("inf")]
    assert received and max(received) <= 100
    assert sorted(received) == sorted(round(v * 100, 9) for v in shares["reporting_share"])
    ward_line = next(m.value for m in at.markdown if m.value.startswith("**Toàn phường:"))
    ward = _values(fixture_ward_home, PERIOD, "ward", "cleanup_events").row(0, named=True)
    assert f"mục tiêu {fmt.number(round(ward['target']), 0)}**" in ward_line, ward_line


def test_every_overview_card_links_to_its_indicator_across_the_groups(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period=PERIOD).run()
    assert not at.exception, at.exception
    ward = _values(fixture_ward_home, PERIOD, scope="ward")
    on, total = standing.headline(ward)
    assert at.header[0].value == f"{on}/{total} chỉ tiêu đạt"
    links = [parse_qs(el.proto.query_string) for el in at.get("page_link") if "chi-tieu" in el.proto.page]
    assert {q["indicator"][0] for q in links} == set(ward["indicator_id"])
    assert all(q["period"] == [PERIOD] for q in links)


def test_the_evaluations_page_follows_the_one_period_control(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period="one-year").run()
    at.switch_page("views/evaluations.py").run()
    assert not at.exception, at.exception
    assert "Tổng kết" in at.header[0].value or "01 năm" in at.header[0].value
    # A month: the evaluation it lies in, said plainly, and the sidebar keeps the month.
    at.sidebar.selectbox(key="period_type").set_value("month").run()
    at.sidebar.selectbox(key="period_select").set_value(PERIOD).run()
    assert not at.exception, at.exception
    assert "Tháng 10/2026" in at.info[0].value
    assert at.query_params["period"] in (PERIOD, [PERIOD])
    # An old link naming ?evaluation= opens that evaluation in the sidebar too.
    old = open_app(fixture_ward_home, monkeypatch, evaluation="one-year").run()
    assert old.sidebar.selectbox(key="period_select").value == "one-year"


def test_the_league_table_labels_its_component_columns_as_scores(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period="conference-2026").run()
    at.switch_page("views/evaluations.py").run()
    table = at.dataframe[0].value
    names = _marts(
        fixture_ward_home,
        "SELECT DISTINCT indicator_name_vi FROM marts.league_components WHERE evaluation = 'conference-2026'",
    )["indicator_name_vi"].to_list()
    assert {f"Điểm {n}" for n in names} <= set(table.columns)
    assert not any(c.startswith("Giá trị ") for c in table.columns)
    at.toggle(key="league_raw").set_value(True).run()
    table = at.dataframe[0].value
    assert any(c.startswith("Giá trị ") for c in table.columns)
    # Why this rank: sentences beside the numbers.
    text = "\n".join(m.value for m in at.markdown)
    assert "Tóm tắt" in text and "Điểm mạnh" in text and "Điểm yếu" in text


def test_rank_history_in_window_order_with_frozen_at_never_blank(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, group="TDP01").run()
    at.switch_page("views/group.py").run()
    assert not at.exception, at.exception
    history = next(d.value for d in at.dataframe if "rank_history_window" in d.value.columns)
    assert set(history["status"]) <= {"Hiện tại", "Đã chốt", "đã chốt"}
    assert "hiện tại" not in set(history["status"])
    assert (history["frozen_at"] != "").all()
    windows = _marts(fixture_ward_home, "SELECT label_vi, window_end FROM marts.evaluation_windows")
    ends = dict(windows.iter_rows())
    shown_ends = [ends[label] for label in history["pick_evaluation"]]
    assert shown_ends == sorted(shown_ends)


def test_the_one_page_scorecard_pdf_is_one_landscape_page(fixture_ward_home):
    import io

    import pypdf

    from services import reports
    from services.reports import onepage

    con = duckdb.connect(str((fixture_ward_home / "snapshot.duckdb").resolve()), read_only=True)
    try:
        data = reports.evaluation_report_data(con, "conference-2026")
    finally:
        con.close()
    pdf = pypdf.PdfReader(io.BytesIO(onepage.to_pdf(data)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width) / 72 * 25.4) == 297
    text = pdf.pages[0].extract_text()
    for r in data.league.filter(pl.col("ranked")).iter_rows(named=True):
        assert r["group_name"] in text
        assert fmt.number(r["score"], 1) in text
    assert "BẢNG ĐIỂM THI ĐUA" in text and "CHỦ TỊCH" in text and "NGƯỜI LẬP BIỂU" in text
    assert "Các tổ còn chậm nhất" in text
