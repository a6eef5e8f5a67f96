"""Effective-dated reference lists: a month uses the version valid on its last day (issue 9, item 6)."""

from __future__ import annotations

import datetime as dt

from marts_ward import MARTS_FIXTURES

from pipelines.ingest import save_reference_lists
from services import cli
from warehouse.refresh import refresh_marts


def _values(warehouse, period: str) -> dict:
    with warehouse.reading() as con:
        rows = con.sql(
            "SELECT group_code, indicator_id, numerator, denominator, value FROM indicator_values "
            "WHERE period_key = ? AND scope = 'group' ORDER BY ALL",
            params=[period],
        ).fetchall()
    return {(g, i): (n, d, v) for g, i, n, d, v in rows}


def _doubled_groups() -> bytes:
    text = (MARTS_FIXTURES / "groups.csv").read_text(encoding="utf-8")
    # TDP01's population doubles (500 → 1000) from 01/10/2026.
    return text.replace("TDP01,Tổ dân phố số 1,150,500", "TDP01,Tổ dân phố số 1,150,1000").encode("utf-8")


def test_identical_lists_create_no_version(marts_ward_copy, capsys):
    warehouse = marts_ward_copy()
    args = ["--home", str(warehouse.home), "init", "--groups", str(MARTS_FIXTURES / "groups.csv")]
    args += ["--units", str(MARTS_FIXTURES / "units.csv")]
    with warehouse.reading() as con:
        before = con.sql("SELECT count(*) FROM reference_versions").fetchall()[0][0]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "giống hệt phiên bản" in out and "không lưu phiên bản mới" in out
    with warehouse.reading() as con:
        assert con.sql("SELECT count(*) FROM reference_versions").fetchall()[0][0] == before


def test_new_groups_version_leaves_earlier_months_unchanged(marts_ward_copy, tmp_path, capsys):
    warehouse = marts_ward_copy()
    september, october = _values(warehouse, "2026-09"), _values(warehouse, "2026-10")
    assert september  # the fixture ward starts in September
    groups = tmp_path / "groups-v2.csv"
    groups.write_bytes(_doubled_groups())
    args = ["--home", str(warehouse.home), "init", "--groups", str(groups)]
    args += ["--units", str(MARTS_FIXTURES / "units.csv"), "--valid-from", "01/10/2026"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "áp dụng từ 01/10/2026" in out
    assert "Danh sách đơn vị giống hệt" in out  # only the groups list changed
    with warehouse.writing() as con:  # the fixture ward's as-of date
        refresh_marts(con, warehouse.home, today=dt.date(2026, 11, 29))
    assert _values(warehouse, "2026-09") == september  # past months keep their denominators
    after = _values(warehouse, "2026-10")
    key = ("TDP01", "violations_per_1000_residents")
    assert after[key][1] == 1000 and october[key][1] == 500
    assert (
        after[("TDP02", "violations_per_1000_residents")]
        == october[("TDP02", "violations_per_1000_residents")]
    )
    with warehouse.reading() as con:
        used = dict(
            con.sql(
                "SELECT period_key, ref_version FROM marts.period_groups WHERE group_code = 'TDP01' "
                "AND period_key IN ('2026-09', '2026-10')"
            ).fetchall()
        )
    assert used["2026-09"] < used["2026-10"]


def test_bad_valid_from_is_refused_in_vietnamese(marts_ward_copy, capsys):
    warehouse = marts_ward_copy()
    args = ["--home", str(warehouse.home), "init", "--groups", str(MARTS_FIXTURES / "groups.csv")]
    args += ["--units", str(MARTS_FIXTURES / "units.csv"), "--valid-from", "31/02/2026"]
    assert cli.main(args) == 2
    assert "ngày/tháng/năm" in capsys.readouterr().err


def test_save_reference_lists_reports_what_changed(marts_ward_copy):
    warehouse = marts_ward_copy()
    groups, units = save_reference_lists(
        warehouse,
        (_doubled_groups(), "groups.csv"),
        ((MARTS_FIXTURES / "units.csv").read_bytes(), "units.csv"),
        valid_from=dt.date(2026, 10, 1),
    )
    assert groups.created and groups.valid_from == dt.date(2026, 10, 1)
    assert not units.created
