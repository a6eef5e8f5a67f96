"""The dashboard as served: Streamlit's app (dashboard/app.py) plus the routes that set and clear the
session cookie, which a page cannot do (its script talks to the browser over a websocket).

`dothixanh serve` runs this file with `streamlit run`; Streamlit finds `app` and serves it with uvicorn,
reading dashboard/.streamlit/config.toml as for app.py. The cookie is signed, HttpOnly, SameSite=Strict
and expires with the idle timeout; what it is worth is decided on the server (warehouse/sessions.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import heap
from dashboard.session_routes import ROUTES
from services.ingest import sandbox as default_sandbox

APP = Path(__file__).resolve().parent / "app.py"

app = st.App(APP, routes=ROUTES, lifespan=heap.lifespan)  # the modules loaded and frozen at start

# The warm workers that read uploads start with the server (Great Expectations loads in them for a
# few seconds), not with the first person who opens a page.
default_sandbox()
