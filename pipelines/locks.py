"""Rows dated in a locked ("khóa sổ") month are refused with the month and who locked it.

The locked feed-months travel with the reference lists (`Reference.locks`) into the sandboxed
worker, so the preview says so before anything is stored, and a lock committed while a file was
being judged makes the loader judge it again (the reference it was judged against changed).
"""

from __future__ import annotations

import polars as pl

from kernel import contracts as c
from kernel.formats import month_label, when_label
from pipelines.messages import MESSAGE_SCHEMA, Reference
from pipelines.reading import LINE

RULE = "locked_period"
RULE_LABEL_VI = "Tháng chưa khóa sổ"


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


def locked_corrections(
    con, contract: c.Contract, unit_code: str, accepted: pl.DataFrame, reference: Reference
):
    """Rows correcting a record whose current version is dated in a locked month (MESSAGE_SCHEMA).

    The worker sees only the file; moving a record out of a locked month would rewrite that month
    too, so the caller (holding the warehouse) asks here. Table and column names come from the
    contract; values are bound.
    """
    locks = {month: who for (feed, month), who in reference.locks.items() if feed == contract.name}
    date_col, id_col = contract.date_column, contract.id_column
    if not locks or not date_col or accepted.is_empty() or id_col not in accepted.columns:
        return pl.DataFrame(schema=MESSAGE_SCHEMA)
    ids = accepted[id_col].cast(pl.String).to_list()
    found = con.sql(
        f"SELECT CAST({id_col} AS VARCHAR), strftime({date_col}, '%Y-%m') FROM core.{contract.name} "
        f"WHERE unit_code = $unit AND CAST({id_col} AS VARCHAR) IN (SELECT unnest($ids)) "
        f"AND strftime({date_col}, '%Y-%m') IN (SELECT unnest($months))",
        params={"unit": unit_code, "ids": ids, "months": list(locks)},
    ).fetchall()
    if not found:
        return pl.DataFrame(schema=MESSAGE_SCHEMA)
    month_of = dict(found)
    rows = [
        {
            "line": line,
            "column": id_col,
            "value": record_id,
            "rule": RULE,
            "message": f"Bản ghi «{record_id}» đang thuộc tháng đã khóa sổ. "
            + locked_message(contract.name, month_of[record_id], *locks[month_of[record_id]]),
            "suggestion": None,
        }
        for line, record_id in accepted.select(LINE, pl.col(id_col).cast(pl.String)).iter_rows()
        if record_id in month_of
    ]
    return pl.DataFrame(rows, schema=MESSAGE_SCHEMA)
