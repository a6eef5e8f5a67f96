"""«Một chỉ tiêu»: one indicator across every ward for the chosen period, worst first, the city on top."""

from __future__ import annotations

import streamlit as st

from dashboard import standing
from dashboard.city import access, data
from dashboard.city.grids import ranked_table
from dashboard.i18n import lang, t
from dashboard.state import current_period
from dashboard.widgets import by_scope, indicator_heading, standing_counts, sticky_choice
from kernel import formats as fmt

access.require()
period = current_period()
definitions = data.indicators()
names = {r["indicator_id"]: r["indicator_name_vi"] for r in definitions.iter_rows(named=True)}
kinds = {r["indicator_id"]: r.get("kind") for r in definitions.iter_rows(named=True)}
ids = list(names)
st.title(t("city_page_indicator"))
indicator = sticky_choice(
    t("pick_indicator"), ids, "indicator", format_func=names.get, key="city_indicator_pick"
)

frame = data.indicator_wards(indicator, period["period_key"])
city, wards = by_scope(frame, "city", "ward")
indicator_heading(names[indicator], t("city_title"), period, t("city_indicator_intro"))
if city.height:
    c = city.row(0, named=True)
    figure = (
        f"{fmt.smart(c['value'], lang())} {c['unit_vi'] or ''}".strip() if c["value"] is not None else "—"
    )
    st.markdown(
        f"**{t('city_figure', value=figure, target=fmt.target(c['target'], kinds.get(indicator), lang()))}**"
    )
    if c["value"] is None and c["reason_vi"]:
        st.caption(c["reason_vi"])
    st.caption(t("city_figure_note"))
standing_counts(wards, "city_wards_behind")
ordered = standing.worst_first(wards)["group_code"].to_list()
event = ranked_table(
    wards, key="city_indicator_wards", header=t("ward_name"), names_only=True, kind=kinds.get(indicator)
)
rows = event.selection.rows if event else []
if rows:  # a ward opens down to its groups, for this indicator and period
    st.switch_page(
        "pages/ward.py",
        query_params={"ward": ordered[rows[0]], "indicator": indicator, "period": period["period_key"]},
    )
st.caption(t("city_rows_hint"))
if city.height and city["formula_vi"][0]:
    with st.expander(t("card_formula"), key="city_indicator_formula"):
        st.caption(city["formula_vi"][0])
