"""Every label the dashboard shows, Vietnamese first, English second. Pages never hard-code text."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import polars as pl
import streamlit as st

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def _load() -> dict[str, dict[str, tuple[str, str]]]:
    with (Path(__file__).parent / "i18n.toml").open("rb") as handle:
        tables = tomllib.load(handle)
    return {name: {key: tuple(pair) for key, pair in table.items()} for name, table in tables.items()}


_TABLES = _load()
TEXT: dict[str, tuple[str, str]] = {**_TABLES["text"], **_TABLES["text_pages"]}
# Short column headings of the scorecard; an indicator without one shows its full name.
SHORT_NAMES: dict[str, tuple[str, str]] = _TABLES["short_names"]


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str, **values) -> str:
    """The label for `key` in the current language, with {placeholders} filled."""
    vi, en = TEXT[key]
    text = en if lang() == "en" else vi
    return text.format(**values) if values else text


# Words the marts write in Vietnamese, and their English (the English mode shows these instead).
_STATUS_EN = [
    (re.compile(r"tạm tính \((\d+)/(\d+) báo cáo\)"), r"provisional (\1/\2 reports)"),
    (re.compile(r"Đủ báo cáo \((\d+)/(\d+)\)"), r"all reports in (\1/\2)"),
    (re.compile(r"Chưa có số liệu"), "no data yet"),
]
STATES_EN = {
    "not_received": "Not received",
    "received": "Received",
    "submitted": "Submitted for approval",
    "approved": "Approved",
    "returned": "Returned",
    "locked": "Locked",
}
COMPONENT_STATUS_EN = {
    "scored": "Scored",
    "insufficient_data": "Not enough data",
    "no_target": "No target set",
}
# The default tiers of the settings file (a ward's own tier names stay as the ward wrote them).
TIERS_EN = {
    "Xuất sắc": "Excellent",
    "Tốt": "Good",
    "Khá": "Fair",
    "Cần cố gắng": "Needs more effort",
    "Chưa đủ dữ liệu": "Not enough data",
    "Chưa xếp hạng": "Not ranked",
}


def data_status_text(text: str | None) -> str:
    """«tạm tính (3/5 báo cáo)» (marts.indicator_values.data_status_vi) in the current language."""
    if not text or lang() != "en":
        return text or ""
    for pattern, english in _STATUS_EN:
        text = pattern.sub(english, text)
    return text


def data_status_column(column: str = "data_status_vi") -> pl.Expr:
    """The same, for a column of a frame."""
    expr = pl.col(column)
    if lang() == "en":
        for pattern, english in _STATUS_EN:
            expr = expr.str.replace_all(pattern.pattern, english.replace("\\", "$"))
    return expr


def state_text(code: str | None, vietnamese: str | None) -> str:
    """An approval state (marts.approval_states.state / state_vi) in the current language."""
    if lang() == "en" and code in STATES_EN:
        return STATES_EN[code]
    return vietnamese or ""


def tier_text(label: str | None) -> str:
    if lang() == "en" and label in TIERS_EN:
        return TIERS_EN[label]
    return label or ""


def pick(row: dict, field: str) -> str:
    """A data field in the current language: `name_vi`/`name_en` style columns, Vietnamese as fallback."""
    if lang() == "en" and row.get(f"{field}_en"):
        return row[f"{field}_en"]
    return row.get(f"{field}_vi") or row.get(field) or ""
