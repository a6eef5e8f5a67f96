"""Dashboard entry point: page setup, language, period picker and navigation. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import state
from dashboard.i18n import t

st.set_page_config(page_title="Đô thị Xanh - Lê Chân", page_icon=":material/park:", layout="wide")
state.language_picker()
st.sidebar.markdown(f"**{t('ward')}**")
st.sidebar.caption(t("campaign"))

VIEWS = Path(__file__).resolve().parent / "views"
pages = [
    st.Page(
        VIEWS / "overview.py",
        title=t("page_overview"),
        icon=":material/dashboard:",
        url_path="tong-quan",
        default=True,
    ),
    st.Page(
        VIEWS / "group.py", title=t("page_group"), icon=":material/holiday_village:", url_path="to-dan-pho"
    ),
    st.Page(
        VIEWS / "evaluations.py",
        title=t("page_evaluations"),
        icon=":material/emoji_events:",
        url_path="danh-gia",
    ),
    st.Page(
        VIEWS / "completeness.py",
        title=t("page_completeness"),
        icon=":material/fact_check:",
        url_path="bao-cao",
    ),
    st.Page(
        VIEWS / "trace.py", title=t("page_trace"), icon=":material/manage_search:", url_path="truy-nguyen"
    ),
]
page = st.navigation(pages)
periods = state.require_marts()
if periods is None:
    st.stop()
st.session_state["period_row"] = state.period_picker(periods)
page.run()
