"""Reporting completeness: unit × feed × month, received on time, late, or missing."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import approval_panel, auth, cards, charts, data, tables
from dashboard.i18n import STATES_EN, lang, pick, t
from dashboard.state import current_period
from kernel import contracts as c

user = auth.require("completeness")
period = current_period()
st.title(t("page_completeness"))
st.caption(pick(period, "label"))

summary = data.reporting_summary(period["period_key"])
ward = summary.filter(pl.col("level") == "ward")
if ward.height:
    cards.reporting_metrics(ward.row(0, named=True))

st.subheader(t("grid_heading"))
grid = data.completeness_grid(period["period_start"], period["period_end"])
feed_labels = {name: (ct.label_en if lang() == "en" else ct.label_vi) for name, ct in c.FEEDS.items()}
status_labels = {s: t(f"status_{s}") for s in ("on_time", "late", "missing", "not_due")}
if grid.is_empty():
    st.info(t("no_records"))
else:
    st.plotly_chart(
        charts.completeness(grid, lang=lang(), status_labels=status_labels, feed_labels=feed_labels),
        key="completeness_grid",
        config=charts.CONFIG,
    )
    tables.show(
        grid.select(
            pl.col("unit_name").alias("unit"),
            pl.col("feed").replace_strict(feed_labels, default=pl.col("feed")).alias("feed"),
            (pl.col("month_key").str.slice(5, 2) + "/" + pl.col("month_key").str.slice(0, 4)).alias("month"),
            pl.col("status_vi").alias("status"),
            (
                pl.col("state").replace_strict(STATES_EN, default=pl.col("state_vi"), return_dtype=pl.String)
                if lang() == "en"
                else pl.col("state_vi")
            ).alias("approval_state"),
            "files",
            pl.col("first_received_at").alias("received_at"),
            pl.col("days_after_month_end").alias("days_late"),
        ),
        key="completeness_table",
        file_name="tinh-hinh-bao-cao.csv",
    )

approval_panel.panel(user, grid)
