"""CSV downloads that a spreadsheet opens safely (no formula injection), UTF-8 with a BOM for Excel."""

from __future__ import annotations

import polars as pl

BOM = "\ufeff".encode()
# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str | None) -> str | None:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(frame: pl.DataFrame, *, separator: str = ",") -> bytes:
    """The frame as CSV in UTF-8 with a BOM (Excel then reads Vietnamese right), formulas neutralised."""
    pattern = "^[" + "".join("\\" + ch if ch in "-+" else ch for ch in FORMULA_TRIGGERS) + "]"
    # Structs and objects become text here, not with map_elements: a Python callback run by Polars'
    # thread pool deadlocks the server against a to_pandas() in another session.
    frame = frame.with_columns(
        pl.Series(name, [None if v is None else str(v) for v in frame[name].to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Struct | pl.Object)
    )
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            column = column.cast(pl.List(pl.String)).list.join("; ")
        elif not (dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)):
            columns.append(column)
            continue
        column = column.cast(pl.String)
        columns.append(
            pl.when(column.str.contains(pattern)).then(pl.lit("'") + column).otherwise(column).alias(name)
        )
    safe = frame.select(columns) if columns else frame
    return BOM + safe.write_csv(separator=separator).encode("utf-8")
