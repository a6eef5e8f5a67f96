"""One residential group: its indicators against the median group and the target, trend, rank, records."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, cards, charts, data, standing, tables
from dashboard.i18n import TIERS_EN, lang, pick, t
from dashboard.state import current_period
from dashboard.widgets import unit_choice
from kernel import contracts as c
from kernel import formats as fmt

auth.require("group")
period = current_period()
groups = data.groups()
info = unit_choice(
    groups,
    "group",
    t("pick_group"),
    key="group_code",
    unknown="unknown_group",
    shown=lambda code, name: f"{code} — {name}",
)
group = info["group_code"]

st.title(f"{info['group_name']} ({group})")
# Households and population as the period's figures use them: the list version valid on its last day.
used = data.period_reference(period["period_key"], group) or {}
st.caption(
    f"{pick(period, 'label')} · {t('households')}: {fmt.number(used.get('households', info['households']), lang=lang())} · "
    f"{t('population')}: {fmt.number(used.get('population', info['population']), lang=lang())}"
)
if used:
    st.caption(t("reference_used", version=used["version"], valid_from=fmt.date(used["valid_from"])))

values = data.group_indicators(period["period_key"], group)
headline = values.filter(pl.col("category").is_null())


def _beside(row: dict) -> None:
    st.caption(
        f"{t('group_median')}: {fmt.smart(row['group_median'], lang())} · "
        f"{t('ward_value')}: {fmt.smart(row['ward_value'], lang())}"
    )


# The overview's compact cards (two side by side on a phone), coloured by the same standing.
cards.grid(
    list(standing.with_status(headline).iter_rows(named=True)),
    key="group_card",
    period_key=period["period_key"],
    extra=_beside,
    group=group,
)

st.subheader(t("group_vs_ward"))
labels = [pick(r, "indicator_name") for r in values.iter_rows(named=True)]
st.plotly_chart(
    charts.against_target(values, names=labels, lang=lang(), title=t("gap_chart_title")),
    key="group_against_target",
    config=charts.CONFIG,
)
st.caption(t("gap_chart_note"))
tables.show(
    values.select(
        pl.col("name_en" if lang() == "en" else "indicator_name_vi").alias("pick_indicator"),
        pl.col("value"),
        pl.col("group_median"),
        pl.col("ward_value"),
        pl.col("target"),
        pl.col("gap_to_target").alias("gap"),
        tables.status_expr(),
    ),
    key="group_indicators",
    file_name=f"{group}-chi-tieu.csv",
)

st.subheader(t("trends_heading"))
indicator_names = dict(zip(values["indicator_id"].to_list(), labels, strict=True))
chosen = st.selectbox(
    t("pick_indicator"), list(indicator_names), format_func=indicator_names.get, key="group_indicator"
)
trend = data.indicator_trend(chosen, group)
unit = pick(values.filter(pl.col("indicator_id") == chosen).row(0, named=True), "unit")
cards.trend_chart(trend, unit=unit, key="group_trend")

st.subheader(t("rank_history"))
history = data.rank_history(group)
shown = history.with_columns(
    pl.col("kind").replace_strict({"live": t("live"), "frozen": t("frozen")}, return_dtype=pl.String),
    (
        pl.col("window_start").dt.strftime("%d/%m/%Y") + " – " + pl.col("window_end").dt.strftime("%d/%m/%Y")
    ).alias("rank_history_window"),
    pl.col("frozen_at").dt.strftime("%d/%m/%Y %H:%M").fill_null(t("not_frozen")).alias("frozen_at"),
)
tables.show(
    shown.select(
        pl.col("label").alias("pick_evaluation"),
        "rank_history_window",
        pl.col("counted_to").alias("rank_history_counted"),
        pl.col("kind").alias("status"),
        "frozen_at",
        "rank",
        "score",
        pl.col("tier").replace(TIERS_EN) if lang() == "en" else "tier",
    ),
    key="group_rank_history",
)
live = history.filter(pl.col("kind") == "live")
if live.height > 1 and live["window_start"].n_unique() == 1 and live["counted_to"].n_unique() == 1:
    st.caption(t("rank_history_same", start=fmt.date(live["window_start"][0])))

st.subheader(t("recent_records"))
tabs = st.tabs([(ct.label_en if lang() == "en" else ct.label_vi) for ct in c.FEEDS.values()])
for tab, feed in zip(tabs, c.FEEDS, strict=True):
    with tab:
        recent = data.records(feed, group, period["data_start"], period["data_end"], limit=20)
        if recent.is_empty():
            st.caption(t("no_records"))
        else:
            tables.show(recent.drop("sha256"), key=f"group_recent_{feed}", file_name=f"{group}-{feed}.csv")
