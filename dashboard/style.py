"""The few words Streamlit draws itself, in the app's language, and its menus out of the way.

Streamlit 1.67 offers no option for the file uploader's own text ("Upload", "Drag and drop…",
"50MB per file • CSV…"): a style sheet hides those words (display: none, so they are not read out
either) and puts the app's own in their place. Streamlit's ⋮ menu (Print, Settings, About, in
English) is hidden too; `client.toolbarMode = "viewer"` already removes Deploy and the developer items.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard import standing
from dashboard.i18n import t

_CSS = """
<style>
[data-testid="stMainMenu"] {{ display: none; }}
.dtx-card {{ font-size: 0.875rem; line-height: 1.35; }}
.dtx-card summary {{ list-style: none; cursor: pointer; font-size: 0.95rem; line-height: 1.3; }}
.dtx-card summary::-webkit-details-marker {{ display: none; }}
.dtx-card-help {{
    display: inline-block; margin-left: 0.3em; width: 1.05em; height: 1.05em; line-height: 1.05em;
    border: 1px solid #9e9e9e; border-radius: 50%; text-align: center; font-size: 0.72rem; color: #616161;
    vertical-align: 0.1em;
}}
.dtx-card details[open] summary {{ margin-bottom: 0.2rem; }}
.dtx-card-unit {{ margin-top: 0.45rem; color: #31333f; font-size: 0.8rem; }}
.dtx-card-value {{ font-size: 2rem; line-height: 1.2; }}
.dtx-card-change {{ font-size: 0.85rem; }}
.dtx-change-good {{ color: #177233; }}
.dtx-change-bad {{ color: #c62828; }}
.dtx-change-flat {{ color: #6b6b6b; }}
.dtx-card .dtx-spark {{ display: block; margin: 0.35rem 0; }}
.dtx-card-small {{ font-size: 0.8rem; }}
.dtx-card-muted {{ color: #6b6b6b; }}
.dtx-card-standing {{ margin-top: 0.2rem; }}
.dtx-badge {{ display: inline-block; padding: 0 0.35em; border-radius: 0.3rem; font-size: 0.8rem; }}
{badges}
.st-key-dtx_preload {{
    position: absolute; left: -10000px; top: 0; width: 360px; height: 1px; overflow: hidden;
    visibility: hidden; pointer-events: none;
}}
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
    badges = "\n".join(
        f".dtx-badge-{status} {{ background: {standing.COLOURS[status]}; color: {standing.TEXT_COLOURS[status]}; }}"
        for status in standing.STATUSES
    )
    st.html(
        _CSS.format(
            badges=badges,
            button=json.dumps(t("uploader_button"), ensure_ascii=False),
            instructions=json.dumps(instructions, ensure_ascii=False),
        )
    )
