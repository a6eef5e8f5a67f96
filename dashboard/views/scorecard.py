"""Scorecard: every residential group × every headline indicator for the chosen period, coloured against the target."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, data, grids
from dashboard.i18n import lang, pick, t
from dashboard.state import current_period

auth.require("scorecard")
period = current_period()
st.title(t("page_scorecard"))
st.caption(f"{t('ward')} · {pick(period, 'label')}")
st.caption(t("scorecard_intro"))
grids.legend()

rows = data.scorecard(period["period_key"])
values, statuses, columns, full_names = grids.scorecard_frames(rows)
ward = values.filter(pl.col(grids.KEY_COLUMN) == t("scorecard_ward"))
groups = values.filter(pl.col(grids.KEY_COLUMN) != t("scorecard_ward"))
codes = rows.filter(pl.col("scope") == "group").unique("group_code", maintain_order=True)["group_code"]

st.subheader(t("scorecard_ward"))
ward_event = grids.scorecard_table(ward, statuses.head(ward.height), key="scorecard_ward", help=full_names)
st.subheader(t("scorecard_groups"))
group_event = grids.scorecard_table(
    groups, statuses.slice(ward.height), key="scorecard_groups", help=full_names
)

# A click on a cell opens that group's (or the ward's) records for that indicator.
for event, scope_codes in ((ward_event, [None]), (group_event, codes.to_list())):
    cells = event.selection.cells if event else []
    if cells:
        row, column = cells[0]
        if column in columns and row < len(scope_codes):
            params = {"indicator": columns[column], "period": period["period_key"]}
            if scope_codes[row]:
                params["group"] = scope_codes[row]
            st.switch_page("views/trace.py", query_params=params)

if period["period_type"] == "evaluation":
    st.download_button(
        t("download_scorecard_pdf"),
        data=lambda: data.scorecard_pdf(period["period_key"], lang()),
        file_name=f"bang-diem-{period['period_key']}.pdf",
        mime="application/pdf",
        key="scorecard_pdf",
        icon=":material/picture_as_pdf:",
    )
