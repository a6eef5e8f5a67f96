"""Data dictionary: every view and mart, every column, type and meaning, and where a column comes from."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, data, tables
from dashboard.i18n import t
from warehouse.dictionary import source_of

auth.require("dictionary")
st.title(t("page_dictionary"))
st.caption(t("dictionary_help"))
catalogue = data.catalogue()
# Computed in this thread, not with map_elements (a Python callback in Polars' pool can deadlock the server).
sources = [source_of(*row) for row in catalogue.select("schema_name", "name", "column_name").iter_rows()]
catalogue = catalogue.with_columns(pl.Series("source", sources, dtype=pl.String))
search = st.text_input(t("search"), key="dictionary_search")
if search:
    needle = search.lower()
    catalogue = catalogue.filter(
        pl.concat_str(
            "name", "column_name", "column_comment", "object_comment", ignore_nulls=True, separator=" "
        )
        .str.to_lowercase()
        .str.contains(needle, literal=True)
    )
tables.show(
    catalogue.select("schema_name", "name", "kind", "column_name", "data_type", "column_comment", "source"),
    key="dictionary_table",
    file_name="tu-dien-du-lieu.csv",
    height=600,
    decode=False,  # names and codes as analysts write them in SQL
)
