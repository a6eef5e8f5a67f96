"""Display helpers shared by pages: indicator cards and tables shown as text, with a CSV download."""

from __future__ import annotations

import html

import polars as pl
import streamlit as st

from dashboard import labels as labels_of
from dashboard.i18n import TEXT, data_status_column, lang, t
from kernel import contracts as c
from kernel import formats as fmt
from services.reports import csv_bytes
from warehouse.completeness import split_reasons  # noqa: F401  (the evaluations page's unranked list)


def xlsx_bytes(frame: pl.DataFrame, sheet: str = "Kết quả") -> bytes:
    """XLSX for Excel: every text cell written as text, so no formula can run."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True})
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, name, bold)
    for row, values in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                ws.write_string(row, col, str(value))
            else:
                ws.write_number(row, col, value)
    book.close()
    return buffer.getvalue()


def _label(column: str) -> str:
    if column in TEXT:
        return t(column)
    for contract in c.FEEDS.values():
        if column in contract.column_names:
            col = contract.column(column)
            return col.label_en if lang() == "en" else col.label_vi
    return column


def for_display(frame: pl.DataFrame) -> pl.DataFrame:
    """Numbers as 1.234,5 and dates as dd/mm/yyyy, every cell a plain string."""
    exprs = []
    language = lang()
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            exprs.append(col.dt.strftime("%d/%m/%Y"))
        elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            exprs.append(col.dt.strftime("%d/%m/%Y %H:%M"))
        elif dtype.is_numeric() and not name.endswith(("_code", "_id", "line")) and name != "rank":
            # Formatted here, in the page's thread: a Python callback run by Polars' thread pool
            # (map_elements) deadlocks the whole server against a to_pandas() in another session.
            values = [None if v is None else fmt.smart(v, language) for v in frame[name].to_list()]
            exprs.append(pl.Series(name, values, dtype=pl.String))
        elif dtype == pl.Boolean:
            exprs.append(
                col.replace_strict({True: t("on_track"), False: t("off_track")}, return_dtype=pl.String)
            )
        elif dtype == pl.String:
            exprs.append(col)
        else:
            exprs.append(col.cast(pl.String, strict=False))
    # An empty cell is shown empty, not as "None".
    return frame.select(exprs).with_columns(pl.col(pl.String).fill_null(""))


def show(
    frame: pl.DataFrame,
    *,
    key: str,
    file_name: str | None = None,
    height: int | str = "auto",
    pinned: tuple[str, ...] | None = None,
    decode: bool = True,
    download: pl.DataFrame | None = None,
) -> None:
    """A table (uploaded text stays text: st.dataframe never renders HTML) and its CSV download.

    The key column (the first, unless `pinned` names others) stays in sight when a narrow screen
    scrolls a wide table sideways. Codes are shown by their labels unless `decode=False` (the
    analysts' pages, where a code is what one writes in SQL). `download`: the CSV's rows when they
    must differ from the page's (a page may say «as above»; a file has no above).
    """
    # The ward's code is the same on every row: not shown on the page, but the CSV carries it.
    download = with_ward(frame if download is None else download)
    frame = frame.drop(WARD_COLUMN, strict=False)
    if pinned is None:
        pinned = frame.columns[:1] if frame.width > 3 else ()
    shown = for_display(labels_of.decode(frame) if decode else frame)
    labels: dict[str, str] = {}
    for name in shown.columns:
        label = _label(name)
        labels[name] = label if label not in labels.values() else f"{label} ({name})"
    st.dataframe(
        shown,
        hide_index=True,
        key=key,
        height=height,
        column_config={
            name: st.column_config.TextColumn(
                label,
                pinned=True,
                width="small" if name in ("rank", "score", "line", "upload_id") else "medium",
            )
            if name in pinned
            else st.column_config.TextColumn(label)
            for name, label in labels.items()
        },
    )
    st.download_button(
        t("download_csv"),
        csv_bytes(_downloadable(download, decode, labels)),
        file_name=file_name or f"{key}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )


def _downloadable(frame: pl.DataFrame, decode: bool, labels: dict[str, str]) -> pl.DataFrame:
    shown = for_display(labels_of.decode(frame) if decode else frame)
    labels = {**labels, WARD_COLUMN: t(WARD_COLUMN)}
    return shown.rename({k: v for k, v in labels.items() if k in shown.columns})


WARD_COLUMN = "ward_code"


def with_ward(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows with the ward's code as their last column (a file leaves the ward: it says whose it is)."""
    if WARD_COLUMN in frame.columns:
        return frame.select(pl.exclude(WARD_COLUMN), WARD_COLUMN)
    from dashboard import data

    ward = data.ward()
    if ward is None:
        return frame
    return frame.with_columns(pl.lit(ward[0], dtype=pl.String).alias(WARD_COLUMN))


def freshness(frame: pl.DataFrame) -> pl.DataFrame:
    labels = {name: (ct.label_en if lang() == "en" else ct.label_vi) for name, ct in c.FEEDS.items()}
    return frame.select(
        pl.col("feed").replace_strict(labels, default=pl.col("feed")),
        pl.col("last_received_at").alias("last_received"),
        pl.col("latest_record_date").alias("latest_record"),
        "files",
        "rows_accepted",
        "rows_rejected",
    )


def target_note(
    row: dict, period_key: str | None, *, short: bool = False, as_html: bool = False
) -> str | None:
    """The note beside a figure with a target: «chỉ tiêu mẫu — phường chưa xác nhận» («chỉ tiêu mẫu» with
    `short`, on a card), or who set / confirmed it. Markdown (the badge) or, `as_html`, escaped HTML."""
    from dashboard import data

    period = period_key or row.get("period_key")
    if row.get("target") is None or not period:
        return None
    status, note = data.target_notes(period).get(row["indicator_id"], (None, None))
    if status == "sample":
        sample = t("target_sample_short" if short else "target_sample")
        if as_html:
            return f'<span class="dtx-badge dtx-badge-near">{html.escape(sample)}</span>'
        return f":orange-badge[{sample}]"
    return html.escape(note) if as_html and note else note


def status_expr() -> pl.Expr:
    """The status column of a table of figures: «tạm tính (x/y báo cáo)», Đạt, Chưa đạt or empty."""
    return (
        pl.when(pl.col("data_status") == "provisional")
        .then(data_status_column())
        .when(pl.col("on_track"))
        .then(pl.lit(t("on_track")))
        .when(~pl.col("on_track"))
        .then(pl.lit(t("off_track")))
        .otherwise(pl.lit(""))
        .alias("status")
    )


def upload_report(result) -> None:
    """What a load did, in the clerk's words; the rejected rows follow."""
    if result.status == "refused":
        st.error(t("refused", reason=result.reason))
        return
    if result.status == "duplicate":
        st.info(t("duplicate", upload=result.upload_id, when=""))
        return
    st.success(
        t(
            "loaded_result",
            file=result.file_name,
            upload=result.upload_id,
            accepted=fmt.number(result.rows_accepted, lang=lang()),
            new=fmt.number(result.rows_new, lang=lang()),
            corrected=fmt.number(result.rows_corrected, lang=lang()),
            rejected=fmt.number(result.rows_rejected, lang=lang()),
        )
    )
    if result.rows_rejected:
        # Columns by their labels, as in the preview (the pipeline names them by their canonical names).
        labels = {
            col.name: col.label_en if lang() == "en" else col.label_vi for col in c.feed(result.feed).columns
        }
        errors = result.errors.with_columns(pl.col("column").replace_strict(labels, default=pl.col("column")))
        show(errors.select("line", "column", "value", "message"), key="loaded_errors")
