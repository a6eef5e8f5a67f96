"""The settings file and the marts: defaults, errors that name the key, windows, versions kept.

The ward and its hand-worked figures are described in test_marts.py.
"""

from __future__ import annotations

import datetime as dt
import json

import marts_ward as ward_files
import polars as pl
import pytest
from marts_ward import FIXTURE_SETTINGS, TODAY, league, read, refreshed

from pipelines.ingest import ingest
from warehouse import indicators as ind
from warehouse.settings import (
    DEFAULT_PATH,
    SettingsError,
    load_settings,
    parse_settings,
    render_default_settings,
)


def test_the_default_settings_file_is_rendered_from_the_indicator_declarations():
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render_default_settings(), (
        "warehouse/settings.default.toml is out of date: regenerate it with "
        "warehouse.settings.render_default_settings()"
    )
    defaults = parse_settings(render_default_settings())
    assert defaults.evaluations["one-year"].end == dt.date(2027, 4, 30)  # twelve months from 01/05/2026
    for item in ind.INDICATORS:
        assert defaults.indicators[item.id].weight == item.weight
        assert defaults.indicators[item.id].targets == item.targets


def test_a_new_ward_gets_the_default_settings_file(tmp_path):
    settings = load_settings(tmp_path)
    assert (tmp_path / "settings.toml").read_text(encoding="utf-8") == DEFAULT_PATH.read_text(
        encoding="utf-8"
    )
    assert settings.lighting_repair_days == 3 and settings.old_open_fault_days == 7
    assert settings.evaluations["conference-2026"].end == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[campaign]\nstart = '01/05/2026'\n",
            "Khóa «campaign.start» = «01/05/2026»: phải là một ngày dạng yyyy-mm-dd",
        ),
        (
            '[indicators.sorting_compliance_rate]\ndirection = "up"\n',
            'Khóa «indicators.sorting_compliance_rate.direction» = «up»: phải là "higher"',
        ),
        (
            "[indicators.cleanup_events]\nweight = -5\n",
            "Khóa «indicators.cleanup_events.weight» = «-5»: phải là một số",
        ),
        (
            "[indicators.sorting_complience_rate]\nweight = 5\n",
            "Có phải «indicators.sorting_compliance_rate»?",
        ),
        (
            "[deadlines]\nreport_due_day = 31\n",
            "Khóa «deadlines.report_due_day» = «31»: phải là số nguyên từ 1 đến 28",
        ),
        ("[evaluations.mid-term]\nend = 2028-06-30\nmonths = 6\n", "phải có đúng một trong hai khóa"),
        ("[evaluations.Giua-ky]\nend = 2028-06-30\n", "tên kỳ bắt đầu bằng chữ thường"),
        ("[indicators.cleanup_events]\ntargets = { 26 = 5 }\n", "«26» không phải là một năm"),
        ("[campaign\nstart = 2026-05-01\n", "Tệp không đúng cú pháp TOML"),
    ],
)
def test_settings_errors_name_the_key_and_the_value(text, message):
    with pytest.raises(SettingsError) as caught:
        parse_settings(text, "settings.toml")
    assert message in str(caught.value)


def test_a_broken_settings_file_never_blocks_an_upload(marts_ward_copy):
    warehouse = marts_ward_copy()
    (warehouse.home / "settings.toml").write_text("[league]\nmin_weight_share = 2\n", encoding="utf-8")
    upload = ward_files.fixture_uploads()[0]
    # A new file (different bytes) still loads; the marts keep the last valid settings.
    rows = (
        ward_files.fixture_rows("violations")
        .filter(pl.col("record_id") == "V14")
        .with_columns(pl.lit("V18").alias("record_id"))
    )
    result = ingest(
        warehouse,
        ward_files.csv_bytes(rows),
        feed="violations",
        unit_code="CAP",
        received_at=upload.received_at,
        today=TODAY,
    )
    assert result.status == "loaded"
    error, weights = read(
        warehouse,
        "SELECT s.error, (SELECT sum(weight) FROM indicators) FROM marts.settings_source AS s",
    ).row(0)
    assert "league.min_weight_share" in error
    assert weights == 100  # the fixture's weights, not the defaults


def test_campaign_start_and_windows_follow_the_settings(tmp_path):
    warehouse = ward_files.build_marts_ward(
        tmp_path / "home", FIXTURE_SETTINGS.replace("start = 2026-09-01", "start = 2026-10-01")
    )
    periods = read(
        warehouse,
        "SELECT period_key, data_start FROM periods WHERE period_type <> 'quarter' ORDER BY sort_order",
    )
    assert periods.rows() == [
        ("2026-10", dt.date(2026, 10, 1)),
        ("2026-11", dt.date(2026, 11, 1)),
        ("2026", dt.date(2026, 10, 1)),
        ("conference-2026", dt.date(2026, 10, 1)),
        ("one-year", dt.date(2026, 10, 1)),
        ("end-of-period", dt.date(2026, 10, 1)),
    ]
    one_year = read(warehouse, "SELECT period_end FROM periods WHERE period_key = 'one-year'").item()
    assert one_year == dt.date(2027, 9, 30)
    # September's violations are before the campaign: not in any period.
    assert (
        read(
            warehouse,
            "SELECT numerator FROM indicator_values WHERE period_key = 'conference-2026' AND scope = 'ward' "
            "AND indicator_id = 'violations_per_1000_residents'",
        ).item()
        == 12.0
    )
    assert json.loads(json.dumps(league(warehouse)))  # still ranks


def test_every_settings_version_used_is_kept(marts_ward_copy):
    warehouse = marts_ward_copy()
    edited = FIXTURE_SETTINGS.replace("report_due_day = 5", "report_due_day = 10")
    refreshed(warehouse, edited)
    versions = read(warehouse, "SELECT toml_text FROM ref.settings_versions ORDER BY first_used_at").rows()
    assert [text for (text,) in versions] == [FIXTURE_SETTINGS, edited]
    # The 10th of the next month: KTHT's October report (12/11) is now late by 2 days, not 7.
    status = read(
        warehouse,
        "SELECT status_vi FROM reporting_completeness WHERE unit_code = 'KTHT' AND month_key = '2026-10'",
    ).item()
    assert status == "Muộn 2 ngày"
