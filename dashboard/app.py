"""Dashboard entry point: login, page setup, language, period picker and the pages of the user's role."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import auth, data, entry, runlog, state
from dashboard.i18n import t
from services import ingest

RUN = runlog.start()  # this run's duration goes to DOTHIXANH_RUN_LOG when set
ingest.sandbox()  # the warm workers that read uploads start with the server, not with the first file

# The icon is an emoji, drawn by the browser: a material icon would be fetched from the internet.
entry.frame("Đô thị Xanh - Lê Chân", "🌳", data.max_upload_mb(), "ward")

VIEWS = Path(__file__).resolve().parent / "views"
PAGES = {
    "overview": entry.Page(VIEWS / "overview.py", title=t("page_overview"), icon=":material/dashboard:", url_path="tong-quan"),
    "scorecard": entry.Page(VIEWS / "scorecard.py", title=t("page_scorecard"), icon=":material/grid_on:", url_path="bang-diem"),
    "indicator": entry.Page(VIEWS / "indicator.py", title=t("page_indicator"), icon=":material/leaderboard:", url_path="chi-tieu"),
    "group": entry.Page(VIEWS / "group.py", title=t("page_group"), icon=":material/holiday_village:", url_path="to-dan-pho"),
    "evaluations": entry.Page(VIEWS / "evaluations.py", title=t("page_evaluations"), icon=":material/emoji_events:", url_path="danh-gia"),
    "completeness": entry.Page(VIEWS / "completeness.py", title=t("page_completeness"), icon=":material/fact_check:", url_path="bao-cao"),
    "trace": entry.Page(VIEWS / "trace.py", title=t("page_trace"), icon=":material/manage_search:", url_path="truy-nguyen"),
    "upload": entry.Page(VIEWS / "upload.py", title=t("page_upload"), icon=":material/upload_file:", url_path="gui-so-lieu"),
    "history": entry.Page(VIEWS / "history.py", title=t("page_history"), icon=":material/history:", url_path="lich-su"),
    "sql": entry.Page(VIEWS / "sql.py", title=t("page_sql"), icon=":material/terminal:", url_path="sql"),
    "dictionary": entry.Page(VIEWS / "dictionary.py", title=t("page_dictionary"), icon=":material/menu_book:", url_path="tu-dien"),
    "admin": entry.Page(VIEWS / "admin.py", title=t("page_admin"), icon=":material/admin_panel_settings:", url_path="quan-tri"),
}  # fmt: skip

user = entry.signed_in(PAGES, RUN)  # nobody signed in: the login form, and the script stops
auth.sidebar(user)

mine = [key for key in auth.ROLE_PAGES[user.role] if (VIEWS / f"{key}.py").exists()]
if user.role != "unit":  # the dashboard first; a clerk lands on the upload page
    mine.sort(key=lambda key: key not in auth.DASHBOARD)
if after := st.session_state.pop("after_login", None):
    key, params = after
    if key in mine:
        st.switch_page(PAGES[key], query_params=params)

page, path = entry.navigation([PAGES[key] for key in mine])
if path in {PAGES[key].url_path for key in auth.DASHBOARD}:
    periods = state.require_marts()
    if periods is None:
        st.stop()
    st.session_state["period_row"] = state.period_picker(periods)
entry.run_page(
    page, path, RUN, f"page:/{path}", account=user.username, unit=user.unit_code, page_title=page.title
)
