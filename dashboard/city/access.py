"""Who may open the city's pages: a signed-in account of role `city`, checked on every page run."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.i18n import t
from warehouse.accounts import User

CITY_ROLE = "city"


def require() -> User:
    """Stop the page unless the signed-in user is a city account."""
    user = auth.current_user()
    if user is None or user.role != CITY_ROLE:
        st.error(t("city_only"), icon=":material/block:")
        st.stop()
    return user
