"""Ward overview: indicator cards, monthly trends with targets, groups furthest behind, freshness."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, charts, data, fmt, tables
from dashboard.i18n import lang, pick, t
from dashboard.state import current_period

auth.require("overview")
period = current_period()
st.title(t("page_overview"))
st.caption(f"{t('ward')} · {pick(period, 'label')}")

ward = data.ward_indicators(period["period_key"])
headline = ward.filter(pl.col("category").is_null())
st.subheader(t("indicators_heading"))
tables.card_grid(list(headline.iter_rows(named=True)), key="card")
by_category = ward.filter(pl.col("category").is_not_null())
if by_category.height:
    with st.expander(t("by_category"), key="overview_by_category"):
        tables.show(
            by_category.select(
                pl.col("indicator_name_vi").alias("pick_indicator"),
                "value",
                "target",
                tables.status_expr(),
            ),
            key="overview_categories",
        )

st.subheader(t("trends_heading"))
names = {r["indicator_id"]: pick(r, "name") for r in data.indicators().iter_rows(named=True)}
chosen = st.selectbox(t("pick_indicator"), list(names), format_func=names.get, key="overview_indicator")
trend = data.indicator_trend(chosen)
unit = ward.filter(pl.col("indicator_id") == chosen)["unit_vi"].first()
st.plotly_chart(
    charts.trend(trend, ward_label=t("ward_line"), target_label=t("target"), lang=lang(), unit=unit or ""),
    key="overview_trend",
)

left, right = st.columns(2)
with left:
    st.subheader(t("laggards_heading"))
    laggards = data.laggards(period["period_key"])
    if laggards.is_empty():
        st.info(t("laggards_none"))
    else:
        tables.show(
            laggards.select(
                "group_code", "group_name", "on_track_share", "indicators_judged", "off_track_indicators"
            ),
            key="overview_laggards",
        )
with right:
    st.subheader(t("freshness_heading"))
    tables.show(tables.freshness(data.freshness()), key="overview_freshness")
    st.subheader(t("completeness_heading"))
    summary = data.reporting_summary(period["period_key"]).filter(pl.col("level") == "ward")
    if summary.height:
        s = summary.row(0, named=True)
        a, b, c = st.columns(3)
        a.metric(t("expected"), fmt.number(s["expected"], lang=lang()))
        b.metric(t("received_share"), f"{fmt.smart(s['received_share'], lang())}%")
        c.metric(t("on_time_share"), f"{fmt.smart(s['on_time_share'], lang())}%")
    st.page_link("views/completeness.py", label=t("page_completeness"), icon=":material/fact_check:")
