"""A ward's own indicator (declared in TOML on a feed the ward added) on the dashboard's pages."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from dash_app import card_text, open_app

from warehouse.store import Warehouse

_spec = importlib.util.spec_from_file_location(
    "ward_feed_for_pages", Path(__file__).parents[1] / "warehouse" / "ward_feed.py"
)
ward_feed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ward_feed)


def test_a_ward_indicator_shows_on_the_overview_and_its_own_page(fixture_ward_home, tmp_path, monkeypatch):
    import datetime as dt

    home = tmp_path / "home"
    shutil.copytree(fixture_ward_home, home, symlinks=True)
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    ward_feed.add_propaganda_feed(Warehouse(home), dt.date(2026, 11, 29))
    at = open_app(home, monkeypatch, period="2026-Q4").run()
    assert not at.exception, at.exception
    assert "Hoạt động tuyên truyền bình quân mỗi tổ" in card_text(at)  # its card on the overview
    at = open_app(home, monkeypatch, period="2026-Q4", indicator="propaganda_per_group").run()
    at.switch_page("views/indicator.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="indicator_pick").value == "propaganda_per_group"
    shown = (
        "\n".join(m.value for m in at.markdown) + "\n".join(str(m.value) for m in at.metric) + card_text(at)
    )
    assert "số hoạt động tuyên truyền / số tổ dân phố" in shown or at.dataframe, "its formula or its table"
