"""Login, session expiry and which pages each role may open."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from dashboard.i18n import lang, t
from warehouse.accounts import ROLES, AccountError, AccountLocked, Accounts, User
from warehouse.events import log_event
from warehouse.store import default_home

DASHBOARD = ("overview", "scorecard", "indicator", "group", "evaluations", "completeness", "trace")
ROLE_PAGES = {
    "leader": DASHBOARD,
    "analyst": (*DASHBOARD, "sql", "dictionary"),
    "unit": ("upload", "history", *DASHBOARD),
    "admin": (*DASHBOARD, "sql", "dictionary", "upload", "history", "admin"),
}


def session_minutes() -> int:
    """Idle minutes before a session expires (DOTHIXANH_SESSION_MINUTES, default 60)."""
    try:
        return max(1, int(os.environ.get("DOTHIXANH_SESSION_MINUTES", "60")))
    except ValueError:
        return 60


def accounts() -> Accounts:
    return Accounts(default_home())


def current_user() -> User | None:
    """The logged-in user, or None; an idle session past its time is ended with a message."""
    user = st.session_state.get("user")
    if user is None:
        return None
    now = dt.datetime.now()
    if now > st.session_state.get("expires_at", now):
        logout()
        st.session_state["login_notice"] = t("session_expired")
        return None
    st.session_state["expires_at"] = now + dt.timedelta(minutes=session_minutes())
    return user


def logout() -> None:
    for key in ("user", "expires_at"):
        st.session_state.pop(key, None)


def allowed(user: User, page: str) -> bool:
    return page in ROLE_PAGES.get(user.role, ())


def require(page: str) -> User:
    """Stop the page unless the logged-in user's role may open it."""
    user = current_user()
    if user is None or not allowed(user, page):
        st.error(t("forbidden"))
        st.stop()
    return user


def login_page() -> None:
    """The login form (and, on the demo ward only, the demo accounts)."""
    from pipelines.demo import DEMO_PASSWORD, is_demo

    st.title(t("login_title"))
    st.caption(t("campaign"))
    if notice := st.session_state.pop("login_notice", None):
        st.warning(notice)
    with st.form("login", border=True):
        username = st.text_input(t("username"), key="login_username")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login"), type="primary")
    if submitted:
        name = (username or "").strip().lower()
        try:
            user = accounts().login(username, password)
        except AccountError as exc:
            status = "locked" if isinstance(exc, AccountLocked) else "failed"
            log_event(default_home(), "login", status=status, account=name, reason=str(exc))
            st.error(str(exc))
        else:
            log_event(default_home(), "login", status="ok", account=user.username, unit=user.unit_code)
            st.session_state["user"] = user
            st.session_state["expires_at"] = dt.datetime.now() + dt.timedelta(minutes=session_minutes())
            st.rerun()
    home = default_home()
    if is_demo(home):
        with st.container(border=True, key="demo_accounts"):
            st.markdown(f"**{t('demo_accounts')}**")
            st.caption(t("demo_password", password=DEMO_PASSWORD))
            rows = [
                {
                    t("username"): u["username"],
                    t("role"): ROLES[u["role"]][0 if lang() == "vi" else 1],
                    t("unit"): u["unit_code"] or "",
                }
                for u in accounts().list_users()
            ]
            st.dataframe(rows, hide_index=True, key="demo_accounts_table")


def sidebar(user: User) -> None:
    role = ROLES[user.role][0 if lang() == "vi" else 1]
    unit = f" · {user.unit_code}" if user.unit_code else ""
    st.sidebar.caption(f"{t('logged_in_as')} **{user.username}** ({role}{unit})")
    if st.sidebar.button(t("logout"), key="logout", icon=":material/logout:"):
        logout()
        st.rerun()
