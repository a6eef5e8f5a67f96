"""Codes as people read them: feeds, upload statuses, roles, enum values and a file's column names by
their labels (Vietnamese, or English in English mode), for every table a page shows.

The labels come from where the codes are declared (pipelines/contracts.py for feeds, columns and
enumerations; warehouse/accounts.py for roles); only the upload statuses are named here.
"""

from __future__ import annotations

import polars as pl

from dashboard.i18n import lang
from pipelines import contracts as c
from warehouse.accounts import ROLES

UPLOAD_STATUS = {
    "loaded": ("Đã nạp", "Loaded"),
    "refused": ("Bị từ chối", "Refused"),
    "duplicate": ("Trùng tệp đã gửi", "Duplicate"),
}


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if lang() == "en" else pair[0]


def feed_labels() -> dict[str, str]:
    return {name: _pick((ct.label_vi, ct.label_en)) for name, ct in c.ALL_CONTRACTS.items()}


def column_labels() -> dict[str, str]:
    """Every column of every file contract by its label (the first contract that has it wins)."""
    labels: dict[str, str] = {}
    for contract in c.ALL_CONTRACTS.values():
        for col in contract.columns:
            labels.setdefault(col.name, _pick((col.label_vi, col.label_en)))
    return labels


def choice_labels(column: str) -> dict[str, str]:
    """The labels of an enumerated column's codes (e.g. action: fine → Xử phạt), {} if it has none."""
    for contract in c.ALL_CONTRACTS.values():
        if column in contract.column_names:
            choices = contract.column(column).choices or ()
            return {ch.code: _pick((ch.label_vi, ch.label_en)) for ch in choices}
    return {}


def _value_maps() -> dict[str, dict[str, str]]:
    columns = column_labels()
    return {
        "feed": feed_labels(),
        "kind": feed_labels(),
        "status": {code: _pick(pair) for code, pair in UPLOAD_STATUS.items()},
        "role": {code: _pick(pair) for code, pair in ROLES.items()},
        "column": columns,
        "column_name": columns,
    }


def decode(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its code columns (feed, status, role, a file's column names, enum values) shown
    by their labels; unknown values stay as they are."""
    maps = _value_maps()
    exprs = []
    for name, dtype in frame.schema.items():
        mapping = {**choice_labels(name), **maps.get(name, {})}
        if mapping and dtype == pl.String:
            exprs.append(pl.col(name).replace(mapping))
    frame = frame.with_columns(exprs) if exprs else frame
    # A rejected row's suggested value: a listed value by its label, as the clerk would write it.
    column = next((n for n in ("column_name", "column") if n in frame.columns), None)
    if column and "suggestion" in frame.columns and frame["suggestion"].dtype == pl.String:
        codes = {
            ch.code: _pick((ch.label_vi, ch.label_en))
            for contract in c.ALL_CONTRACTS.values()
            for col in contract.columns
            for ch in col.choices
        }
        frame = frame.with_columns(pl.col("suggestion").replace(codes))
    return frame
