"""The few words Streamlit draws itself, in the app's language, and its menus out of the way.

Streamlit 1.67 offers no option for the file uploader's own text ("Upload", "Drag and drop…",
"50MB per file • CSV…"): a style sheet hides those words (display: none, so they are not read out
either) and puts the app's own in their place. Streamlit's ⋮ menu (Print, Settings, About, in
English) is hidden too; `client.toolbarMode = "viewer"` already removes Deploy and the developer items.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.i18n import t

_CSS = """
<style>
[data-testid="stMainMenu"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{
    content: {button};
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
    content: {instructions};
    font-size: 0.875rem;
    opacity: 0.7;
}}
</style>
"""


def apply(max_upload_mb: int) -> None:
    """The style sheet of every page (drawn once per run, takes no room)."""
    instructions = f"{t('uploader_drop')} · {t('uploader_limit', mb=max_upload_mb)}"
    st.html(
        _CSS.format(
            button=json.dumps(t("uploader_button"), ensure_ascii=False),
            instructions=json.dumps(instructions, ensure_ascii=False),
        )
    )
