"""«Xếp hạng phường»: the wards ranked for an evaluation, with component scores and why each rank."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import explain, tables
from dashboard.city import access, data
from dashboard.i18n import TIERS_EN, lang, pick, t
from dashboard.state import current_period
from dashboard.widgets import url_choice, why_rank
from kernel import formats as fmt

access.require()
period = current_period()
periods = data.periods()
evaluations = periods.filter(pl.col("period_type") == "evaluation")
labels = {r["period_key"]: pick(r, "label") for r in evaluations.iter_rows(named=True)}
if period["period_type"] == "evaluation":
    evaluation = period["period_key"]
else:  # a month, quarter or year: the first evaluation whose window covers it, else overlaps it
    overlapping = evaluations.filter(
        (pl.col("period_start") <= period["period_end"]) & (pl.col("period_end") >= period["period_start"])
    )
    if overlapping.is_empty():
        st.info(t("no_evaluation_for_period"))
        st.stop()
    overlapping = overlapping.sort(
        (pl.col("period_start") > period["period_start"]) | (pl.col("period_end") < period["period_end"]),
        "sort_order",
    )
    evaluation = overlapping["period_key"][0]
    st.info(t("city_evaluation_of_period", period=pick(period, "label"), evaluation=labels[evaluation]))

st.title(f"{t('city_league_heading')}: {labels.get(evaluation, evaluation)}")
st.caption(t("city_league_intro"))
league = data.league(evaluation)
components = data.components(evaluation)
if lang() == "en":
    league = league.with_columns(pl.col("tier").replace(TIERS_EN))
# The ward dashboard's league helpers speak of groups: a ward stands where a group stands there.
as_groups = {"ward_code": "group_code", "ward_name": "group_name"}
back = {v: k for k, v in as_groups.items()}
raw = st.toggle(t("show_raw"), key="city_league_raw")
ranked = league.filter(pl.col("ranked"))
st.caption(t("league_scores_note"))
if ranked.height:
    table = explain.league_frame(ranked.rename(as_groups), components.rename(as_groups), raw=raw)
    table = table.rename(back)
    tables.show(  # the ward's name says it on a phone; the file keeps the official code too
        table.drop("ward_code"),
        download=table,
        key="city_league_table",
        file_name=f"xep-hang-phuong-{evaluation}.csv",
        pinned=("rank", "ward_name", "score"),
    )
else:
    st.info(t("city_none_ranked"))
unranked = league.filter(~pl.col("ranked")).sort(
    "score", "ward_name", descending=[True, False], nulls_last=True
)
if unranked.height:
    st.markdown(f"**{t('unranked_heading')}** ({fmt.number(unranked.height, lang=lang())})")
    common, own = tables.split_reasons(unranked["unranked_reason_vi"].to_list())
    if common:
        st.warning(t("city_unranked_common", reason=common), icon=":material/pending_actions:")
    provisional = explain.league_frame(
        unranked.rename(as_groups), components.rename(as_groups), raw=raw
    ).rename(back)
    provisional = provisional.drop("rank", "tier").with_columns(
        pl.Series("unranked_reason_vi", [r or t("unranked_same") for r in own])
    )
    st.caption(t("city_provisional_scores"))
    tables.show(
        provisional.drop("ward_code"),
        key="city_unranked_table",
        file_name=f"chua-xep-hang-phuong-{evaluation}.csv",
        pinned=("ward_name",),
        download=provisional.with_columns(pl.Series("unranked_reason_vi", unranked["unranked_reason_vi"])),
    )

st.subheader(t("why_rank"))
names = dict(zip(league["ward_code"].to_list(), league["ward_name"].to_list(), strict=True))
ward = url_choice(t("city_pick_ward"), names, "ward", format_func=names.get, key="city_why_ward")
row = league.filter(pl.col("ward_code") == ward).row(0, named=True)
mine = components.filter(pl.col("ward_code") == ward)
why_rank(row, mine, ranked.height, key="city_why_sentences", peers="ward")
st.caption(t("city_scoring_rule"))
tables.show(
    mine.select(
        pl.col("indicator_name_vi").alias("component"),
        pl.col("raw_value").alias("city_raw_value"),
        "target",
        pl.col("best_value").alias("city_best_value"),
        pl.col("worst_value").alias("city_worst_value"),
        "weight",
        pl.col("component_score").alias("score"),
        pl.col("status_vi").alias("component_status_vi"),
    ),
    key="city_why_components",
    file_name=f"diem-thanh-phan-{ward}-{evaluation}.csv",
)
st.page_link(
    "pages/ward.py",
    label=t("city_open_ward"),
    icon=":material/location_city:",
    query_params={"ward": ward, "period": period["period_key"]},
)
