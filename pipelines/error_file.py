"""The error file a clerk gets back: the rejected rows, as written, with the reason beside each.

Columns carry the contract's Vietnamese labels, so the clerk can fix the cells
and send the file back as it is: the reader maps the labels, and the extra
columns (reason, original line) are reported as unknown and set aside.
"""

from __future__ import annotations

import io

import polars as pl

from pipelines.ingest import Prepared
from pipelines.reading import LINE

REASON = "Lỗi cần sửa"
ORIGINAL_LINE = "Dòng trong tệp gốc"


def rejected_rows(prepared: Prepared) -> pl.DataFrame:
    """The rejected rows' cells as written, one row per rejected line, with every reason joined."""
    reasons = (
        prepared.errors.group_by("line")
        .agg(pl.col("message").str.join("\n").alias(REASON))
        .rename({"line": LINE})
    )
    rows = prepared.parsed.strings.join(reasons, on=LINE, how="inner").sort(LINE)
    labels = {col.name: col.label_vi for col in prepared.contract.columns}
    return rows.select(
        *[pl.col(name).alias(label) for name, label in labels.items()],
        pl.col(REASON),
        pl.col(LINE).alias(ORIGINAL_LINE),
    )


def error_file_xlsx(prepared: Prepared) -> bytes:
    """XLSX of the rejected rows; every cell written as text (no formula can run)."""
    import xlsxwriter

    frame = rejected_rows(prepared)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet("Dòng cần sửa")
    head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    reason = book.add_format({"text_wrap": True, "font_color": "#C00000"})
    text = book.add_format({"num_format": "@"})
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, name, head)
        width = 60 if name == REASON else max(14, len(name) + 4)
        sheet.set_column(col, col, width, reason if name == REASON else text)
    for row, values in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(values):
            if value is not None:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
