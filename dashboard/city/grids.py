"""The one-indicator table of the city pages: the ward dashboard's coloured table (dashboard/grids.py),
headed «Phường» (or «Tổ dân phố») instead of the ward's «Tổ dân phố»."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import grids, standing
from dashboard.i18n import t


def ranked_table(
    frame: pl.DataFrame, *, key: str, header: str, names_only: bool = False, kind: str | None = None
):
    """Rows of one indicator worst first, coloured against the target; the row-click event. With
    `names_only` the key column holds the name alone (a ward's code is no help on a phone)."""
    table, statuses = grids.indicator_rows(frame, kind)  # a count's target: a whole number
    if names_only:
        names = standing.worst_first(standing.with_status(frame))["group_name"]
        table = table.with_columns(names.alias(grids.KEY_COLUMN))
    numeric = [c for c in table.columns if c not in (grids.KEY_COLUMN, t("standing"), t("position"))]
    config = {
        t("position"): st.column_config.NumberColumn(t("position"), width=40, pinned=True),
        grids.KEY_COLUMN: st.column_config.TextColumn(header, pinned=True, width=150),
        t("value"): st.column_config.Column(t("value"), width=70),
        t("standing"): st.column_config.TextColumn(t("standing"), width=80),
    }
    return grids._selectable(table, statuses, numeric, config, key=key, mode="single-row")
