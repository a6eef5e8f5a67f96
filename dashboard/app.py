"""Dashboard entry point (placeholder until the leadership dashboard lands): the warehouse's row counts."""

from __future__ import annotations

import streamlit as st

from pipelines import contracts as c
from warehouse.store import Warehouse, WarehouseMissing

st.set_page_config(page_title="Đô thị Xanh - Văn minh - Hiện đại", page_icon="🌳", layout="wide")
st.title("Phong trào “Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh - Hiện đại”")
st.caption("Phường Lê Chân, giai đoạn 2026 - 2030")

warehouse = Warehouse()
try:
    with warehouse.reading() as con:
        counts = {name: con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in c.FEEDS}
        groups = con.sql("SELECT count(*) FROM residential_groups").fetchall()[0][0]
        uploads = con.sql("SELECT count(*) FROM uploads").fetchall()[0][0]
except WarehouseMissing as missing:
    st.warning(str(missing))
    st.stop()

columns = st.columns(len(counts) + 2)
columns[0].metric("Tổ dân phố", f"{groups:,}".replace(",", "."))
columns[1].metric("Tệp đã nhận", f"{uploads:,}".replace(",", "."))
for column, (name, count) in zip(columns[2:], counts.items(), strict=True):
    column.metric(c.FEEDS[name].label_vi, f"{count:,}".replace(",", "."))
