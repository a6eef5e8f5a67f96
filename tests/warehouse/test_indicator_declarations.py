"""Indicators declared as data: the TOML declarations, their checks, the compiled mart SQL, a ward's own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from marts_ward import TODAY
from ward_feed import FIXTURES, add_propaganda_feed, declare_propaganda

from kernel import contracts as c
from warehouse import conditions, indicator_sql
from warehouse import indicator_decl as decl
from warehouse import indicators as ind
from warehouse.refresh import refresh_marts
from warehouse.settings import load_settings

# The conference ranking's weights as the ward knows them: declarations must not move them.
WEIGHTED = {
    "violations_per_1000_residents": 25,
    "violations_resolved_share": 10,
    "saturday_event_share": 15,
    "participants_per_100_residents": 15,
    "sorting_compliance_rate": 20,
    "inspection_coverage": 10,
    "lighting_on_time_share": 5,
}


# Issue 12, item 3: the indicators of the plan's other fronts and the missing ones on today's feeds.
FRONT_INDICATORS = [
    "waterway_cleanup_events",
    "trees_planted",
    "landscape_drives",
    "market_sorting_compliance",
    "pole_damage_faults",
    "cultural_family_share",
    "cultural_group_share",
    "street_models_met_share",
    "youth_routes_kept",
    "ad_items_removed",
    "ad_phones_cut_share",
    "infrastructure_works_done",
    "infrastructure_cable_bundling",
    "infrastructure_drainage",
    "infrastructure_tree_pruning",
    "infrastructure_signs",
    "infrastructure_new_lights",
    "safety_inspections_per_group",
    "safety_compliance_share",
    "safety_violations_remedied_share",
    "propaganda_events_per_group",
    "propaganda_reach_per_100_residents",
]


def test_the_built_in_declarations_keep_todays_indicators_and_weights():
    assert len(ind.INDICATORS) == 22 + len(FRONT_INDICATORS)
    assert {i.id: i.weight for i in ind.INDICATORS if i.weight} == WEIGHTED
    # The plan's other fronts join after today's indicators, with weight 0: the ranking does not move.
    assert [i.id for i in ind.INDICATORS if i.id in FRONT_INDICATORS] == FRONT_INDICATORS
    assert {ind.indicator(i).weight for i in FRONT_INDICATORS} == {0}
    assert all(i.plan_section for i in ind.INDICATORS), "every indicator names the plan section it serves"
    fire = ind.indicator("violations_per_1000_fire_safety")
    assert (fire.numerator, fire.category, fire.formula_vi) == (
        "violations:fire_safety",
        "fire_safety",
        "1.000 × số vụ «Phòng cháy chữa cháy» phát hiện trong kỳ / số nhân khẩu",
    )
    assert ind.MEASURES_VI["households_covered_monthly"].startswith("Tổng theo tháng")


@pytest.mark.parametrize(
    ("text", "sql"),
    [
        ("status = 'repaired'", "f.\"status\" = 'repaired'"),
        (
            "status = 'open' and days(reported_on, as_of) > setting.lighting_repair_days",
            '(f."status" = \'open\' AND (s.as_of - f."reported_on") > s."lighting_repair_days")',
        ),
        (
            "status in ('open', 'repaired') or not (repaired_on is null)",
            "(f.\"status\" IN ('open', 'repaired') OR NOT (f.\"repaired_on\" IS NULL))",
        ),
        ("weekday(reported_on) = 6", 'isodow(f."reported_on") = 6'),
        (
            "street = 'x''; DROP TABLE core.violations; --'",
            "f.\"street\" = 'x''; DROP TABLE core.violations; --'",
        ),
    ],
)
def test_conditions_compile_to_quoted_sql(text, sql):
    assert conditions.compile_condition(text, c.LIGHTING_REPAIRS) == sql


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'", "không có cột «colour»"),
        ("status = 'broken'", "cột «status» không có giá trị «broken»"),
        ("status = 'open' and", "kết thúc giữa chừng"),
        ("status == 'open'", "không đúng chỗ"),
        ("days(reported_on) > 3", r"hàm days\(\) cần 2 ngày, nhận 1"),
        ("setting.password = 1", "không có thiết lập «password»"),
        ("status = 'open'; DROP TABLE x", "không hiểu «;"),
        ("status in (reported_on)", "chỉ được ghi giá trị"),
    ],
)
def test_a_condition_that_cannot_be_used_is_refused_in_vietnamese(text, message):
    with pytest.raises(conditions.ConditionError, match=message):
        conditions.compile_condition(text, c.LIGHTING_REPAIRS)


def _ward_file(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / decl.WARD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ward.toml").write_text(text, encoding="utf-8")
    return tmp_path


_INDICATOR = """
[[indicators]]
id = "resolved_fast"
label_vi = "Vụ khắc phục"
unit_vi = "vụ"
direction = "higher"
numerator = "violations_resolved"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('feed = "karaoke"\n' + _INDICATOR, "feed = «karaoke» không phải loại dữ liệu nào"),
        (
            'feed = "violations"\n[measures.x]\nlabel_vi = "X"\naggregate = "average"\n',
            "đại lượng «x»: aggregate = «average» không hợp lệ",
        ),
        (
            'feed = "violations"\n[measures.x]\nlabel_vi = "X"\naggregate = "sum"\ncolumn = "fine"\n',
            "column = «fine»: «Vi phạm» không có cột này; các cột: record_id",
        ),
        (
            'feed = "violations"\n[measures.x]\nlabel_vi = "X"\naggregate = "count"\nwhere = "category = \'noise\'"\n',
            "cột «category» không có giá trị «noise»",
        ),
        (
            'feed = "violations"\n' + _INDICATOR + "weight = 5\n",
            "chỉ tiêu phường thêm vào bảng thi đua với trọng số 0",
        ),
        (
            'feed = "violations"\n' + _INDICATOR.replace("violations_resolved", "nope"),
            "không có đại lượng «nope»",
        ),
        (
            'feed = "violations"\n' + _INDICATOR.replace("resolved_fast", "cleanup_events"),
            "mã chỉ tiêu «cleanup_events» đã dùng",
        ),
        ('feed = "violations"\n' + _INDICATOR.replace('"higher"', '"up"'), "direction = «up» không hợp lệ"),
        (
            'feed = "violations"\n' + _INDICATOR + 'denominator = { per = "street" }\n',
            "per = «street» không hợp lệ",
        ),
        (
            'feed = "violations"\n[measures.violations]\nlabel_vi = "X"\naggregate = "count"\n',
            "đã khai báo trong",
        ),
        ("feed = [", "không đúng cú pháp TOML"),
    ],
)
def test_a_ward_declaration_that_does_not_check_is_refused_naming_key_and_value(tmp_path, text, message):
    home = _ward_file(tmp_path, text)
    with pytest.raises(decl.DeclarationError, match=message) as caught:
        ind.load(home)
    assert "indicators/ward.toml" in str(caught.value)


def test_the_compiled_marts_have_one_fact_per_feed_and_one_model_per_measure():
    names = [name for name, _ in indicator_sql.models(ind.MEASURES)]
    assert {n for n in names if n.startswith("21_")} == {f"21_fact_{feed}" for feed in c.FEEDS}
    # Counts and sums add up by day: only a feed with a measure that does not (a distinct count, a
    # monthly cap, a median) gets its records joined once to every period, shared by its measures.
    shared = {
        n.removeprefix("40_measures_000b_rows_") for n in names if n.startswith("40_measures_000b_rows_")
    }
    assert "violations" not in shared and {"sorting_inspections", "lighting_repairs"} <= shared
    # + the start, the feeds' shared rows, the insert of every model and the ward's totals
    assert len([n for n in names if n.startswith("40_measures_")]) == len(ind.MEASURES) + 3 + len(shared)
    assert names == sorted(names)
    sql = indicator_sql.compiled_sql()
    assert "f.\"status\" = 'repaired'" in sql and 'core."lighting_repairs"' in sql
    assert "setting.lighting_repair_days" not in sql  # conditions are recompiled, never pasted


# -- a feed the ward added, and its indicators, with no code ---------------------------------------


@pytest.fixture
def ward_with_its_own_feed(marts_ward_copy, monkeypatch):
    """The fixture ward plus a feed declared through the contracts API and its indicators' TOML."""
    warehouse = marts_ward_copy()
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    with warehouse.reading() as con:
        before = con.sql("SELECT * FROM league_table ORDER BY ALL").fetchall()
    add_propaganda_feed(warehouse, TODAY)
    return warehouse, before


def test_an_indicator_on_a_ward_feed_needs_no_code(ward_with_its_own_feed):
    warehouse, _ = ward_with_its_own_feed
    with warehouse.reading() as con:
        values = con.sql(
            "SELECT indicator_id, period_key, coalesce(group_code, ''), numerator, denominator, value "
            "FROM marts.indicator_values JOIN marts.indicators USING (indicator_id) "
            "WHERE feed = 'propaganda_activities' AND ((period_key = '2026-Q4' AND scope = 'ward') "
            "OR (period_key = 'conference-2026' AND group_code = 'TDP02')) ORDER BY ALL"
        ).fetchall()
        definition = con.sql(
            "SELECT name_vi, weight, formula_vi FROM indicators WHERE indicator_id = 'propaganda_per_group'"
        ).fetchall()
        kinds = con.sql(
            "SELECT scope_key, amount FROM marts.measures WHERE period_key = 'conference-2026' "
            "AND measure = 'propaganda_kinds' ORDER BY scope_key"
        ).fetchall()
    # Q4 (01/10 - 29/11): TT03, TT04, TT05; listeners of loudspeakers and banners: 250 (TT04 has none).
    # Conference window (from 01/09, the campaign start) for TDP02: TT04, TT05, not TT06 (30/08).
    assert values == [
        ("loudspeaker_listeners_per_100_residents", "2026-Q4", "", 250.0, 2000.0, 12.5),
        ("loudspeaker_listeners_per_100_residents", "conference-2026", "TDP02", 250.0, 1000.0, 25.0),
        ("propaganda_per_group", "2026-Q4", "", 3.0, 3.0, 1.0),
        ("propaganda_per_group", "conference-2026", "TDP02", 2.0, 1.0, 2.0),
    ]
    assert definition == [
        ("Hoạt động tuyên truyền bình quân mỗi tổ", 0.0, "số hoạt động tuyên truyền / số tổ dân phố")
    ]
    assert kinds == [("", 4.0), ("TDP01", 3.0), ("TDP02", 1.0), ("TDP03", 0.0)]  # ward: sum of groups


def test_a_ward_indicator_joins_the_league_with_weight_zero_until_the_ward_sets_one(ward_with_its_own_feed):
    warehouse, before = ward_with_its_own_feed
    with warehouse.reading() as con:
        assert con.sql("SELECT * FROM league_table ORDER BY ALL").fetchall() == before
        components = con.sql(
            "SELECT count(*) FROM league_components WHERE indicator_id = 'propaganda_per_group'"
        ).fetchall()[0][0]
    settings_path = warehouse.home / "settings.toml"
    settings_path.write_text(
        settings_path.read_text(encoding="utf-8") + "\n[indicators.propaganda_per_group]\nweight = 10\n",
        encoding="utf-8",
    )
    assert load_settings(warehouse.home).indicators["propaganda_per_group"].weight == 10
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)
    with warehouse.reading() as con:
        weight = con.sql(
            "SELECT weight FROM indicators WHERE indicator_id = 'propaganda_per_group'"
        ).fetchall()
        after = con.sql(
            "SELECT count(*) FROM league_components WHERE indicator_id = 'propaganda_per_group'"
        ).fetchall()[0][0]
    assert weight == [(10.0,)]
    assert after > components


def test_the_command_line_lists_and_checks_the_wards_declarations(tmp_path, monkeypatch, capsys):
    from services.cli import main

    monkeypatch.setenv("DOTHIXANH_HOME", str(tmp_path))
    (tmp_path / decl.WARD_FOLDER).mkdir()
    shutil.copy(FIXTURES / "propaganda_activities.toml", tmp_path / decl.WARD_FOLDER)
    declare_propaganda(tmp_path)
    assert main(["indicators", "list", "--format", "json"]) == 0
    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert len(listed) == 22 + len(FRONT_INDICATORS) + 2  # built-in + the ward's two
    assert listed["propaganda_per_group"]["source"] == "ward"
    assert listed["cleanup_events"]["source"] == "built-in"
    assert main(["indicators", "check"]) == 0
    assert "1 tệp, 2 chỉ tiêu" in capsys.readouterr().out
    (tmp_path / "feeds" / "propaganda_activities.toml").unlink()  # the feed is gone, its indicators stay
    assert main(["indicators", "check"]) == 1
    assert "feed = «propaganda_activities» không phải loại dữ liệu nào" in capsys.readouterr().err


def test_a_ward_indicators_figure_traces_to_its_records(ward_with_its_own_feed):
    """The lineage is compiled from the ward's declaration too: its records, upload and lines."""
    from contributions_check import mismatches

    warehouse, _ = ward_with_its_own_feed
    with warehouse.reading() as con:
        rows = con.sql(
            "SELECT c.part, c.feed, c.record_id, c.unit_code, c.amount, c.source_line, u.file_name "
            "FROM indicator_contributions AS c LEFT JOIN uploads AS u USING (upload_id) "
            "WHERE c.indicator_id = 'propaganda_per_group' AND c.period_key = 'conference-2026' "
            "AND c.scope = 'group' AND c.group_code = 'TDP02' ORDER BY c.part DESC, c.record_id"
        ).fetchall()
        listeners = con.sql(
            "SELECT record_id, amount FROM indicator_contributions "
            "WHERE indicator_id = 'loudspeaker_listeners_per_100_residents' AND period_key = '2026-Q4' "
            "AND scope = 'ward' AND part = 'numerator' ORDER BY record_id"
        ).fetchall()
        problems = mismatches(con, warehouse.home)
    # TT04 and TT05 (lines 5 and 6 of the file), not TT06 (before the campaign start); per group: 1 group.
    assert rows == [
        ("numerator", "propaganda_activities", "TT04", "VHXH", 1.0, 5, "tuyen-truyen.csv"),
        ("numerator", "propaganda_activities", "TT05", "VHXH", 1.0, 6, "tuyen-truyen.csv"),
        ("denominator", "residential_groups", "TDP02", None, 1.0, None, None),
    ]
    assert listeners == [("TT05", 250.0)]  # TT04 has no audience: nothing to add, not listed
    assert problems == []
