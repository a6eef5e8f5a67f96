"""The dashboard opens on a warehouse and shows its row counts."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipelines.ingest import ingest, init_ward
from warehouse.store import Warehouse

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
GROUPS = "group_code,group_name,households,population\nTDP01,Tổ 1,300,1100\n"
UNITS = "unit_code,unit_name,feeds\nCAP,Công an phường,violations\n"
ROWS = (
    "record_id,unit_code,detected_on,group_code,category,action,fine_vnd\n"
    "A1,CAP,01/06/2026,TDP01,other,reminder,\nA2,CAP,02/06/2026,TDP01,other,fine,1.000.000\n"
)


def test_app_shows_row_counts_of_the_warehouse(tmp_path, monkeypatch):
    home = tmp_path / "home"
    wh = Warehouse(home)
    init_ward(wh, (GROUPS.encode(), "g.csv"), (UNITS.encode(), "u.csv"))
    ingest(wh, ROWS.encode(), feed="violations", unit_code="CAP", file_name="v.csv")
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vi phạm"] == "2"
    assert metrics["Tổ dân phố"] == "1"


def test_app_explains_a_missing_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("DOTHIXANH_HOME", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "dothixanh demo" in at.warning[0].value
