"""The city's view: sign-in (city accounts only), language, the period control and the city's pages."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `streamlit run` from anywhere

from dashboard import auth, runlog, state, style
from dashboard.city import access, data
from dashboard.i18n import t
from warehouse.events import log_error
from warehouse.store import default_home

RUN = runlog.start()
st.set_page_config(page_title="Đô thị Xanh - Thành phố Hải Phòng", page_icon="🏙️", layout="wide")
state.language_picker()
style.apply(50)  # Streamlit's own words in the app's language (no uploader here)
st.sidebar.markdown(f"**{t('city_title')}**")
st.sidebar.caption(t("campaign"))

PAGES_DIR = Path(__file__).resolve().parent / "pages"
PAGES = {
    "league": st.Page(PAGES_DIR / "league.py", title=t("city_page_league"), icon=":material/emoji_events:", url_path="xep-hang-phuong"),
    "indicator": st.Page(PAGES_DIR / "indicator.py", title=t("city_page_indicator"), icon=":material/leaderboard:", url_path="mot-chi-tieu"),
    "ward": st.Page(PAGES_DIR / "ward.py", title=t("city_page_ward"), icon=":material/location_city:", url_path="phuong"),
}  # fmt: skip

user = auth.current_user()
with st.sidebar:
    auth.cookie_script()
if user is None:
    login = st.Page(auth.login_page, title=t("login"), url_path="dang-nhap", default=True)
    requested = st.navigation([login, *PAGES.values()], position="hidden")
    for key, known in PAGES.items():
        if requested.url_path == known.url_path:
            st.session_state["after_login"] = (key, st.query_params.to_dict())
    auth.login_page()
    RUN.finish("/dang-nhap")
    st.stop()

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
page = st.navigation(list(PAGES.values()))
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
try:
    with runlog.profiled(page.url_path):
        page.run()
except Exception as exc:
    reference = secrets.token_hex(3).upper()
    log_error(default_home(), f"city:/{page.url_path}", exc, account=user.username, ref=reference)
    st.error(t("unexpected_error", ref=reference), icon=":material/error:")
finally:
    RUN.finish("/" + page.url_path)
