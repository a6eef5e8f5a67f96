"""One indicator across every residential group for the chosen period: worst first, with the records one click away."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, charts, data, grids, standing
from dashboard.i18n import lang, pick, t
from dashboard.state import current_period
from dashboard.widgets import by_scope, indicator_heading, standing_counts, sticky_choice
from kernel import formats as fmt

auth.require("indicator")
period = current_period()
definitions = data.indicators().filter(pl.col("category").is_null())
names = {r["indicator_id"]: pick(r, "name") for r in definitions.iter_rows(named=True)}
ids = list(names)
st.title(t("page_indicator"))
indicator = sticky_choice(t("pick_indicator"), ids, "indicator", format_func=names.get, key="indicator_pick")

frame = data.indicator_groups(indicator, period["period_key"])
ward, groups = by_scope(frame, "ward", "group")
indicator_heading(names[indicator], t("ward"), period, t("indicator_intro"))
if ward.height:
    w = ward.row(0, named=True)
    unit = pick(w, "unit")
    figure = f"{fmt.smart(w['value'], lang())} {unit}".strip()
    target = fmt.target(w["target"], data.indicator_kinds().get(indicator), lang())
    st.markdown(f"**{t('ward_figure', value=figure, target=target)}**")
standing_counts(groups, "groups_behind")
table, statuses = grids.indicator_rows(groups, data.indicator_kinds().get(indicator))
event = grids.indicator_table(table, statuses, key="indicator_groups")
st.caption(t("records_hint"))
ordered = standing.worst_first(groups)["group_code"].to_list()
rows = event.selection.rows if event else []
if rows:
    st.switch_page(
        "views/trace.py",
        query_params={"indicator": indicator, "group": ordered[rows[0]], "period": period["period_key"]},
    )
st.plotly_chart(
    charts.group_gaps(
        standing.worst_first(standing.with_status(groups)), lang=lang(), title=t("chart_gap_title")
    ),
    key="indicator_chart",
    config=charts.CONFIG,
)
if ward.height:
    with st.expander(t("card_formula"), key="indicator_formula"):
        st.caption(pick(ward.row(0, named=True), "formula") or ward["formula_vi"][0])
