"""`dothixanh sql` honours DOTHIXANH_SQL_TIMEOUT and DOTHIXANH_SQL_MEMORY unless --timeout is given."""

from __future__ import annotations

import pytest

import warehouse.query
from services import cli


@pytest.fixture
def limits_used(monkeypatch):
    """The limits cmd_sql hands to the query layer (the query itself is not run)."""
    import polars as pl

    used = []

    def fake(warehouse, query, *, max_rows, limits, user):
        used.append(limits)
        return pl.DataFrame({"x": [1]}), False

    monkeypatch.setattr(warehouse.query, "run_readonly", fake)
    return used


def test_environment_sets_timeout_and_memory(limits_used, monkeypatch, tmp_path):
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "7")
    monkeypatch.setenv("DOTHIXANH_SQL_MEMORY", "300MB")
    assert cli.main(["--home", str(tmp_path), "sql", "SELECT 1"]) == 0
    assert (limits_used[0].timeout_s, limits_used[0].memory_limit) == (7.0, "300MB")


def test_the_option_wins_over_the_environment_for_the_time_only(limits_used, monkeypatch, tmp_path):
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "7")
    monkeypatch.setenv("DOTHIXANH_SQL_MEMORY", "300MB")
    assert cli.main(["--home", str(tmp_path), "sql", "SELECT 1", "--timeout", "3"]) == 0
    assert (limits_used[0].timeout_s, limits_used[0].memory_limit) == (3.0, "300MB")


def test_defaults_without_environment(limits_used, monkeypatch, tmp_path):
    monkeypatch.delenv("DOTHIXANH_SQL_TIMEOUT", raising=False)
    monkeypatch.delenv("DOTHIXANH_SQL_MEMORY", raising=False)
    assert cli.main(["--home", str(tmp_path), "sql", "SELECT 1"]) == 0
    assert (limits_used[0].timeout_s, limits_used[0].memory_limit) == (30.0, "2GB")


def test_a_timeout_that_is_not_a_number_is_explained(limits_used, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "ba mươi")
    assert cli.main(["--home", str(tmp_path), "sql", "SELECT 1"]) == 2
    assert "DOTHIXANH_SQL_TIMEOUT=«ba mươi» không phải một số giây" in capsys.readouterr().err
    assert limits_used == []


def test_the_environment_timeout_stops_a_real_query(warehouse, monkeypatch, capsys):
    # No worker process starts within a millisecond, on any machine: the limit is certainly hit.
    monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "0.001")
    assert cli.main(["--home", str(warehouse.home), "sql", "SELECT count(*) FROM uploads"]) == 1
    assert "Truy vấn chạy quá 0,001 giây nên đã bị dừng" in capsys.readouterr().err
