"""Analysts' SQL console: one SELECT at a time, on the read-only snapshot, in a locked-down process."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import auth, data, tables
from dashboard.i18n import lang, t
from kernel import formats as fmt
from services.reports import csv_bytes
from warehouse.accounts import AccountError
from warehouse.query import Limits, QueryError, row_caps, run_readonly

user = auth.require("sql")
SHOWN_ROWS, EXPORTED_ROWS = row_caps()
limits = Limits.from_env()
st.title(t("page_sql"))
st.caption(
    t(
        "sql_help",
        seconds=fmt.smart(limits.timeout_s, lang()),
        shown=fmt.number(SHOWN_ROWS, lang=lang()),
        exported=fmt.number(EXPORTED_ROWS, lang=lang()),
    )
)

EXAMPLES = Path(__file__).resolve().parents[2] / "warehouse" / "examples"
examples = {
    p.read_text(encoding="utf-8").splitlines()[0].lstrip("- "): p for p in sorted(EXAMPLES.glob("*.sql"))
}
accounts = auth.accounts()
saved = {
    f"{q['name']} ({q['owner']}{', ' + t('shared') if q['shared'] else ''})": q
    for q in accounts.saved_queries(user.username)
}

left, right = st.columns(2)
example = left.selectbox(
    t("examples"),
    [None, *examples],
    format_func={e: e or t("pick_example") for e in [None, *examples]}.get,
    key="sql_example",
)
mine = right.selectbox(
    t("saved_queries"),
    [None, *saved],
    format_func={q: q or t("pick_saved") for q in [None, *saved]}.get,
    key="sql_saved",
)
source = ("example", example) if example else ("saved", mine) if mine else ("blank", "")
initial = examples[example].read_text(encoding="utf-8") if example else saved[mine]["sql"] if mine else ""
# A new example or saved query starts a fresh editor holding its text.
query = st.text_area(
    t("sql_editor"),
    value=initial,
    height=220,
    key=f"sql_query:{source[0]}:{source[1]}",
    placeholder="SELECT * FROM league_table LIMIT 10",
)
run = st.button(t("run_query"), type="primary", key="run_query", icon=":material/play_arrow:")
if run and query.strip():
    try:
        with st.spinner(t("running")):
            frame, truncated = run_readonly(
                data.warehouse(), query, max_rows=SHOWN_ROWS, limits=limits, user=user.username
            )
        st.session_state["sql_result"] = (query, frame, truncated)
    except QueryError as exc:
        st.session_state.pop("sql_result", None)
        st.error(str(exc))
        if exc.detail:
            with st.expander(t("sql_error_detail")):
                st.code(exc.detail, language=None, wrap_lines=True)

if result := st.session_state.get("sql_result"):
    ran, frame, truncated = result
    st.caption(t("rows_returned", n=fmt.number(frame.height, lang=lang())))
    if truncated:
        st.warning(t("rows_capped", shown=fmt.number(SHOWN_ROWS, lang=lang())))
    st.dataframe(tables.for_display(frame), hide_index=True, key="sql_result_table")
    export_format = st.radio(t("export_as"), ["csv", "xlsx", "parquet"], horizontal=True, key="export_format")

    def export() -> bytes:
        full, _ = run_readonly(
            data.warehouse(), ran, max_rows=EXPORTED_ROWS, limits=limits, user=user.username
        )
        if export_format == "csv":
            return csv_bytes(full)
        if export_format == "xlsx":
            return tables.xlsx_bytes(full)
        buffer = io.BytesIO()
        full.write_parquet(buffer)
        return buffer.getvalue()

    st.download_button(
        t("export"),
        data=export,
        file_name=f"ket-qua.{export_format}",
        key="export_result",
        icon=":material/download:",
    )

with (
    st.expander(t("save_query"), icon=":material/bookmark_add:"),
    st.form("save_query_form", clear_on_submit=True),
):
    name = st.text_input(t("query_name"), key="save_query_name")
    shared = st.checkbox(t("share_query"), key="save_query_shared")
    if st.form_submit_button(t("save_query"), key="save_query_submit"):
        try:
            accounts.save_query(user.username, name, query, shared)
            st.success(t("query_saved", name=name))
        except AccountError as exc:
            st.error(str(exc))

st.subheader(t("schema_browser"))
schema = data.catalogue()
for (schema_name, name), part in schema.group_by(["schema_name", "name"], maintain_order=True):
    qualified = name if schema_name == "main" else f"{schema_name}.{name}"
    with st.expander(qualified):
        st.caption(part["object_comment"][0] or "")
        st.dataframe(
            part.select(pl.col("column_name"), pl.col("data_type"), pl.col("column_comment")),
            hide_index=True,
        )
