"""Rows dated in a locked ("khóa sổ") month are refused with the month and who locked it.

The locked feed-months travel with the reference lists (`Reference.locks`) into the sandboxed
worker, so the preview says so before anything is stored, and a lock committed while a file was
being judged makes the loader judge it again (the reference it was judged against changed).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines import contracts as c
from pipelines.messages import MESSAGE_SCHEMA, Reference
from pipelines.reading import LINE

RULE = "locked_period"
RULE_LABEL_VI = "Tháng chưa khóa sổ"


def month_label(month_key: str) -> str:
    """'2026-10' → '10/2026'."""
    return f"{month_key[5:7]}/{month_key[:4]}"


def when_label(iso: str | None) -> str:
    """An ISO timestamp as 'dd/mm/yyyy hh:mm' ('' when unknown)."""
    if not iso:
        return ""
    try:
        return dt.datetime.fromisoformat(str(iso)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(iso)


def locked_message(feed: str, month_key: str, locked_by: str, locked_at: str | None) -> str:
    """Why a row dated in a locked month is refused (plain Vietnamese)."""
    when = when_label(locked_at)
    who = f"khóa bởi «{locked_by}»" + (f" lúc {when}" if when else "")
    return (
        f"Tháng {month_label(month_key)} của loại dữ liệu «{c.FEEDS[feed].label_vi}» đã khóa sổ ({who}): "
        "không nhận thêm hay sửa số liệu của tháng này. Nếu cần sửa, hãy đề nghị quản trị viên mở khóa."
    )


def locked_rows(
    typed: pl.DataFrame,
    strings: pl.DataFrame | None,
    contract: c.Contract,
    reference: Reference,
    errors: pl.DataFrame,
) -> pl.DataFrame:
    """One error (MESSAGE_SCHEMA) per row whose date falls in a locked month of this feed.

    A date cell that already has an error keeps that error (the row is refused either way).
    """
    locks = {month: who for (feed, month), who in reference.locks.items() if feed == contract.name}
    date_col = contract.date_column
    if not locks or not date_col or typed.is_empty() or date_col not in typed.columns:
        return pl.DataFrame(schema=MESSAGE_SCHEMA)
    already = set(errors.filter(pl.col("column") == date_col)["line"].to_list())
    hits = typed.select(LINE, pl.col(date_col).dt.strftime("%Y-%m").alias("_month")).filter(
        pl.col("_month").is_in(list(locks)) & ~pl.col(LINE).is_in(list(already))
    )
    if hits.is_empty():
        return pl.DataFrame(schema=MESSAGE_SCHEMA)
    cells = {}
    if strings is not None and date_col in strings.columns:
        cells = dict(
            strings.filter(pl.col(LINE).is_in(hits[LINE].implode())).select(LINE, date_col).iter_rows()
        )
    rows = [
        {
            "line": line,
            "column": date_col,
            "value": cells.get(line),
            "rule": RULE,
            "message": locked_message(contract.name, month, *locks[month]),
            "suggestion": None,
        }
        for line, month in hits.iter_rows()
    ]
    return pl.DataFrame(rows, schema=MESSAGE_SCHEMA)
