"""The city's view: sign-in (city accounts only), language, the period control and the city's pages."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `streamlit run` from anywhere

from dashboard import auth, entry, runlog, state
from dashboard.city import access, data
from dashboard.i18n import t

RUN = runlog.start()
entry.frame("Đô thị Xanh - Thành phố Hải Phòng", "🏙️", 50, "city_title")  # no uploader here

PAGES_DIR = Path(__file__).resolve().parent / "pages"
PAGES = {
    "league": entry.Page(PAGES_DIR / "league.py", title=t("city_page_league"), icon=":material/emoji_events:", url_path="xep-hang-phuong"),
    "indicator": entry.Page(PAGES_DIR / "indicator.py", title=t("city_page_indicator"), icon=":material/leaderboard:", url_path="mot-chi-tieu"),
    "ward": entry.Page(PAGES_DIR / "ward.py", title=t("city_page_ward"), icon=":material/location_city:", url_path="phuong"),
}  # fmt: skip

user = entry.signed_in(PAGES, RUN)  # nobody signed in: the login form, and the script stops

role = t("city_role") if user.role == access.CITY_ROLE else user.role_label
st.sidebar.caption(f"{t('logged_in_as')} **{user.username}** ({role})")
if st.sidebar.button(t("logout"), key="logout", icon=":material/logout:"):
    auth.logout()
    st.session_state["login_notice"] = t("signed_out")
    st.rerun()
if user.role != access.CITY_ROLE:  # a ward's account (or any other) opens no city page
    st.navigation(
        [st.Page(access.require, title=t("city_only"), url_path="khong-duoc-phep")], position="hidden"
    )
    access.require()
if after := st.session_state.pop("after_login", None):
    key, params = after
    st.switch_page(PAGES[key], query_params=params)
page, path = entry.navigation(list(PAGES.values()))
try:
    data.view().check()
    periods = data.periods()
except data.CityViewMissing as exc:
    st.warning(t("city_missing", detail=str(exc)))
    st.stop()
if periods.is_empty():
    st.warning(t("no_marts"))
    st.stop()
st.session_state["period_row"] = state.period_picker(periods)
entry.run_page(page, path, RUN, f"city:/{path}", account=user.username)
