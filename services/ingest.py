"""Sending files, as the dashboard and the command line both do it: templates, judging, loading, the ward's lists.

Pages reach pipelines/ only through here (the arrows run pipelines → warehouse → dashboard); the rules
themselves stay in pipelines/ingest.py, pipelines/nothing_to_report.py and the sandbox.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from kernel import contracts as c
from pipelines.ingest import HEADER_ONLY, ReferenceRefused, save_reference_lists
from pipelines.nothing_to_report import NotAllowed
from pipelines.reading import FileRefused

__all__ = [
    "HEADER_ONLY",
    "FileRefused",
    "NotAllowed",
    "Preview",
    "ReferenceRefused",
    "contract_help",
    "declare_nothing",
    "load",
    "max_upload_mb",
    "preview",
    "sandbox",
    "save_reference_lists",
    "template",
]


def max_upload_mb() -> int:
    """Largest file accepted, in MB (DOTHIXANH_MAX_UPLOAD_MB, default 50)."""
    try:
        return max(1, int(os.environ.get("DOTHIXANH_MAX_UPLOAD_MB", "50")))
    except ValueError:
        return 50


def template(feed: str, file_format: str) -> bytes:
    """The empty file (CSV or XLSX) a unit fills in for `feed`."""
    from pipelines.templates import template_csv, template_xlsx

    contract = c.ALL_CONTRACTS[feed]
    return template_xlsx(contract) if file_format == "xlsx" else template_csv(contract)


def contract_help(contract) -> str:
    """The Markdown that explains a feed's columns and rules (the upload page's help, docs/feeds.md)."""
    from pipelines import docs

    return docs.render_contract(contract)


def sandbox():
    """The server's pool of warm sandboxed workers (one per process): no upload is parsed in this process."""
    from pipelines.sandbox import default_sandbox

    return default_sandbox()


@dataclass
class Preview:
    """What a file would do, judged against the published snapshot; nothing is stored."""

    rows_total: int
    rows_accepted: int
    rows_rejected: int
    rows_new: int
    rows_corrected: int
    errors: pl.DataFrame
    extra_columns: list[str] = field(default_factory=list)
    error_file: bytes = b""
    date_order_hint: dict | None = None  # the file writes dates month/day/year (pipelines/dates.py)


def preview(
    cursor, reference, content: bytes, feed: str, unit: str, file_name: str, date_order: str | None = None
) -> Preview:
    """Judge a file against `reference` and the records `cursor` sees, storing nothing."""
    from pipelines.locks import locked_corrections
    from pipelines.reading import LINE
    from pipelines.sandbox import judge
    from warehouse.lineage import existing_keys_sql

    contract = c.feed(feed)
    judged = judge(
        content,
        feed=feed,
        unit_code=unit,
        file_name=file_name,
        reference=reference,
        date_order=date_order,
        error_file=True,
        sandbox=sandbox(),
    )
    moved = locked_corrections(cursor, contract, unit, judged.accepted, reference)
    if not moved.is_empty():  # corrections of records in a locked month: refused at the load too
        judged.accepted = judged.accepted.filter(~pl.col(LINE).is_in(moved["line"].implode()))
        judged.errors = pl.concat([judged.errors, moved]).sort("line", maintain_order=True)
        judged.rejected_lines += moved.height
    ids = judged.accepted[contract.id_column].to_list()
    existing = cursor.sql(existing_keys_sql(feed), params={"unit": unit, "ids": ids}).fetchall()[0][0]
    labels = {col.name: col.label_vi for col in contract.columns}
    errors = judged.errors.select(
        "line",
        pl.col("column").replace_strict(labels, default=pl.col("column")).alias("column"),
        "value",
        "message",
    )
    return Preview(
        rows_total=judged.rows_total,
        rows_accepted=judged.accepted.height,
        rows_rejected=judged.rejected_lines,
        rows_new=judged.accepted.height - existing,
        rows_corrected=existing,
        errors=errors,
        extra_columns=judged.extra_columns,
        error_file=judged.error_file,
        date_order_hint=judged.date_order_hint,
    )


def load(
    warehouse,
    content: bytes,
    feed: str,
    unit: str,
    file_name: str,
    username: str,
    progress: Callable,
    date_order: str | None = None,
    report_month=None,
):
    """Load through the same pipeline, sandbox and writer lock as the command line."""
    from pipelines.ingest import ingest

    return ingest(
        warehouse,
        content,
        feed=feed,
        unit_code=unit,
        file_name=file_name,
        uploaded_by=username,
        date_order=date_order,
        progress=lambda step: progress(label=step),
        sandbox=sandbox(),
        report_month=report_month,
    )


def declare_nothing(warehouse, feed: str, unit: str, month, user):
    """«Không có số liệu phát sinh» for the unit, feed and month; the function checks the account's role."""
    from pipelines.nothing_to_report import declare_nothing_to_report

    return declare_nothing_to_report(warehouse, feed=feed, unit_code=unit, month=month, account=user)
