"""What every page shares: language, the chosen period (also in the URL), the ward's data being there."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.i18n import LANGUAGES, lang, t
from kernel import formats as fmt

PERIOD_TYPES = ("evaluation", "year", "quarter", "month")
DEFAULT_PERIOD = "conference-2026"


def language_picker() -> None:
    wanted = st.query_params.get("lang")
    if wanted in LANGUAGES and "lang" not in st.session_state:
        st.session_state["lang"] = wanted
    st.session_state.setdefault("lang", "vi")
    st.sidebar.radio(
        "Ngôn ngữ / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        horizontal=True,
    )


def keep_in_address(param: str, value: str) -> None:
    """The choice into the address (?param=value), so a shared link opens the same view; written only
    when it changes: each write is a message the browser acts on, at every run of every page."""
    if st.query_params.get(param) != value:
        st.query_params[param] = value


def period_picker(periods: pl.DataFrame) -> dict:
    """Sidebar picker (period type, then period); the choice is kept in the URL as ?period=…"""
    label_field = "label_en" if lang() == "en" else "label_vi"
    keys = periods["period_key"].to_list()
    # ?evaluation=… (links from before the one period control) names an evaluation period.
    wanted = (
        st.query_params.get("period")
        or st.query_params.get("evaluation")
        or st.session_state.get("period_key")
    )
    if wanted not in keys:
        current = periods.filter(pl.col("status") == "in_progress")
        wanted = (
            DEFAULT_PERIOD
            if DEFAULT_PERIOD in keys
            else (current["period_key"][0] if current.height else keys[-1])
        )
    wanted_type = periods.filter(pl.col("period_key") == wanted)["period_type"][0]
    if st.session_state.get("period_key") != wanted or "period_type" not in st.session_state:
        # The address names another period (a link, Back/Forward): the pickers follow it. So do they
        # after a page without them (upload, SQL…): Streamlit dropped their state when they were not drawn.
        st.session_state["period_type"] = wanted_type
        st.session_state["period_select"] = wanted
    types = [p for p in PERIOD_TYPES if p in set(periods["period_type"])]
    period_type = st.sidebar.selectbox(
        t("period_type"), types, format_func={p: t(f"period_{p}") for p in types}.get, key="period_type"
    )
    of_type = periods.filter(pl.col("period_type") == period_type)
    options = of_type["period_key"].to_list()
    labels = dict(zip(options, of_type[label_field].to_list(), strict=True))
    if st.session_state.get("period_select") not in options:
        st.session_state["period_select"] = wanted if wanted in options else options[-1]
    chosen = st.sidebar.selectbox(t("period"), options, format_func=labels.get, key="period_select")
    st.session_state["period_key"] = chosen
    keep_in_address("period", chosen)
    row = of_type.filter(pl.col("period_key") == chosen).row(0, named=True)
    st.sidebar.caption(t("counted", start=fmt.date(row["data_start"]), end=fmt.date(row["data_end"])))
    return row


def require_marts() -> pl.DataFrame | None:
    """The periods table, or a plain message and None when there is no warehouse or no marts yet."""
    if not data.warehouse().exists():
        st.warning(t("no_warehouse"))
        return None
    try:
        periods = data.periods()
    except Exception:  # a warehouse from before the marts existed
        st.warning(t("no_marts"))
        return None
    if periods.is_empty():
        st.warning(t("no_marts"))
        return None
    return periods


def current_period() -> dict:
    return st.session_state["period_row"]
