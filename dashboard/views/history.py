"""Upload history: a unit's own files (every unit's for administrators), with results and the originals."""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from dashboard import auth, data, tables
from dashboard.i18n import t

user = auth.require("history")
st.title(t("page_history"))
unit = user.unit_code if user.role == "unit" else None
if unit is None:
    st.caption(t("history_all_units"))
history = data.upload_history(unit)
if history.is_empty():
    st.info(t("no_uploads"))
    st.stop()

tables.show(
    history.select(
        "upload_id",
        "received_at",
        "file_name",
        "uploaded_by",
        pl.col("unit_code").alias("unit"),
        "feed",
        "status",
        "rows_total",
        "rows_accepted",
        "rows_rejected",
        "rows_new",
        "rows_corrected",
        "refusal_reason",
    ),
    key="upload_history",
    file_name="lich-su-gui-tep.csv",
)

ids = history["upload_id"].to_list()
names = dict(zip(ids, history["file_name"].to_list(), strict=True))
chosen = st.selectbox(t("pick_upload"), ids, format_func=lambda u: f"#{u} — {names[u]}", key="history_upload")
row = history.filter(pl.col("upload_id") == chosen).row(0, named=True)
if row["refusal_reason"]:
    st.error(t("refused", reason=row["refusal_reason"]))
rejected = data.upload_rejected(chosen)
if rejected.height:
    st.markdown(f"**{t('rejected_heading')}**")
    tables.show(rejected, key="history_rejected", file_name=f"loi-lan-gui-{chosen}.csv")
if row["validation_result"]:
    with st.expander(t("validation_result"), icon=":material/rule:"):
        st.json(json.loads(row["validation_result"]))
st.download_button(
    t("download_original"),
    data=lambda: data.original_file(chosen),
    file_name=row["file_name"] or f"lan-gui-{chosen}",
    key="history_download",
    icon=":material/download:",
)
