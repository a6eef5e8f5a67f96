"""Trace a figure: the records behind an indicator value and the original files they came from."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, data, tables
from dashboard.i18n import lang, pick, t
from dashboard.state import current_period, keep_in_address
from dashboard.widgets import url_choice
from kernel import formats as fmt

SHOWN = 1_000

auth.require("trace")
period = current_period()
st.title(t("page_trace"))
st.caption(t("trace_intro"))

definitions = data.indicators()
names = {r["indicator_id"]: pick(r, "name") for r in definitions.iter_rows(named=True)}
indicator = url_choice(t("pick_indicator"), names, "indicator", format_func=names.get, key="trace_indicator")
groups = data.groups()
scopes = [None, *groups["group_code"].to_list()]
group_names = dict(zip(groups["group_code"].to_list(), groups["group_name"].to_list(), strict=True))
group = url_choice(
    t("group"),
    scopes,
    "group",
    format_func={g: t("scope_ward") if g is None else f"{g} — {group_names[g]}" for g in scopes}.get,
    key="trace_group",
)
keep_in_address("indicator", indicator)
if group:
    keep_in_address("group", group)
elif "group" in st.query_params:
    del st.query_params["group"]

values = (
    data.group_indicators(period["period_key"], group)
    if group
    else data.ward_indicators(period["period_key"])
)
row = values.filter(pl.col("indicator_id") == indicator)
if row.height:
    r = row.row(0, named=True)
    with st.container(border=True, key="trace_figure"):
        a, b, c, d = st.columns(4)
        a.metric(t("figure"), fmt.smart(r["value"], lang()))
        b.metric(t("numerator"), fmt.smart(r["numerator"], lang()))
        c.metric(t("denominator"), fmt.smart(r["denominator"], lang()))
        d.metric(t("sample_size"), fmt.smart(r["sample_size"], lang()))
        st.caption(f"{t('formula')}: {pick(r, 'formula')}")
        if r["value"] is None:
            st.caption(t("null_reason", reason=r["reason_vi"] or ""))

counted = data.contributions(indicator, period["period_key"], group, period["data_start"], period["data_end"])
st.subheader(t("counted_heading", n=fmt.number(counted.height, lang=lang())))
st.caption(t("counted_intro"))
if counted.is_empty():
    st.info(t("no_records"))
else:
    if counted.height > SHOWN:
        st.caption(
            t(
                "records_capped",
                shown=fmt.number(SHOWN, lang=lang()),
                total=fmt.number(counted.height, lang=lang()),
            )
        )
    tables.show(counted.head(SHOWN), key="trace_records", file_name=f"ban-ghi-{indicator}.csv")
    st.subheader(t("files_heading"))
    files = (
        counted.filter(pl.col("upload_id").is_not_null())
        .group_by("upload_id", "file_name", "sent_by", "uploaded_account", "received_at")
        .agg(pl.len().alias("rows_counted"))
        .sort("upload_id")
    )
    if files.height:
        tables.show(files, key="trace_files")
        chosen = st.selectbox(
            t("download_original"),
            files["upload_id"].to_list(),
            format_func=lambda u: f"#{u} — {files.filter(pl.col('upload_id') == u)['file_name'][0]}",
            key="trace_file",
        )
        st.download_button(
            t("download_original"),
            data=lambda: data.original_file(chosen),
            file_name=files.filter(pl.col("upload_id") == chosen)["file_name"][0] or f"upload-{chosen}",
            key="trace_download",
            icon=":material/description:",
        )
