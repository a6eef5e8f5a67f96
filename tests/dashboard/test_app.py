"""The dashboard on a home with no warehouse yet says what to do, in plain Vietnamese."""

from __future__ import annotations

from dash_app import open_app


def test_app_explains_a_missing_warehouse(tmp_path, monkeypatch):
    at = open_app(tmp_path / "empty", monkeypatch).run()
    assert not at.exception
    assert "dothixanh demo" in at.warning[0].value
