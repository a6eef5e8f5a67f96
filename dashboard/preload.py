"""Streamlit's drawing code for the dashboard's elements, made ready while the login form is shown.

Streamlit's browser side loads the code of an element kind (a metric, a page link, a plotly chart, a
table) the first time a page holds one, and a page waits for it before it draws: on a fresh tab the
overview waited 1–2 s after signing in, first for the code of its metrics, links and chart (the chart's
alone is about 4 MB of JavaScript), then about half a second more, because React shows the waiting
placeholders for a minimum time once it has shown them.

So the login page holds one of each kind the first pages draw, out of sight and out of the screen
reader's reach (`.st-key-dtx_preload` in dashboard/style.py): by the time the user has typed the
password, each kind's code is loaded and ready, and signing in draws the overview at once. The kinds
only later pages use (the upload page's file picker) are fetched by a script the same way; their names
carry a hash of their contents and are found in the installed Streamlit's own static folder, so an
upgrade of Streamlit keeps this working (a name not found is left out).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

# Fetched by a script (no element of theirs on the login page): the upload page's, a checkbox's.
FETCHED = ("FileUploader", "Checkbox")
_STATIC = Path(st.__file__).resolve().parent / "static"


@functools.cache
def chunk_urls(kinds: tuple[str, ...] = FETCHED) -> tuple[str, ...]:
    """The URL of each kind's code on this server (`/static/js/FileUploader.<hash>.js`)."""
    folder = _STATIC / "static" / "js"
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    urls = []
    for kind in kinds:
        named = re.compile(rf"^{re.escape(kind)}\.[A-Za-z0-9_-]+\.js$")
        found = sorted(p.name for p in folder.glob(f"{kind}.*.js") if named.match(p.name))
        if len(found) == 1:
            urls.append(f"{prefix}/static/js/{found[0]}")
    return tuple(urls)


def script() -> str:
    """Import each file (fetched side by side); a failure only means that kind loads when first needed."""
    return (
        f"<script>for (const url of {json.dumps(list(chunk_urls()))}) import(url).catch(() => {{}});</script>"
    )


@functools.cache
def _figure() -> go.Figure:
    """The smallest plotly figure: no template (a template alone is about 10 KB), no data."""
    return go.Figure(layout={"template": None, "height": 40, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}})


def while_signing_in(page) -> None:
    """One hidden element of each kind the first pages draw (a metric, a card's HTML, a page link to
    `page`, a table, a download, a chart, a button and a list), and the script for the others."""
    with st.container(key="dtx_preload"):
        st.metric("·", "0", label_visibility="collapsed")
        st.markdown('<span aria-hidden="true"></span>', unsafe_allow_html=True)
        st.page_link(page, label="·")
        st.dataframe({"·": [0]}, hide_index=True, key="dtx_preload_table")
        st.download_button("·", data=b"", file_name="dtx.txt", key="dtx_preload_download", on_click="ignore")
        st.plotly_chart(
            _figure(), key="dtx_preload_chart", config={"displayModeBar": False, "staticPlot": True}
        )
        st.button("·", key="dtx_preload_button", disabled=True)
        st.selectbox("·", [""], key="dtx_preload_select", label_visibility="collapsed", disabled=True)
        if chunk_urls():
            st.html(script(), unsafe_allow_javascript=True)
