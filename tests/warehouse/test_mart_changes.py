"""The fixture ward's marts as it changes: corrections, weights, missing data, snapshots, files sent again.

The ward and its hand-worked figures are described in test_marts.py.
"""

from __future__ import annotations

import polars as pl
import pytest
from marts_ward import (
    FIXTURE_SETTINGS,
    TODAY,
    csv_bytes,
    fixture_rows,
    fixture_uploads,
    league,
    read,
    refreshed,
    resend,
)
from polars.testing import assert_frame_equal

from pipelines.ingest import ingest
from warehouse import evaluation as ev
from warehouse.refresh import refresh_marts


def test_a_correction_moves_counts_and_changes_a_rank(marts_ward_copy):
    warehouse = marts_ward_copy()
    assert [row[0] for row in league(warehouse)] == ["TDP01", "TDP02", "TDP03"]  # TDP03 unranked
    # MTDT re-sends inspection S04 (TDP02, 12/11): 25 of 25 households sorted correctly, not 15.
    resend(warehouse, "sorting_inspections", "S04", households_compliant="25")
    row = read(
        warehouse,
        "SELECT numerator, denominator, value FROM indicator_values WHERE period_key = 'conference-2026' "
        "AND indicator_id = 'sorting_compliance_rate' AND group_code = 'TDP02'",
    ).row(0)
    # (10 + 25) / 50 = 70 %: the checked households are not doubled by the re-sent row.
    assert row == (35.0, 50.0, 70.0)
    # Compliance now: TDP01 75 → 50 + 50 × 15/30 = 75; TDP02 70 → 50 + 50 × 10/30 = 66,67 (worst is 70).
    # TDP02 = (66,67×30 + 0×20 + 66,67×30 + 41,67×20)/100 = 48,33 > TDP01's 34,17.
    assert league(warehouse) == [
        ("TDP02", 1, 48.3333, "Cần cố gắng"),
        ("TDP01", 2, 34.1667, "Cần cố gắng"),
        ("TDP03", None, 100.0, "Chưa xếp hạng"),  # lights on time: 2 judged tickets, 3 needed
    ]


def test_on_time_share_counts_open_overdue_faults_as_late(marts_ward_copy):
    warehouse = marts_ward_copy()

    def lights(group: str) -> tuple:
        return read(
            warehouse,
            "SELECT numerator, denominator, value FROM indicator_values WHERE period_key = 'conference-2026' "
            "AND indicator_id = 'lighting_on_time_share' AND group_code = ?",
            [group],
        ).row(0)

    # TDP02: 3 repaired on time, L08 open 28 days: 3 / (3 + 0 + 1) = 75 %, not 3/3.
    assert lights("TDP02") == (3.0, 4.0, 75.0)
    # TDP01: L04 open 2 days is not yet due: it is left out, neither late nor on time.
    assert lights("TDP01") == (2.0, 4.0, 50.0)
    # L08 repaired on 28/11, 27 days after: still late, now as a late repair; no longer an old fault.
    resend(warehouse, "lighting_repairs", "L08", repaired_on="2026-11-28", status="repaired")
    assert lights("TDP02") == (3.0, 4.0, 75.0)
    open_old = read(
        warehouse,
        "SELECT value FROM indicator_values WHERE period_key = 'conference-2026' "
        "AND indicator_id = 'lighting_open_faults_over_threshold' AND group_code = 'TDP02'",
    ).item()
    assert open_old == 0


def test_a_group_with_too_little_data_is_not_ranked_as_if_it_scored_zero(marts_ward_copy):
    warehouse = marts_ward_copy()
    status = read(
        warehouse,
        "SELECT status_vi FROM league_components WHERE evaluation = 'conference-2026' "
        "AND group_code = 'TDP03' AND indicator_id = 'lighting_on_time_share'",
    ).item()
    assert status == "Chưa đủ dữ liệu (số phiếu đã đến hạn: 2, cần ít nhất 3)"
    # Demand 25 households checked (TDP03 has 20) and 60 % of the weight to be ranked:
    # TDP03 keeps 50 of 100 and drops out of the ranking instead of sinking to the bottom.
    settings = FIXTURE_SETTINGS.replace("min_weight_share = 0.5", "min_weight_share = 0.6").replace(
        "weight = 30\nmin_sample = 20", "weight = 30\nmin_sample = 25"
    )
    refreshed(warehouse, settings)
    table = read(
        warehouse,
        "SELECT group_code, rank, score, tier, ranked, note_vi FROM league_table "
        "WHERE evaluation = 'conference-2026' ORDER BY rank NULLS LAST",
    )
    assert table["group_code"].to_list() == ["TDP01", "TDP02", "TDP03"]
    assert table["rank"].to_list() == [1, 2, None]
    tdp03 = table.row(2, named=True)
    assert tdp03["tier"] == "Chưa xếp hạng" and not tdp03["ranked"]
    assert tdp03["score"] == pytest.approx(100.0)  # what it has is good; it is just not enough
    assert "50.0% tổng trọng số" in tdp03["note_vi"]


def test_weights_in_the_settings_file_change_the_ranking(marts_ward_copy):
    warehouse = marts_ward_copy()
    assert [row[0] for row in league(warehouse)] == ["TDP01", "TDP02", "TDP03"]
    # Only violations per 1,000 (50) and lights on time (50):
    # TDP01 (0×50 + 0×50)/100 = 0; TDP02 (66,67×50 + 41,67×50)/100 = 54,17;
    # TDP03 100×50/50 = 100, but lights on time is not scored for it: not ranked.
    settings = (
        FIXTURE_SETTINGS.replace("weight = 30", "weight = 50", 1)
        .replace(
            "[indicators.violations_resolved_share]\nweight = 20",
            "[indicators.violations_resolved_share]\nweight = 0",
        )
        .replace(
            "[indicators.sorting_compliance_rate]\nweight = 30",
            "[indicators.sorting_compliance_rate]\nweight = 0",
        )
        .replace(
            "[indicators.lighting_on_time_share]\nweight = 20",
            "[indicators.lighting_on_time_share]\nweight = 50",
        )
    )
    refreshed(warehouse, settings)
    assert league(warehouse) == [
        ("TDP02", 1, 54.1667, "Khá"),
        ("TDP01", 2, 0.0, "Cần cố gắng"),
        ("TDP03", None, 100.0, "Chưa xếp hạng"),
    ]
    # The old rule (50 % of the weight scored is enough) is one setting away.
    refreshed(warehouse, settings.replace("[league]\n", "[league]\nrank_requires_all_weighted = false\n"))
    assert league(warehouse)[0] == ("TDP03", 1, 100.0, "Xuất sắc")


def test_a_frozen_snapshot_is_unchanged_by_a_later_correction(marts_ward_copy):
    warehouse = marts_ward_copy()
    with warehouse.writing() as con:
        snap = ev.freeze(
            con, "conference-2026", frozen_by="Phòng KT-HT-ĐT", role="leader", note="Số liệu trình hội nghị"
        )
    with warehouse.reading() as con:
        before = ev.league_json(con, "conference-2026", snap.snapshot_id)
        stored_settings = con.sql(
            "SELECT settings_toml, settings_sha256 FROM evaluation_snapshots WHERE snapshot_id = ?",
            params=[snap.snapshot_id],
        ).fetchall()[0]
    assert stored_settings[0] == FIXTURE_SETTINGS
    resend(warehouse, "sorting_inspections", "S04", households_compliant="25")
    with warehouse.reading() as con:
        assert ev.league_json(con, "conference-2026", snap.snapshot_id) == before
        assert ev.verify(con, "conference-2026", snap.snapshot_id)
        assert [r["group_code"] for r in before] == ["TDP01", "TDP02", "TDP03"]
        assert [r["group_code"] for r in ev.league_json(con, "conference-2026")] == [
            "TDP02",
            "TDP01",
            "TDP03",
        ]
        changes = ev.changes_since(con, "conference-2026")
        frozen_values = con.sql(
            "SELECT frozen_value, live_value FROM evaluation_indicator_changes WHERE changed "
            "AND indicator_id = 'sorting_compliance_rate' AND group_code = 'TDP02'"
        ).fetchall()
    assert changes.select("group_code", "frozen_rank", "live_rank").sort("group_code").rows() == [
        ("TDP01", 1, 2),
        ("TDP02", 2, 1),
    ]
    assert frozen_values == [(50.0, 70.0)]


def test_sending_the_same_files_again_changes_nothing(marts_ward_copy):
    warehouse = marts_ward_copy()
    before = read(warehouse, "SELECT * FROM indicator_values ORDER BY ALL")
    upload = fixture_uploads()[0]
    sent_by = {"feed": upload.feed, "unit_code": upload.unit_code}
    result = ingest(warehouse, upload.data, **sent_by, received_at=upload.received_at, today=TODAY)
    assert result.status == "duplicate"
    with warehouse.writing() as con:  # a refresh from unchanged data gives the same marts
        refresh_marts(con, warehouse.home, today=TODAY)
    assert_frame_equal(read(warehouse, "SELECT * FROM indicator_values ORDER BY ALL"), before)


def test_corrections_that_move_an_address_move_the_repeats(marts_ward_copy):
    warehouse = marts_ward_copy()
    # V03 (TDP01, 08/10) was at "5 Hai Bà Trưng": moved to "99 Cát Dài", V06 (20/11, "5 Hai Bà
    # Trưng") is no longer a repeat. V11 (TDP02, 28/10) is re-sent as TDP01, "99 cat dai": now a
    # repeat of V03 (20 days). TDP01: V02, V04, V11 = 3 repeats; TDP02: V10, V12 = 2.
    resend(warehouse, "violations", "V03", address="99 Cát Dài")
    rows = fixture_rows("violations").filter(pl.col("record_id") == "V11")
    rows = rows.with_columns(group_code=pl.lit("TDP01"), address=pl.lit("99 cat dai"))
    result = ingest(warehouse, csv_bytes(rows), feed="violations", unit_code="KTHT", today=TODAY)
    assert result.rows_corrected == 1
    repeats = read(
        warehouse,
        "SELECT group_code, value FROM indicator_values WHERE period_key = 'conference-2026' "
        "AND indicator_id = 'repeat_violations_90d' ORDER BY group_code NULLS LAST",
    ).rows()
    assert repeats == [("TDP01", 3.0), ("TDP02", 2.0), ("TDP03", 1.0), (None, 6.0)]
    # Totals still 17: the re-sent rows replaced their earlier versions.
    total = read(
        warehouse,
        "SELECT numerator FROM indicator_values WHERE period_key = 'conference-2026' AND scope = 'ward' "
        "AND indicator_id = 'violations_per_1000_residents'",
    ).item()
    assert total == 17
    last = read(warehouse, "SELECT last_upload_id FROM marts.refresh_state").item()
    assert last == read(warehouse, "SELECT max(upload_id) FROM uploads").item()
