"""Every label of the project in one table: codes as people read them (feeds, columns, enumerations,
roles, upload statuses) and the words of the reports and the command line, Vietnamese first.

Pages, reports and the command line all read from here; the pages' own prose (buttons, help texts) is
in dashboard/i18n.py. Feeds, columns and enumerations are labelled where they are declared (the feed
contracts); everything else is in kernel/labels.toml.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import polars as pl

from kernel import contracts as c  # the feed declarations


def _table() -> dict:
    with (Path(__file__).with_name("labels.toml")).open("rb") as f:
        return tomllib.load(f)


_LABELS = _table()
ROLES: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LABELS["roles"].items()}
CITY_ROLES: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LABELS["city_roles"].items()}
UPLOAD_STATUS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LABELS["upload_status"].items()}
REPORT_LABELS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LABELS["report"].items()}
ONEPAGE_LABELS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LABELS["onepage"].items()}
TIERS_EN: dict[str, str] = _LABELS["tiers_en"]
REASONS_EN: dict[str, str] = _LABELS["reasons_en"]


def pick(pair: tuple[str, str], lang: str = "vi") -> str:
    """The Vietnamese or the English of a (vi, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str = "vi", **values) -> str:
    """A report label in the language asked for (Vietnamese when unknown), with values filled in."""
    text = pick(REPORT_LABELS[key], lang)
    return text.format(**values) if values else text


def onepage_label(key: str, lang: str = "vi", **values) -> str:
    """A label of the one-page scorecard: its own words first, then the reports'."""
    if key not in ONEPAGE_LABELS:
        return label(key, lang, **values)
    text = pick(ONEPAGE_LABELS[key], lang)
    return text.format(**values) if values else text


def feed_labels(lang: str = "vi") -> dict[str, str]:
    return {name: pick((ct.label_vi, ct.label_en), lang) for name, ct in c.ALL_CONTRACTS.items()}


def column_labels(lang: str = "vi") -> dict[str, str]:
    """Every column of every file contract by its label (the first contract that has it wins)."""
    labels: dict[str, str] = {}
    for contract in c.ALL_CONTRACTS.values():
        for col in contract.columns:
            labels.setdefault(col.name, pick((col.label_vi, col.label_en), lang))
    return labels


def choice_labels(column: str, lang: str = "vi") -> dict[str, str]:
    """The labels of an enumerated column's codes (e.g. action: fine → Xử phạt), {} if it has none."""
    for contract in c.ALL_CONTRACTS.values():
        if column in contract.column_names:
            choices = contract.column(column).choices or ()
            return {ch.code: pick((ch.label_vi, ch.label_en), lang) for ch in choices}
    return {}


def _value_maps(lang: str) -> dict[str, dict[str, str]]:
    columns = column_labels(lang)
    return {
        "feed": feed_labels(lang),
        "kind": feed_labels(lang),
        "status": {code: pick(pair, lang) for code, pair in UPLOAD_STATUS.items()},
        "role": {code: pick(pair, lang) for code, pair in ROLES.items()},
        "column": columns,
        "column_name": columns,
    }


def decode(frame: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The frame with its code columns (feed, status, role, a file's column names, enum values) shown
    by their labels; unknown values stay as they are."""
    maps = _value_maps(lang)
    exprs = []
    for name, dtype in frame.schema.items():
        mapping = {**choice_labels(name, lang), **maps.get(name, {})}
        if mapping and dtype == pl.String:
            exprs.append(pl.col(name).replace(mapping))
    frame = frame.with_columns(exprs) if exprs else frame
    # A rejected row's suggested value: a listed value by its label, as the clerk would write it.
    column = next((n for n in ("column_name", "column") if n in frame.columns), None)
    if column and "suggestion" in frame.columns and frame["suggestion"].dtype == pl.String:
        codes = {
            ch.code: pick((ch.label_vi, ch.label_en), lang)
            for contract in c.ALL_CONTRACTS.values()
            for col in contract.columns
            for ch in col.choices
        }
        frame = frame.with_columns(pl.col("suggestion").replace(codes))
    return frame
