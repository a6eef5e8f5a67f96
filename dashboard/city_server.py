"""The city's view as served (`dothixanh city serve`): dashboard/city/app.py plus the session cookie's
routes. It sits beside dashboard/server.py so that Streamlit reads the same .streamlit/config.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import heap
from dashboard.session_routes import ROUTES

APP = Path(__file__).resolve().parent / "city" / "app.py"

app = st.App(APP, routes=ROUTES, lifespan=heap.lifespan)  # the modules loaded and frozen at start
