"""Ward overview: the headline (x/y indicators on track), compact cards with a small trend, groups behind."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, cards, data, standing, tables
from dashboard.i18n import pick, t
from dashboard.state import current_period

auth.require("overview")
period = current_period()
st.title(t("page_overview"))
st.caption(f"{t('ward')} · {pick(period, 'label')}")

ward = data.ward_cards(period["period_key"])
on, total = standing.headline(ward)
statuses = standing.with_status(ward)["cell_status"].to_list()
with st.container(border=True, key="overview_headline"):
    st.header(t("headline", on=on, total=total) if total else t("headline_none"), anchor=False)
    st.caption(
        t(
            "headline_caption",
            period=pick(period, "label"),
            near=statuses.count("near"),
            behind=statuses.count("behind"),
            grey=statuses.count("grey"),
        )
    )
    st.page_link("views/scorecard.py", label=t("open_scorecard"), icon=":material/grid_on:")

cards.grid(
    list(standing.with_status(ward).iter_rows(named=True)), key="card", period_key=period["period_key"]
)

by_category = data.ward_indicators(period["period_key"]).filter(pl.col("category").is_not_null())
# The two boxes below are drawn only once opened (a table in a closed box still cost every view).
if by_category.height:
    with st.expander(t("by_category"), key="overview_by_category", on_change="rerun") as box:
        if box.open:
            tables.show(
                by_category.select(
                    pl.col("indicator_name_vi").alias("pick_indicator"),
                    "value",
                    "target",
                    tables.status_expr(),
                ),
                key="overview_categories",
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
                pl.concat_str("group_code", pl.lit(" · "), "group_name").alias("group"),
                "on_track_share",
                "off_track_indicators",
            ),
            key="overview_laggards",
            pinned=("group",),
        )
with right:
    st.subheader(t("completeness_heading"))
    summary = data.reporting_summary(period["period_key"]).filter(pl.col("level") == "ward")
    if summary.height:
        cards.reporting_metrics(summary.row(0, named=True))
    st.page_link("views/completeness.py", label=t("page_completeness"), icon=":material/fact_check:")

st.subheader(t("trends_heading"))
names = {r["indicator_id"]: pick(r, "name") for r in data.indicators().iter_rows(named=True)}
chosen = st.selectbox(t("pick_indicator"), list(names), format_func=names.get, key="overview_indicator")
trend = data.indicator_trend(chosen)
unit = pick(data.indicators().filter(pl.col("indicator_id") == chosen).row(0, named=True), "unit")
cards.trend_chart(trend, unit=unit or "", key="overview_trend")
with st.expander(t("freshness_heading"), key="overview_freshness_box", on_change="rerun") as box:
    if box.open:
        tables.show(tables.freshness(data.freshness()), key="overview_freshness")
