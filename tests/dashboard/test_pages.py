"""Every page on the fixture ward and the demo ward: no error, and the numbers the marts hold."""

from __future__ import annotations

import html
import urllib.parse

import polars as pl
import pytest
from dash_app import CARD_SPARK, card_figures, card_sparks, card_text, cards, open_app, snapshot_query

from kernel import formats as fmt

PAGES = [
    "views/overview.py",
    "views/group.py",
    "views/evaluations.py",
    "views/completeness.py",
    "views/trace.py",
]


def _markdown(at) -> str:
    """The page's text: its markdown and what its cards say."""
    return "\n".join(m.value for m in at.markdown) + "\n" + card_text(at)


def _values(at) -> list[str]:
    """The big numbers of the indicator cards, with the unit each card names above its number."""
    return card_figures(at)


def _marts(home, sql, params=None) -> pl.DataFrame:
    return snapshot_query(home, sql, params, frame=True)


@pytest.mark.parametrize("ward", ["fixture_ward_home", "demo_ward_home"])
def test_every_page_runs_without_error(ward, request, monkeypatch):
    home = request.getfixturevalue(ward)
    at = open_app(home, monkeypatch).run()
    assert not at.exception, at.exception
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


def test_overview_cards_show_the_ward_values_of_the_chosen_period(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period="2026-09").run()
    expected = _marts(
        fixture_ward_home,
        "SELECT v.indicator_name_vi, v.value, v.unit_vi FROM marts.indicator_values AS v "
        "JOIN marts.indicators AS i USING (indicator_id) "
        "WHERE v.period_key = '2026-09' AND v.scope = 'ward' AND v.value IS NOT NULL AND i.category IS NULL",
    )
    text = _markdown(at)
    assert expected.height >= 3
    for name, value, unit in expected.iter_rows():
        assert name in text
        assert f"{fmt.smart(value)} {unit}" in _values(at)
    assert at.sidebar.selectbox(key="period_select").value == "2026-09"
    # Each card's target is one unbreakable phrase: beside the badge it wrapped between word and figure.
    assert text.count("Mục\u00a0tiêu\u00a0") >= expected.height


def test_each_card_draws_its_months_as_a_small_line_up_to_the_period(fixture_ward_home, monkeypatch):
    """The card's trend is a small picture of the ward's months with a value, up to the chosen one (an
    SVG the page draws at once, not a chart view per card)."""
    at = open_app(fixture_ward_home, monkeypatch, period="2026-11").run()
    months = _marts(
        fixture_ward_home,
        "SELECT v.indicator_id, count(*) AS n FROM marts.indicator_values AS v "
        "JOIN marts.indicators AS i USING (indicator_id) "
        "WHERE v.scope = 'ward' AND v.period_type = 'month' AND v.value IS NOT NULL "
        "AND v.period_end <= DATE '2026-11-30' AND v.period_status <> 'not_started' AND i.category IS NULL "
        "GROUP BY ALL HAVING n >= 2",
    )
    lines = card_sparks(at)
    assert months.height >= 3 and len(lines) == months.height
    settled = [line.split('points="')[1].split('"')[0].count(",") for line in lines]
    running = ["dtx-spark-running" in line for line in lines]
    drawn = sorted(n + r for n, r in zip(settled, running, strict=True))
    assert drawn == sorted(months["n"].to_list())  # one point per month with a value
    assert all("Xu hướng" in line for line in lines)  # named for a screen reader, in Vietnamese
    assert all(not m.proto.chart_data for m in at.metric)
    # Each trend is a picture named for a screen reader (the cards' HTML element keeps no SVG of its own).
    assert sum(c.count('<img class="dtx-spark" alt="Xu hướng') for c in cards(at)) == len(lines)
    # The ward's data run to 29/11/2026: November is still running, so its few days are drawn apart
    # (dashed, hollow dot) and said, not shown as a fall or a rise.
    assert all(running) and all("tháng cuối chưa hết" in line for line in lines)
    october = open_app(fixture_ward_home, monkeypatch, period="2026-10").run()
    closed = card_sparks(october)
    assert closed and not any("dtx-spark-running" in line or "chưa hết" in line for line in closed)


def test_a_month_over_but_partly_reported_is_drawn_apart_on_the_card_trend(demo_ward_home, monkeypatch):
    """A month whose days are over but whose reports are not all in is a provisional figure: the card's
    trend draws it dashed and says «tạm tính» instead of showing a fall or a rise as final."""
    ward = _marts(
        demo_ward_home,
        "SELECT v.indicator_id, v.period_key, v.data_status, v.indicator_name_vi FROM marts.indicator_values AS v "
        "JOIN marts.indicators AS i USING (indicator_id) "
        "WHERE v.scope = 'ward' AND v.period_type = 'month' AND v.value IS NOT NULL AND i.category IS NULL "
        "AND v.period_status = 'complete' ORDER BY v.period_order DESC",
    )
    provisional = ward.filter(pl.col("data_status") == "provisional")
    assert provisional.height, "the fixture should have a month over with reports missing"
    period = provisional["period_key"][0]
    at = open_app(demo_ward_home, monkeypatch, period=period).run()
    month = ward.filter(pl.col("period_key") == period)
    drawn = {"dashed": 0, "solid": 0}
    for row in month.iter_rows(named=True):
        [card] = [c for c in cards(at) if f">{html.escape(row['indicator_name_vi'], quote=False)}<" in c]
        sparks = [urllib.parse.unquote(m) for m in CARD_SPARK.findall(card)]
        if not sparks:
            continue  # under two months: no trend
        dashed = "dtx-spark-running" in sparks[0]
        assert dashed == (row["data_status"] == "provisional"), row
        drawn["dashed" if dashed else "solid"] += 1
        if dashed:
            assert "tháng cuối còn tạm tính" in sparks[0] and "chưa hết" not in sparks[0]
    assert drawn["dashed"], drawn  # the demo ward's last closed month has units still to report


def test_period_picker_changes_every_figure(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, period="2026-09").run()
    september = _markdown(at)
    at.sidebar.selectbox(key="period_select").set_value("2026-10").run()
    assert not at.exception
    assert at.query_params["period"] == ["2026-10"] or at.query_params["period"] == "2026-10"
    october = _marts(
        fixture_ward_home,
        "SELECT value FROM marts.indicator_values WHERE period_key = '2026-10' AND scope = 'ward' "
        "AND indicator_id = 'violations_per_1000_residents'",
    )["value"][0]
    assert any(v.startswith(f"{fmt.smart(october)} ") for v in _values(at))
    assert _markdown(at) != september


def test_group_link_opens_that_group(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, group="TDP02")
    at.run()
    at.switch_page("views/group.py").run()
    assert not at.exception
    assert at.selectbox(key="group_code").value == "TDP02"
    assert at.title[0].value == "Tổ dân phố số 2 (TDP02)"


def test_an_unknown_group_in_the_link_is_said_plainly(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch, group="TDP99").run()
    at.switch_page("views/group.py").run()
    assert not at.exception
    assert "TDP99" in at.warning[0].value


def test_league_table_and_why_this_rank(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch).run()
    at.switch_page("views/evaluations.py").run()
    league = _marts(
        fixture_ward_home,
        "SELECT group_code, rank, score, tier FROM marts.league_table WHERE evaluation = 'conference-2026' "
        "AND ranked ORDER BY rank",
    )
    shown = at.dataframe[0].value  # the league table comes first: ranked groups only (the rest below it)
    assert shown["group_code"].tolist() == league["group_code"].to_list()
    top = league.row(0, named=True)
    at.selectbox(key="why_group").set_value(top["group_code"]).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hạng"] == str(top["rank"])
    assert metrics["Điểm"] == fmt.smart(top["score"])
    assert metrics["Xếp loại"] == top["tier"]


def test_english_is_one_click_away(fixture_ward_home, monkeypatch):
    at = open_app(fixture_ward_home, monkeypatch).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Ward overview"


def test_trace_shows_the_records_and_files_behind_a_figure(fixture_ward_home, monkeypatch):
    at = open_app(
        fixture_ward_home,
        monkeypatch,
        period="2026-09",
        indicator="violations_per_1000_residents",
        group="TDP01",
    )
    at.run()
    at.switch_page("views/trace.py").run()
    assert not at.exception
    records = at.dataframe[0].value  # the records counted, then their files
    expected = _marts(
        fixture_ward_home,
        "SELECT count(*) AS n FROM violations WHERE group_code = 'TDP01' "
        "AND detected_on BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'",
    )["n"][0]
    numerator = records[records["part"] == "Tử số"]
    assert len(numerator) == expected > 0
    # The denominator is the group's population, from the groups list.
    assert list(records[records["part"] == "Mẫu số"]["feed"]) == ["Danh sách tổ dân phố"]
    for column in ("sent_by", "uploaded_account", "file_name", "received_at", "source_line"):
        assert column in records.columns
    files = at.dataframe[1].value
    assert set(files["file_name"]) <= set(
        _marts(fixture_ward_home, "SELECT file_name FROM uploads")["file_name"]
    )
    assert "uploaded_account" in files.columns
