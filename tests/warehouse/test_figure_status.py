"""Issue 9, items 1-4 on the fixture ward (figures worked by hand in test_marts.py's docstring).

A provisional figure is never "Đạt"; a unit may declare «Không có số liệu phát sinh» (only its own
clerk or an admin); a group is left unranked with its reason; inspection coverage stays ≤ 100 %.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from marts_ward import MARTS_FIXTURES, TODAY, csv_bytes, fixture_rows

from pipelines.ingest import ingest
from pipelines.nothing_to_report import NotAllowed, declare_nothing_to_report
from services.cli import main
from warehouse.accounts import User
from warehouse.refresh import refresh_marts

SETTINGS = (MARTS_FIXTURES / "settings.toml").read_text(encoding="utf-8")
NOVEMBER = dt.date(2026, 11, 1)


def read(warehouse, query: str, params=None):
    with warehouse.reading() as con:
        return con.sql(query, params=params or []).fetchall()


def november_violations(warehouse):
    return read(
        warehouse,
        "SELECT value, target, on_track, data_status, reporting_share, data_status_vi FROM indicator_values "
        "WHERE period_key = '2026-11' AND scope = 'ward' AND indicator_id = 'violations_per_1000_residents'",
    )[0]


def declare(warehouse, unit="KTHT", feed="violations", month=NOVEMBER, account=None):
    return declare_nothing_to_report(
        warehouse,
        feed=feed,
        unit_code=unit,
        month=month,
        account=account,
        received_at=dt.datetime(2026, 11, 29, 9, 0),
        today=TODAY,
    )


def test_a_month_with_a_report_missing_is_provisional_and_never_on_track(marts_ward_copy):
    warehouse = marts_ward_copy()
    # CAP sent November (6 violations, 2.000 residents: 3 per 1.000, target 2,9); KTHT has not.
    value, target, on_track, status, share, label = november_violations(warehouse)
    assert (value, round(target, 6), on_track, status, share) == (3.0, 2.9, None, "provisional", 0.5)
    assert label == "tạm tính (1/2 báo cáo)"
    # TDP03's November is 2 per 1.000 (< 2,9) but still not "on track" while a report is missing.
    assert read(
        warehouse,
        "SELECT on_track, data_status FROM indicator_values WHERE period_key = '2026-11' "
        "AND group_code = 'TDP03' AND indicator_id = 'violations_per_1000_residents'",
    ) == [(None, "provisional")]
    # KTHT declares it had nothing to report in November: the figure is complete, then judged.
    result = declare(warehouse)
    assert (result.status, result.rows_accepted, result.nothing_to_report) == ("loaded", 0, True)
    value, _, on_track, status, share, label = november_violations(warehouse)
    assert (value, on_track, status, share, label) == (
        3.0,
        False,
        "complete",
        1.0,
        "Đủ báo cáo (2/2)",
    )
    cell = read(
        warehouse,
        "SELECT received, nothing_to_report, status FROM reporting_completeness "
        "WHERE unit_code = 'KTHT' AND feed = 'violations' AND month_key = '2026-11'",
    )
    assert cell == [(True, True, "on_time")]
    # The same declaration again changes nothing.
    assert declare(warehouse).status == "duplicate"


def test_only_the_units_own_clerk_or_an_admin_may_declare(marts_ward_copy):
    warehouse = marts_ward_copy()
    other_clerk = User("cap.vanthu", "unit", "CAP", None)
    leader = User("leader", "leader", None, None)
    for account in (other_clerk, leader):
        with pytest.raises(NotAllowed, match="chỉ văn thư của chính đơn vị đó hoặc quản trị viên"):
            declare(warehouse, account=account)
    assert november_violations(warehouse)[3] == "provisional"  # nothing was stored
    assert declare(warehouse, account=User("ktht", "unit", "KTHT", None)).status == "loaded"
    # A month the unit already sent rows for cannot be declared empty.
    refused = declare(warehouse, unit="CAP", account=User("admin", "admin", None, None))
    assert refused.status == "refused" and "đã gửi số liệu" in refused.reason


def test_a_header_only_file_needs_its_month(marts_ward_copy):
    warehouse = marts_ward_copy()
    header = csv_bytes(fixture_rows("violations").clear())
    options = dict(feed="violations", unit_code="KTHT", file_name="ktht-thang11.csv", today=TODAY)
    refused = ingest(warehouse, header, **options)
    assert refused.status == "refused"
    assert "chỉ có dòng tiêu đề" in refused.reason and "--month YYYY-MM" in refused.reason
    loaded = ingest(warehouse, header, report_month=NOVEMBER, **options)
    assert (loaded.status, loaded.nothing_to_report) == ("loaded", True)
    assert november_violations(warehouse)[3] == "complete"


def test_cli_nothing_to_report(marts_ward_copy, monkeypatch, capsys):
    warehouse = marts_ward_copy()
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    code = main(["ingest", "--nothing-to-report", "--feed", "violations", "--unit", "KTHT"])
    assert code == 2 and "--month" in capsys.readouterr().err
    args = ["ingest", "--nothing-to-report", "--feed", "violations", "--unit", "ktht", "--month", "2026-11"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Không có số liệu phát sinh" in out and "tháng 11/2026" in out
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "duplicate"


def test_evaluate_marks_provisional_figures_and_lists_unranked_groups(marts_ward_copy, monkeypatch, capsys):
    warehouse = marts_ward_copy()
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    assert main(["evaluate", "--evaluation", "conference-2026"]) == 0
    out = capsys.readouterr().out
    # 5 of 6 violations reports, 5 of 6 cleanups, 3/3 sorting, 3/3 lights: 16 of 18 in the window.
    assert "Mới nhận 16/18 báo cáo của các đơn vị" in out
    assert "tạm tính (5/6 báo cáo)" in out
    assert "Chưa xếp hạng (1 tổ):" in out
    assert "TDP03 Tổ dân phố số 3: «Tỷ lệ đèn sửa đúng hạn»: chưa đủ dữ liệu" in out
    assert "Đạt" not in out.split("Chưa xếp hạng")[0].replace("Đạt chỉ tiêu", "")


def test_a_missing_due_report_holds_back_every_group_with_its_name(marts_ward_copy):
    warehouse = marts_ward_copy()
    # Cleanups weighted: DTN's September cleanups (due 05/10) never came.
    settings = SETTINGS.replace(
        "[indicators.cleanup_events]\nweight = 0", "[indicators.cleanup_events]\nweight = 10"
    )
    (warehouse.home / "settings.toml").write_text(settings, encoding="utf-8")
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)
    rows = read(
        warehouse,
        "SELECT group_code, ranked, unranked_reason_vi FROM league_table WHERE evaluation = 'conference-2026'",
    )
    assert all(not ranked for _, ranked, _ in rows)
    reasons = {code: reason for code, _, reason in rows}
    assert "Thiếu 1/4 báo cáo «Ra quân vệ sinh môi trường» đã đến hạn (DTN tháng 09/2026)" in reasons["TDP01"]


def test_inspection_coverage_never_passes_100_percent(marts_ward_copy):
    warehouse = marts_ward_copy()
    # MTDT inspects TDP03 (100 households) again on 20/11: 100 more checked, 120 in November.
    rows = fixture_rows("sorting_inspections").head(1)
    rows = rows.with_columns(
        inspection_id=pl.lit("S06"),
        inspected_on=pl.lit("2026-11-20"),
        group_code=pl.lit("TDP03"),
        households_checked=pl.lit("100"),
        households_compliant=pl.lit("90"),
    )
    result = ingest(
        warehouse,
        csv_bytes(rows),
        feed="sorting_inspections",
        unit_code="MTDT",
        file_name="s06.csv",
        today=TODAY,
    )
    assert result.status == "loaded", result.to_json()
    # November: min(120, 100) / 100 = 100 % (not 120 %); window (0 + 0 + 100) / 3 months = 33,33 %.
    got = dict(
        read(
            warehouse,
            "SELECT period_key, value FROM indicator_values WHERE indicator_id = 'inspection_coverage' "
            "AND group_code = 'TDP03' AND period_key IN ('2026-11', 'conference-2026')",
        )
    )
    assert got["2026-11"] == pytest.approx(100.0)
    assert got["conference-2026"] == pytest.approx(100 / 3)
    highest = read(
        warehouse, "SELECT max(value) FROM indicator_values WHERE indicator_id = 'inspection_coverage'"
    )
    assert highest[0][0] <= 100.0
