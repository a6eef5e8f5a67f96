"""What the ward's app (dashboard/app.py) and the city's (dashboard/city/app.py) both do around their pages:
the sign-in gate and running the chosen page with a Vietnamese message for an unexpected error."""

from __future__ import annotations

import secrets

import streamlit as st

from dashboard import auth, preload, runlog, state, style
from dashboard.i18n import t
from warehouse.accounts import User
from warehouse.events import log_error
from warehouse.store import default_home


class Page(st.Page):
    """A page of the app that can be made again as the default page (`as_default`): the run that signs
    the user in draws the first page itself, which Streamlit does only for its default page."""

    def __init__(self, source, **options) -> None:
        super().__init__(source, **options)
        self._source, self._options = source, options

    def as_default(self) -> st.Page:
        """The same page (same address, title, icon) as the default one."""
        return st.Page(self._source, **{**self._options, "default": True})


def frame(page_title: str, page_icon: str, upload_mb: int, heading: str) -> None:
    """The page's title and icon, the language picker, Streamlit's own words in the app's language (an
    uploader's limit `upload_mb`), and the sidebar's heading (the i18n key `heading`) over the campaign."""
    st.set_page_config(page_title=page_title, page_icon=page_icon, layout="wide")
    state.language_picker()
    style.apply(upload_mb)
    st.sidebar.markdown(f"**{t(heading)}**")
    st.sidebar.caption(t("campaign"))


def signed_in(pages: dict, run: runlog.Run) -> User:
    """The signed-in user. Nobody signed in: every page is known (so a shared link finds its page), none
    is run: the login form is shown, the page and its parameters are remembered for after the login
    (`st.session_state["after_login"]`), and the script stops. The run that sends the right password
    goes on to the user's first page (auth.sent_login): one run from the click to the dashboard."""
    user = auth.current_user() or auth.sent_login()
    with st.sidebar:
        auth.cookie_script()  # the session cookie follows signing in, activity and signing out
    if user is None:
        login = st.Page(auth.login_page, title=t("login"), url_path="dang-nhap", default=True)
        requested = st.navigation([login, *pages.values()], position="hidden")
        for key, known in pages.items():
            if requested.url_path == known.url_path:
                st.session_state["after_login"] = (key, st.query_params.to_dict())
        auth.login_page()
        preload.while_signing_in(
            next(iter(pages.values()))
        )  # the first page's drawing code, while the user types
        run.finish("/dang-nhap")
        st.stop()
    return user


def run_page(page, path: str, run: runlog.Run, where: str, **context) -> None:
    """Run the chosen page. An unexpected error: the user reads a Vietnamese message with a reference
    the error log keeps with the traceback and `context` (Streamlit's own box would be in English).
    st.stop/st.rerun are not Exceptions: they pass."""
    try:
        with runlog.profiled(path):
            page.run()
    except Exception as exc:
        reference = secrets.token_hex(3).upper()
        log_error(default_home(), where, exc, **context, ref=reference)
        st.error(t("unexpected_error", ref=reference), icon=":material/error:")
    finally:
        run.finish("/" + path)


def navigation(pages: list[Page]) -> tuple:
    """(the page to run, its own address) of `st.navigation` of `pages` behind a hidden landing page at
    «/» that opens the first of them (the landing page's address is "").

    Streamlit serves its default page only at «/»: with the first page as default, its own address
    («/tong-quan», «/xep-hang-phuong») answered «Page not found» (in English) after a reload or in a
    new tab. The landing page keeps the address's parameters.

    In the run that signs the user in, the first page is the default itself: it is drawn in that run
    (the landing page would cost a second run). The page asked for is the login form's, which the
    pages do not hold, so Streamlit opens the default; the next run finds the page by its own address
    (a page's identity is its address, so the copy below is the same page)."""
    if st.session_state.pop("signed_in_now", False):
        first = pages[0].as_default()
        chosen = st.navigation([first, *pages[1:]])
        return chosen, pages[0].url_path if chosen is first else chosen.url_path  # a default's is ""

    def landing() -> None:
        st.switch_page(pages[0], query_params=st.query_params.to_dict())

    first = st.Page(landing, title=pages[0].title, url_path="bat-dau", default=True, visibility="hidden")
    chosen = st.navigation([first, *pages])
    return chosen, "" if chosen is first else chosen.url_path
