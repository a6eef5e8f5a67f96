"""The marts against a hand-made ward whose every figure is worked out by hand below.

THE FIXTURE WARD (tests/fixtures/marts/), as of 29/11/2026 (a Sunday)
=====================================================================

Settings (settings.toml): campaign start 01/09/2026; repair deadline 3 days;
old open fault 7 days; reports due on the 5th. Weights: violations per 1,000
residents 30, share resolved 20, sorting compliance 30, lights on time 20.
Yearly targets chosen so prorating is easy: 36,5/yr × 30/365 = 3,0 for
September, × 31/365 = 3,1 for October, × 29/365 = 2,9 for November (to the
29th), × 90/365 = 9,0 for 01/09 - 29/11. Levels (shares, median) apply as
they are. Count targets are per group; the ward's is 3 × that.

    group  households population
    TDP01     150        500     (per 1,000: × 2; per 100: ÷ 5)
    TDP02     250      1.000     (per 1,000: × 1; per 100: ÷ 10)
    TDP03     100        500
    ward      500      2.000     (per 1,000: × 0,5; per 100: ÷ 20)

Periods: months 2026-09, 2026-10, 2026-11 (to the 29th); Q3 (data from
01/09), Q4; year 2026 (from 01/09); evaluations conference-2026, one-year,
end-of-period all count 01/09 - 29/11 (90 days, 13 Saturdays: 4 + 5 + 4).

VIOLATIONS (CAP, KTHT) — count / resolved / repeats (same group and address,
ignoring case, spaces and diacritics, within 90 days after an earlier one)

    group  Sep      Oct      Nov      total
    TDP01  2/2/1    2/2/1    2/1/1    6/5/3   V02 repeats V01 ("12 to hieu" = "12 Tô Hiệu"),
                                              V04 repeats V02 ("12 Tô  Hiệu"), V06 repeats V03
    TDP02  2/1/0    3/2/1    3/1/1    8/4/2   V10 repeats V07, V12 repeats V09 ("7 Tô Hiệu" ≠ "12 Tô Hiệu")
    TDP03  1/1/0    1/1/0    1/1/1    3/3/1   V15 at "12 Tô Hiệu" is another group: not a repeat
    ward   5/4/1    6/5/2    6/3/3   17/12/6

  per 1,000 residents: Sep 4 / 2 / 2 / 2,5; Oct 4 / 3 / 2 / 3; Nov 4 / 3 / 2 / 3;
    window 12 / 8 / 6 / 8,5 (target 9: TDP01 misses by 3, lower is better).
  share resolved: Sep 100 / 50 / 100 / 80; Oct 100 / 66,67 / 100 / 83,33;
    Nov 50 / 33,33 / 100 / 50; window 83,33 / 50 / 100 / 12/17 = 70,59.
  by category (window): TDP01 sidewalk 3, littering 1, advertising 1, public order 1;
    TDP02 one each of roadway, waste sorting, food, construction, sidewalk, fire, littering, other;
    TDP03 advertising, public order, littering; ward sidewalk 4, littering 3, advertising 2,
    public order 2, the six others 1 (no category targets: target, gap, on_track empty).

CLEANUPS (MTDT, DTN) — events / Saturdays with a "Ngày thứ 7 cùng dân" /
participants / waste kg / events with a weight

    TDP01 Sep 2/2/55/90/2   Oct 2/1/35/100/1  Nov 3/2/65/90/2   total 7/5/155/280/5
          (C04 is a general clean-up on a Saturday: not counted; C06 and C07 share 14/11: one Saturday)
    TDP02 Sep 2/1/60/100/2  Oct 2/1/75/220/2  Nov 1/1/45/90/1   total 5/3/180/410/5
          (C09 is a "Ngày thứ 7" held on Wednesday 23/09: an event, not a Saturday)
    TDP03 Sep 0             Oct 0             Nov 1/0/12/0/0    total 1/0/12/0/0
    ward  Sep 4/3/115/190/4 Oct 4/2/110/320/3 Nov 5/3/122/180/3 total 13/8/347/690/10

  Saturday share = Saturdays with an event / Saturdays (ward: × 3 groups):
    Sep 2/4 = 50, 1/4 = 25, 0, 3/12 = 25; Oct 1/5 = 20, 20, 0, 2/15 = 13,33;
    Nov 50, 25, 0, 25; window 5/13 = 38,46, 3/13 = 23,08, 0, 8/39 = 20,51.
  participants per 100: Sep 11, 6, 0, 5,75; Oct 7, 7,5, 0, 5,5; Nov 13, 4,5, 2,4, 6,1;
    window 31, 18, 2,4, 17,35 (target 18).

SORTING INSPECTIONS (MTDT; none for September: MTDT declared «Không có số liệu phát sinh» for it,
a header-only file sent with its month on 08/10, so September is 0/0 — compliance null with reason
zero_denominator, coverage 0 — instead of no_data)

    TDP01 Oct 16/20   Nov 14/20   total 30/40   compliance 80 / 70 / 75
    TDP02 Oct 10/25   Nov 15/25   total 25/50   compliance 40 / 60 / 50
    TDP03 Oct  -      Nov 18/20   total 18/20   compliance (0/0: null) / 90 / 90
    ward  Oct 26/45   Nov 47/65   total 73/110  compliance 57,78 / 72,31 / 66,36
  coverage (issue 9: never above 100 %) = per month min(checked, households) / households, averaged
    over the months of the period; numerator Σ months min(checked, households), denominator
    households × months; target 10 (a level now, not prorated):
    Sep 0 / 0 / 0 / 0 (declared nothing: 0 of 150, 250, 100, 500);
    Oct 20/150 = 13,33, 25/250 = 10, 0/100 = 0, ward 45/500 = 9 (on track: TDP01, TDP02 only);
    Nov 13,33 / 10 / 20 / 13 (all on track);
    window (3 months): 40/450 = 8,89, 50/750 = 6,67, 20/300 = 6,67, ward 110/1.500 = 7,33 — the old
    formula (checked / households over the window) gave 26,67 / 20 / 20 / 22 and could pass 100 %.

LIGHTING REPAIRS (TTBT; deadline 3 days, old fault > 7 days; L09 cancelled is left out)

    TDP01 L01 02/09→04/09 (2, on time)  L12 15/09→03/10 (18, late; sent open in the September
          file, corrected in October's: counted once)  L02 01/10→08/10 (7, late)
          L03 10/11→12/11 (2, on time)  L04 27/11 open, 2 days old: not yet due, not judged
    TDP02 L05 05/09→06/09 (1)  L06 20/09→23/09 (3 = deadline: on time)  L07 10/10→12/10 (2)
          L08 01/11 open, 28 days: late (open overdue) and an old open fault
    TDP03 L10 05/10→06/10 (1)  L11 20/11 open, 9 days: late and an old open fault

  on time / (on time + late + open overdue):
    Sep 1/2 = 50, 2/2 = 100, (0/0 null), 3/4 = 75
    Oct 0/1 = 0, 1/1 = 100, 1/1 = 100, 2/3 = 66,67
    Nov 1/1 = 100, 0/1 = 0, 0/1 = 0, 1/3 = 33,33
    window 2/4 = 50, 3/4 = 75 (not 3/3: L08 counts as late), 1/2 = 50, 6/10 = 60
  median days to repair: Sep 10 (2, 18), 2 (1, 3), null, 2,5 (1, 2, 3, 18); Oct 7, 2, 1, 2;
    Nov 2, null, null, 2; window 4,5 (2, 2, 7, 18), 2, 1, 2 (1, 1, 2, 2, 2, 3, 7, 18).
  open faults older than 7 days at the period's end: Sep: L12 (open at 30/09, 15 days) → 1, 0, 0, 1;
    Oct 0; Nov and window: L08, L11 → 0, 1, 1, 2.

THE PLAN'S OTHER FRONTS (issue 12, item 3; weight 0, so the league below does not move). On today's
feeds: waterway clean-ups (C10, TDP02, October: 1; target 4/yr prorated, the ward's 3 × that),
trees planted (C13, TDP03, November: 20; target 20/yr), landscape drives (none: 0 wherever cleanups
were held), damaged poles (L02, TDP01, October: 1; target 2/yr, lower is better; sample = tickets not
cancelled: 5 for TDP01, 11 for the ward), market sorting (no inspection by the markets board BQLDA: 0/0, reason
zero_denominator). The six new feeds (cultural evaluations, street models, ad removals,
infrastructure works, safety inspections, propaganda events) are sent by nobody here: every row of
their indicators is «no data» (reason and data_status no_data), targets still shown.

DATA STATUS (issue 9): a figure is complete only when every expected unit report of its period is
in (units × months; every unit's feed covers every group, so groups and ward share one status);
on_track is null otherwise. reporting_share = received / expected:
    violations (CAP, KTHT): Sep 2/2 (KTHT declared nothing on 04/10), Oct 2/2, Nov 1/2 → Nov
        provisional, on_track null; window 5/6 = 0,8333 provisional.
    cleanups (MTDT, DTN): Sep 1/2 (DTN missing) provisional; Oct 2/2, Nov 2/2; window 5/6 provisional.
    sorting (MTDT): Sep 1/1 (the declaration), Oct 1/1, Nov 1/1, window 3/3: complete.
    lighting (TTBT): 1/1 each month, window 3/3: complete.

LEAGUE TABLE (conference-2026; the same data for one-year and end-of-period)
Score 50 at the target, 100 at the best group, 0 at the worst (direction respected):
  per 1,000 (lower better, target 9, best 6, worst 12):
    TDP01 12 > 9: 50 × (12 − 12)/(12 − 9) = 0; TDP02 8: 50 + 50 × (9 − 8)/(9 − 6) = 66,67; TDP03 6: 100
  resolved (target 80, best 100, worst 50):
    TDP01 83,33: 50 + 50 × 3,33/20 = 58,33; TDP02 50: 0; TDP03 100: 100
  sorting compliance (target 60, best 90, worst 50): TDP01 75: 50 + 50 × 15/30 = 75; TDP02 0; TDP03 100
  lights on time (target 80, min 3 judged tickets): TDP03 has 2 → "chưa đủ dữ liệu";
    among TDP01 50 and TDP02 75 (best 75, worst 50, both below 80): TDP01 0, TDP02 50 × 25/30 = 41,67
  composite: TDP01 (0×30 + 58,33×20 + 75×30 + 0×20)/100 = 34,17 → 2nd, Cần cố gắng
             TDP02 (66,67×30 + 0 + 0 + 41,67×20)/100 = 28,33 → 3rd, Cần cố gắng
             TDP03 (100×30 + 100×20 + 100×30)/80 = 100 — but the ranking rule (settings [league]:
               rank_requires_all_weighted) ranks only groups scored on every weighted indicator, and
               TDP03's lights on time has 2 judged tickets (< 3): «chưa xếp hạng», with that reason.
  ranks: TDP01 1st, TDP02 2nd; TDP03 unranked. The due reports of the weighted feeds are all in
  (violations Sep, Oct: 4/4 with KTHT's declaration; sorting 2/2; lighting 2/2; November is not due),
  so no group is held back by a missing report (rank_requires_reports = "due").

REPORTING COMPLETENESS (due the 5th of the next month; November not due yet)

    unit/feed       Sep                     Oct                    Nov
    CAP viol.       03/10: 3 d, on time     05/11: 5 d, on time    28/11: −2 d, on time
    KTHT viol.      04/10: nothing to report, 12/11: 12 d, late  not due, nothing yet
                    4 d, on time
    MTDT cleanups   05/10: 5 d, on time     04/11: 4 d, on time    29/11: −1 d
    MTDT sorting    08/10: nothing to      06/11: 6 d, late       25/11: −5 d
                    report, 8 d, late
    DTN cleanups    missing                 02/11: 2 d, on time    20/11: −10 d
    TTBT lighting   01/10: 1 d, on time     03/11: 3 d, on time    27/11: −3 d
                    (2 files: October's re-sends L12 of 15/09)
  conference window: 12 reports due (Sep, Oct × 6), 11 received = 91,67% (the two declarations
    count as received), 8 on time = 66,67% (KTHT's declaration on time, MTDT's late);
    5 received before they were due (November).
"""

from __future__ import annotations

import polars as pl
import pytest
from marts_ward import (
    FIXTURE_SETTINGS,
    TOL,
    expected,
    league,
    read,
    refreshed,
)
from polars.testing import assert_frame_equal

from warehouse import evaluation as ev
from warehouse import indicators as ind

VALUE_SCHEMA = {
    "period_key": pl.String,
    "scope": pl.String,
    "group_code": pl.String,
    "indicator_id": pl.String,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "sample_size": pl.Float64,
    "value": pl.Float64,
    "target": pl.Float64,
    "gap_to_target": pl.Float64,
    "on_track": pl.Boolean,
    "reason": pl.String,
    "data_status": pl.String,
    "reporting_share": pl.Float64,
}
KEYS = ["period_key", "scope", "group_code", "indicator_id"]


def test_indicator_values_match_the_hand_worked_figures(marts_ward):
    want = expected("expected_indicator_values.csv", VALUE_SCHEMA).sort(KEYS, nulls_last=True)
    got = read(
        marts_ward,
        f"SELECT {', '.join(VALUE_SCHEMA)} FROM indicator_values "
        "WHERE period_key IN ('2026-09', '2026-10', '2026-11') "
        "   AND indicator_id NOT IN (SELECT indicator_id FROM indicators WHERE category IS NOT NULL) "
        "   OR period_key = 'conference-2026'",
    ).sort(KEYS, nulls_last=True)
    assert_frame_equal(got, want, **TOL)


def test_quarters_years_and_windows_add_up_from_the_months(marts_ward):
    # Q3 counts September only (the campaign starts 01/09); Q4 is October + November; the year
    # 2026 and the three evaluation windows all count 01/09 - 29/11, so they equal the
    # conference window figure for figure (targets too: same 90 days, all in 2026).
    frame = read(
        marts_ward,
        "SELECT period_key, scope, group_code, indicator_id, numerator, denominator, value, target, reason "
        "FROM indicator_values",
    )

    def period(key: str) -> pl.DataFrame:
        return frame.filter(pl.col("period_key") == key).drop("period_key").sort(KEYS[1:], nulls_last=True)

    for key in ("2026", "one-year", "end-of-period"):
        assert_frame_equal(period(key), period("conference-2026"), **TOL)
    q3 = period("2026-Q3").select("numerator", "denominator", "value", "reason")
    assert_frame_equal(q3, period("2026-09").select("numerator", "denominator", "value", "reason"), **TOL)
    counts = ["violations_per_1000_residents", "cleanup_events", "waste_collected_kg"]
    q4 = period("2026-Q4").filter(pl.col("indicator_id").is_in(counts))["numerator"]
    october = period("2026-10").filter(pl.col("indicator_id").is_in(counts))["numerator"]
    november = period("2026-11").filter(pl.col("indicator_id").is_in(counts))["numerator"]
    assert (q4 == october + november).all()
    # Q4 target for violations per 1,000: 36,5 × 60/365 = 6.
    q4_target = period("2026-Q4").filter(pl.col("indicator_id") == "violations_per_1000_residents")["target"]
    assert q4_target.to_list() == pytest.approx([6.0] * 4)


def test_reporting_completeness_matches_the_hand_worked_cells(marts_ward):
    schema = {
        "unit_code": pl.String,
        "feed": pl.String,
        "month_key": pl.String,
        "due_date": pl.Date,
        "is_due": pl.Boolean,
        "received": pl.Boolean,
        "files": pl.Int64,
        "days_after_month_end": pl.Int64,
        "on_time": pl.Boolean,
        "status": pl.String,
        "nothing_to_report": pl.Boolean,
    }
    want = expected("expected_completeness.csv", schema)
    got = read(
        marts_ward,
        f"SELECT {', '.join(schema)} FROM reporting_completeness ORDER BY unit_code, feed, month_key",
    ).with_columns(pl.col("files", "days_after_month_end").cast(pl.Int64))
    assert_frame_equal(got, want, **TOL)


def test_reporting_summary_shares_of_expected_reports(marts_ward):
    schema = {
        "period_key": pl.String,
        "level": pl.String,
        "unit_code": pl.String,
        "feed": pl.String,
        "expected": pl.Int64,
        "received": pl.Int64,
        "on_time": pl.Int64,
        "received_not_yet_due": pl.Int64,
        "received_share": pl.Float64,
        "on_time_share": pl.Float64,
    }
    want = expected("expected_reporting_summary.csv", schema)
    got = read(
        marts_ward,
        f"SELECT {', '.join(schema)} FROM reporting_summary "
        "WHERE (period_key = 'conference-2026' AND level IN ('ward', 'unit')) "
        "   OR (period_key = '2026-11' AND level = 'ward') "
        "ORDER BY period_key DESC, level DESC, unit_code NULLS FIRST",
    ).with_columns(pl.col("expected", "received", "on_time", "received_not_yet_due").cast(pl.Int64))
    assert_frame_equal(got, want, **TOL)
    reason = read(
        marts_ward, "SELECT reason_vi FROM reporting_summary WHERE period_key = '2026-11' AND level = 'ward'"
    )
    assert reason.item() == "Chưa có báo cáo nào đến hạn trong kỳ"


def test_league_components_and_ranks_match_the_hand_worked_scores(marts_ward):
    component_schema = {
        "evaluation": pl.String,
        "group_code": pl.String,
        "indicator_id": pl.String,
        "raw_value": pl.Float64,
        "target": pl.Float64,
        "best_value": pl.Float64,
        "worst_value": pl.Float64,
        "component_score": pl.Float64,
        "weight": pl.Float64,
        "status": pl.String,
    }
    got = read(
        marts_ward,
        f"SELECT {', '.join(component_schema)} FROM league_components "
        "WHERE evaluation = 'conference-2026' ORDER BY group_code, indicator_order",
    )
    assert_frame_equal(got, expected("expected_components.csv", component_schema), **TOL)
    table_schema = {
        "evaluation": pl.String,
        "rank": pl.Int64,
        "group_code": pl.String,
        "score": pl.Float64,
        "tier": pl.String,
        "ranked": pl.Boolean,
        "indicators_scored": pl.Int64,
        "indicators_insufficient": pl.Int64,
        "weight_scored": pl.Float64,
        "weight_total": pl.Float64,
        "unranked_reason_vi": pl.String,
    }
    got = read(
        marts_ward,
        f"SELECT {', '.join(table_schema)} FROM league_table WHERE evaluation = 'conference-2026' "
        "ORDER BY rank NULLS LAST",
    ).with_columns(pl.col("rank", "indicators_scored", "indicators_insufficient").cast(pl.Int64))
    assert_frame_equal(got, expected("expected_league.csv", table_schema), **TOL)
    # Same data in every window: the same ranking for the one-year and end-of-period evaluations.
    assert league(marts_ward, "one-year") == league(marts_ward, "end-of-period") == league(marts_ward)


def test_every_rank_is_explained_by_its_components(marts_ward):
    with marts_ward.reading() as con:
        rows = ev.league_json(con, "conference-2026")
    for row in rows:
        scored = [comp for comp in row["components"] if comp["status"] == "scored"]
        total = sum(comp["weight"] for comp in scored)
        recomputed = sum(comp["weight"] * comp["scaled_score"] for comp in scored) / total
        assert row["score"] == pytest.approx(recomputed)
    tdp03 = next(r for r in rows if r["group_code"] == "TDP03")
    lights = next(comp for comp in tdp03["components"] if comp["indicator_id"] == "lighting_on_time_share")
    assert (lights["status"], lights["scaled_score"], lights["raw_value"]) == (
        "insufficient_data",
        None,
        50.0,
    )


# -- behaviour a user notices ---------------------------------------------------------------------


def test_a_period_without_data_says_so_instead_of_zero(marts_ward_copy):
    warehouse = marts_ward_copy()
    # September's sorting: MTDT declared nothing to report, so 0/0 is "not computable", not "no data".
    sept = read(
        warehouse,
        "SELECT value, reason, data_status FROM indicator_values "
        "WHERE period_key = '2026-09' AND indicator_id = 'sorting_compliance_rate' AND scope = 'ward'",
    ).row(0)
    assert sept == (None, "zero_denominator", "complete")
    # A campaign started in August: no file covers August, so its figures are empty with the reason.
    refreshed(warehouse, FIXTURE_SETTINGS.replace("start = 2026-09-01", "start = 2026-08-01"))
    aug = read(
        warehouse,
        "SELECT group_name, value, reason, reason_vi, data_status, on_track FROM indicator_values "
        "WHERE period_key = '2026-08' AND indicator_id = 'sorting_compliance_rate' AND scope = 'ward'",
    ).row(0, named=True)
    assert aug["value"] is None and aug["reason"] == "no_data" and aug["data_status"] == "no_data"
    assert aug["reason_vi"] == "Chưa có tệp số liệu «Kiểm tra phân loại rác tại nguồn» nào cho kỳ này"
    assert aug["on_track"] is None
    refreshed(warehouse, FIXTURE_SETTINGS)
    # A group with no inspection in a month that has a file: not computable, not 0 %.
    tdp03 = read(
        warehouse,
        "SELECT value, reason_vi FROM indicator_values "
        "WHERE period_key = '2026-10' AND indicator_id = 'sorting_compliance_rate' AND group_code = 'TDP03'",
    ).row(0)
    assert tdp03 == (None, "Không tính được: mẫu số (tổng số hộ được kiểm tra) bằng 0")
    # An evaluation the ward adds for 2027 has not started: every value null, its target shown.
    refreshed(
        warehouse,
        FIXTURE_SETTINGS
        + '\n[evaluations.year-2027]\nlabel = "Năm 2027"\nstart = 2027-01-01\nend = 2027-12-31\n',
    )
    future = read(
        warehouse,
        "SELECT count(*) AS n, count(value) AS with_value, min(reason) AS reason, min(reason_vi) AS reason_vi "
        "FROM indicator_values WHERE period_key = 'year-2027'",
    ).row(0, named=True)
    assert future == {
        "n": 4 * len(ind.INDICATORS),
        "with_value": 0,
        "reason": "not_started",
        "reason_vi": "Kỳ chưa bắt đầu (từ 01/01/2027)",
    }
    # 36,5 a year for the whole of 2027 (the 2026 target carried forward).
    target = read(
        warehouse,
        "SELECT target FROM indicator_values WHERE period_key = 'year-2027' AND scope = 'ward' "
        "AND indicator_id = 'violations_per_1000_residents'",
    ).item()
    assert target == pytest.approx(36.5)
    assert [row[1] for row in league(warehouse, "year-2027")] == [None, None, None]


# -- SQL access and data dictionary ---------------------------------------------------------------


def test_every_mart_and_column_has_a_bilingual_comment(marts_ward):
    with marts_ward.reading() as con:
        tables = con.sql(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts' "
            "UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal "
            "AND view_name IN ('indicator_values', 'league_table', 'league_components', 'reporting_completeness', "
            "'reporting_summary', 'evaluation_snapshots', 'evaluation_changes', 'evaluation_indicator_changes', "
            "'indicators', 'periods', 'evaluation_windows')"
        ).fetchall()
        columns = con.sql(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts' "
            "OR (schema_name = 'main' AND table_name IN (SELECT view_name FROM duckdb_views() "
            "WHERE view_name LIKE 'evaluation%' OR view_name IN ('indicator_values', 'league_table')))"
        ).fetchall()
    assert len(tables) >= 20
    missing = [name for name, comment in tables if not comment or " / " not in comment]
    assert not missing, f"marts without a Vietnamese / English comment: {missing}"
    missing = [f"{t}.{col}" for t, col, comment in columns if not comment or " / " not in comment]
    assert not missing, f"columns without a Vietnamese / English comment: {missing}"


def test_dothixanh_sql_reads_every_mart(marts_ward):
    from warehouse.query import run_readonly

    with marts_ward.reading() as con:
        names = [
            r[0]
            for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()
        ]
    query = " UNION ALL ".join(f"SELECT '{name}' AS mart, count(*) AS n FROM marts.{name}" for name in names)
    query += " UNION ALL SELECT 'league_table (main)', count(*) FROM league_table"
    frame, _ = run_readonly(marts_ward, query)
    counts = dict(frame.rows())
    assert counts["indicator_values"] == 9 * 4 * len(ind.INDICATORS)  # 9 periods × (3 groups + ward)
    assert counts["league_table (main)"] == 9  # 3 evaluations × 3 groups
    assert set(counts) >= {"reporting_completeness", "league_components", "evaluation_snapshots", "measures"}


def test_the_ward_figure_comes_from_the_ward_totals_not_an_average_of_groups(marts_ward):
    rows = dict(
        read(
            marts_ward,
            "SELECT coalesce(group_code, 'ward'), value FROM indicator_values "
            "WHERE period_key = 'conference-2026' AND indicator_id = 'violations_resolved_share'",
        ).rows()
    )
    # 12 resolved of 17 = 70,59 %, not the mean of 83,33, 50 and 100 (77,78 %).
    assert rows["ward"] == pytest.approx(100 * 12 / 17)
    assert rows["ward"] != pytest.approx((rows["TDP01"] + rows["TDP02"] + rows["TDP03"]) / 3)
