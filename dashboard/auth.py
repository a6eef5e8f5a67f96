"""Login, session expiry and which pages each role may open."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from dashboard.i18n import lang, t
from warehouse.accounts import ROLES, AccountError, AccountLocked, Accounts, User
from warehouse.events import log_event
from warehouse.sessions import COOKIE, Sessions, idle_seconds
from warehouse.store import default_home

DASHBOARD = ("overview", "scorecard", "indicator", "group", "evaluations", "completeness", "trace")
ROLE_PAGES = {
    "leader": DASHBOARD,
    "analyst": (*DASHBOARD, "sql", "dictionary"),
    "unit": ("upload", "history", *DASHBOARD),
    "admin": (*DASHBOARD, "sql", "dictionary", "upload", "history", "admin"),
}


def session_seconds() -> int:
    """Idle seconds before a session expires (DOTHIXANH_SESSION_SECONDS for tests, else the minutes)."""
    return idle_seconds()


def accounts() -> Accounts:
    return Accounts(default_home())


def sessions() -> Sessions:
    return Sessions(default_home())


def current_user() -> User | None:
    """The signed-in user, or None. A session lives on the server (warehouse/sessions.py): this tab's,
    or the one the browser's cookie names after a reload or in a new tab. Signed out elsewhere or idle
    past its time, it ends here too, with a message."""
    user = st.session_state.get("user")
    session_id = st.session_state.get("session_id")
    if user is not None and session_id is None:  # signed in without the server's record (page tests)
        now = dt.datetime.now()
        if now > st.session_state.get("expires_at", now):
            return _ended(t("session_expired"))
        st.session_state["expires_at"] = now + dt.timedelta(seconds=session_seconds())
        return user
    if session_id is None:  # a reload or a new tab: the cookie, if the browser has a good one
        cookie = _cookie()
        if cookie is None or cookie == st.session_state.get("dead_cookie"):
            return None
        session_id = sessions().session_of_cookie(cookie)
        if session_id is None:
            return None
    username = sessions().touch(session_id, session_seconds())
    if username is None:
        idle = sessions().end_reason(session_id) == "idle"
        if user is None and st.session_state.get("session_id") is None:  # a stale cookie
            st.session_state["clear_cookie"] = True
            st.session_state["dead_cookie"] = _cookie()
            if idle:
                st.session_state["login_notice"] = t("session_expired")
            return None
        return _ended(t("session_expired") if idle else t("session_ended"))
    if user is None or user.username != username:
        user = accounts().get(username)
        if user is None:  # the account was removed meanwhile
            sessions().revoke(session_id)
            return _ended(t("session_ended"))
        st.session_state["user"] = user
        st.session_state["session_id"] = session_id
    return user


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser behind this run (page tests)
        return None


def _ended(notice: str) -> None:
    logout(revoke=False)
    st.session_state["login_notice"] = notice


def logout(revoke: bool = True) -> None:
    """End the session: on the server (every tab that holds it) and the browser's cookie."""
    session_id = st.session_state.get("session_id")
    if revoke and session_id:
        sessions().revoke(session_id)
    if session_id:
        st.session_state["clear_cookie"] = True
        # This tab's connection still carries the cookie it opened with: it no longer counts.
        st.session_state["dead_cookie"] = _cookie()
    for key in ("user", "expires_at", "session_id", "cookie_handoff"):
        st.session_state.pop(key, None)


def cookie_script() -> None:
    """The browser's side of the cookie: trade this tab's one-time token for the HttpOnly cookie, keep
    the cookie's expiry in step with activity, or drop it after signing out. The server's routes
    (dashboard/server.py) set and clear it; the page only asks."""
    action = None
    if st.session_state.pop("clear_cookie", None):
        action = ("/auth/signout", "")
    elif (handoff := st.session_state.get("cookie_handoff")) and sessions().handoff_pending(
        st.session_state.get("session_id")
    ):
        # Asked again on every run until the browser has traded it: a run cut short by the next one
        # (a page switch right after signing in) may never have reached the browser.
        action = ("/auth/session", handoff)
        st.session_state["cookie_refreshed"] = dt.datetime.now()
    elif handoff:
        st.session_state.pop("cookie_handoff", None)  # traded (or expired): the refreshes take over
    elif st.session_state.get("session_id"):
        last = st.session_state.get("cookie_refreshed")
        every = dt.timedelta(seconds=max(1, session_seconds() // 10))
        if last is None or dt.datetime.now() - last > every:
            action = ("/auth/refresh", "")
            st.session_state["cookie_refreshed"] = dt.datetime.now()
    if action is None:
        return
    route, token = action
    # The app is served at the site's root (a reverse proxy passes it whole): the routes are /auth/….
    st.html(
        f"<script>fetch({json.dumps(route)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(token)}}})</script>",
        unsafe_allow_javascript=True,
    )


def allowed(user: User, page: str) -> bool:
    return page in ROLE_PAGES.get(user.role, ())


def require(page: str) -> User:
    """Stop the page unless the logged-in user's role may open it."""
    user = current_user()
    if user is None or not allowed(user, page):
        st.error(t("forbidden"))
        st.stop()
    return user


def sent_login() -> User | None:
    """The user the login form just signed in, in the very run that sent it, or None.

    Read before anything is drawn (the form's values reach the run before its widgets do), so a
    right password draws the user's first page in this same run: no second run between the click and
    the dashboard. A wrong one is kept for the form to say (`login_refused`). The password is not kept:
    the form is not drawn again, so Streamlit drops its value with the run."""
    if not st.session_state.get("login_submit"):
        return None
    username = st.session_state.get("login_username") or ""
    password = st.session_state.get("login_password") or ""
    name = username.strip().lower()
    try:
        user = accounts().login(username, password)
    except AccountError as exc:
        status = "locked" if isinstance(exc, AccountLocked) else "failed"
        log_event(default_home(), "login", status=status, account=name, reason=str(exc))
        st.session_state["login_refused"] = str(exc)
        return None
    log_event(default_home(), "login", status="ok", account=user.username, unit=user.unit_code)
    session_id, handoff = sessions().create(user.username)
    st.session_state["user"] = user
    st.session_state["session_id"] = session_id
    st.session_state["cookie_handoff"] = handoff
    st.session_state["signed_in_now"] = True  # this run's navigation opens the first page at once
    return user


def login_page() -> None:
    """The login form (and, on the demo ward only, the demo accounts)."""
    from warehouse.accounts import DEMO_PASSWORD, is_demo

    st.title(t("login_title"))
    st.caption(t("campaign"))
    if notice := st.session_state.pop("login_notice", None):
        st.warning(notice)
    with st.form("login", border=True):
        st.text_input(t("username"), key="login_username")
        st.text_input(t("password"), type="password", key="login_password")
        st.form_submit_button(t("login"), type="primary", key="login_submit")
    if refused := st.session_state.pop("login_refused", None):
        st.error(refused)
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
        st.session_state["login_notice"] = t("signed_out")
        st.rerun()
