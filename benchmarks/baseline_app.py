"""The minimal Streamlit app that benchmarks/sessions.py measures the dashboard against.

The widgets of one overview page and nothing else: 12 metrics, 2 plotly charts, 1 table, on four
pages (so a session can switch pages as it does on the dashboard). No data layer, no login. Each run's
duration is logged as the dashboard's is (DOTHIXANH_RUN_LOG, dashboard/runlog.py).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import runlog

RUN = runlog.start()
st.set_page_config(page_title="Mốc so sánh", layout="wide")
MONTHS = [f"{m:02d}/2026" for m in range(1, 12)]


def overview(seed: int) -> None:
    rng = random.Random(seed)
    st.title(f"Trang {seed}")
    for row in range(3):
        columns = st.columns(4)
        for i, column in enumerate(columns):
            column.metric(
                f"Chỉ tiêu {row * 4 + i + 1}", f"{rng.uniform(50, 100):.1f} %", f"{rng.uniform(-5, 5):+.1f}"
            )
    left, right = st.columns(2)
    for column, name in ((left, "Xu hướng"), (right, "So sánh")):
        figure = go.Figure()
        figure.add_scatter(x=MONTHS, y=[rng.uniform(40, 100) for _ in MONTHS], name="Giá trị")
        figure.add_scatter(x=MONTHS, y=[80] * len(MONTHS), name="Mục tiêu")
        figure.update_layout(title=name, height=320)
        column.plotly_chart(figure, key=f"chart_{name}")
    rows = [{"Tổ": f"TDP{g:02d}", "Điểm": round(rng.uniform(30, 95), 1), "Xếp hạng": g} for g in range(1, 41)]
    st.dataframe(rows, hide_index=True)


PAGES = [
    st.Page(lambda: overview(1), title="Tổng quan", url_path="tong-quan", default=True),
    st.Page(lambda: overview(2), title="Bảng điểm", url_path="bang-diem"),
    st.Page(lambda: overview(3), title="Chỉ tiêu", url_path="chi-tieu"),
    st.Page(lambda: overview(4), title="Đánh giá", url_path="danh-gia"),
]
page = st.navigation(PAGES)
try:
    page.run()
finally:
    RUN.finish("/" + page.url_path)
