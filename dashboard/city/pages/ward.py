"""«Phường»: one ward opened down to its groups, from what the ward published (marts and lists only)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import grids, standing, tables
from dashboard.city import access, data
from dashboard.city.grids import ranked_table
from dashboard.i18n import TIERS_EN, lang, pick, t
from dashboard.state import current_period
from dashboard.widgets import unit_choice, url_choice
from kernel import formats as fmt

access.require()
period = current_period()
wards = data.wards()
info = unit_choice(wards, "ward", t("city_pick_ward"), key="city_ward_code", unknown="city_unknown_ward")
ward = info["ward_code"]
st.title(info["ward_name"])
st.caption(
    f"{pick(period, 'label')} · "
    + t(
        "city_ward_facts",
        groups=fmt.number(info["group_count"], lang=lang()),
        households=fmt.number(info["households"], lang=lang()),
        population=fmt.number(info["population"], lang=lang()),
    )
)

st.subheader(t("city_ward_heading"))
values = standing.with_status(data.ward_indicators(ward, period["period_key"]))
status_label = {s: t(f"cell_{s}") for s in standing.STATUSES} | {"grey": t("cell_grey_short")}
tables.show(
    values.select(
        pl.col("indicator_name_vi").alias("pick_indicator"),
        "value",
        pl.col("city_value"),
        "target",
        pl.col("gap_to_target").alias("gap"),
        pl.col("cell_status").replace_strict(status_label, return_dtype=pl.String).alias("standing"),
    ),
    key="city_ward_indicators",
    file_name=f"{ward}-chi-tieu-{period['period_key']}.csv",
    pinned=("pick_indicator",),
)

st.subheader(t("city_groups_heading"))
st.caption(t("city_groups_note"))
ids = values["indicator_id"].to_list()
labels = dict(zip(ids, values["indicator_name_vi"].to_list(), strict=True))
indicator = url_choice(
    t("pick_indicator"), ids, "indicator", format_func=labels.get, key="city_ward_indicator", keep=True
)
groups = data.ward_groups(ward, indicator, period["period_key"]).filter(pl.col("scope") == "group")
grids.legend()
ranked_table(groups, key="city_ward_groups", header=t("group"))

if period["period_type"] == "evaluation":
    st.subheader(t("city_groups_league"))
    league = data.ward_league(ward, period["period_key"])
    if lang() == "en":
        league = league.with_columns(pl.col("tier").replace(TIERS_EN))
    tables.show(
        league.select("rank", "group_code", "group_name", "score", "tier", "unranked_reason_vi"),
        key="city_ward_league",
        file_name=f"{ward}-xep-hang-to-{period['period_key']}.csv",
        pinned=("rank", "group_name"),
    )
