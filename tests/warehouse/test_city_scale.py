"""The synthetic city of the scale benchmark (issue 13 item 5): five years that keep the ward's own
as-of day, and N copies of a published ward that hold N times its rows. Nothing here is timed."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from pipelines.demo.records import generate_records
from pipelines.demo.ward import START, make_groups
from pipelines.demo_fronts import front_records
from pipelines.ingest import ingest
from services.cli.demo import years_until
from warehouse.city import publish as pub
from warehouse.city.refresh import refresh_city
from warehouse.city.synthetic import copy_city, table_rows, ward_codes


def _dates(value):
    if isinstance(value, dt.date):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _dates(item)


def test_years_end_the_campaign_year_and_stay_within_the_campaign():
    assert years_until(1) == dt.date(2026, 12, 31)
    assert years_until(5) == dt.date(2030, 12, 31)
    for wrong in (0, 6):
        with pytest.raises(ValueError, match="từ 1 đến 5"):
            years_until(wrong)


def test_five_year_records_stay_inside_the_wards_own_as_of():
    as_of = years_until(5)
    groups = make_groups(2026)
    records = generate_records(groups, as_of, 1, 2026)
    days = []
    for recs in records.values():
        for rec in recs:  # what the units report by the as-of day (a repair known later is not)
            days += [rec.day, *_dates(rec.as_of(as_of))]
    for rows in front_records(groups, as_of, 2026).values():
        for row in rows:
            days += list(_dates(row))
    assert days and min(days) >= START and max(days) <= as_of
    # Five years of data, not one month repeated: every year of the campaign has records.
    assert {d.year for d in days} == {2026, 2027, 2028, 2029, 2030}


def test_a_date_after_the_wards_as_of_is_still_refused(warehouse):
    """The ward's rule holds in a build past today: dates up to its as-of load, one day later is refused."""
    csv = (
        "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note\n"
        "S1,CAP,2030-12-31,TDP01,other,reminder,,,,\n"
        "S2,CAP,2031-01-01,TDP01,other,reminder,,,,\n"
    )
    result = ingest(
        warehouse,
        csv.encode(),
        feed="violations",
        unit_code="CAP",
        file_name="tong-hop.csv",
        today=years_until(5),
    )
    assert result.status == "loaded", result.to_json()
    assert (result.rows_accepted, result.rows_rejected) == (1, 1)


@pytest.fixture(scope="module")
def one_ward_store(marts_ward_home, tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    home = root / "ward"
    shutil.copytree(marts_ward_home, home, symlinks=True)
    store = root / "source"
    pub.publish_ward(home, store)
    return root, store


def test_copying_a_ward_to_n_codes_gives_n_times_its_rows(one_ward_store):
    root, source = one_ward_store
    city = root / "city-5"
    seen = []
    copies = copy_city(source, city, 5, lambda i, n, code: seen.append((i, n, code)))
    codes = ward_codes(5)
    assert sorted(copies) == sorted(codes) and len(set(codes)) == 5
    assert [i for i, _, _ in seen] == [1, 2, 3, 4, 5]
    one, five = table_rows(source), table_rows(city)
    assert one.keys() == five.keys() and one["indicator_values"] > 0
    assert five == {table: 5 * rows for table, rows in one.items()}
    # Each copy is a ward of its own: its code on every row, its group keys qualified by it.
    keys = duckdb.sql(
        f"SELECT ward_code, min(ward_group_key) FROM read_parquet('{city}/groups/*/*.parquet') GROUP BY 1"
    ).fetchall()
    assert sorted(code for code, _ in keys) == sorted(codes)
    assert all(key.startswith(code + ":") for code, key in keys)
    names = duckdb.sql(f"SELECT ward_name FROM read_parquet('{city}/wards/*/*.parquet')").fetchall()
    assert all(name.startswith("Phường tổng hợp") for (name,) in names)
    # The city refresh sees five wards.
    result = refresh_city(city, root / "out-5", engine="duckdb")
    assert len(result.wards) == 5 and result.rows["city_wards"] == 5


def test_the_spark_master_comes_from_the_option_then_the_environment(monkeypatch):
    from warehouse.city.engines import spark_master

    monkeypatch.delenv("DOTHIXANH_SPARK_MASTER", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    assert spark_master() == "local[2]"
    monkeypatch.setenv("DOTHIXANH_SPARK_MASTER", "spark://cum:7077")
    assert spark_master() == "spark://cum:7077"
    assert spark_master("local[1]") == "local[1]"
    monkeypatch.delenv("DOTHIXANH_SPARK_MASTER")
    monkeypatch.setenv("PYSPARK_GATEWAY_PORT", "40000")  # under spark-submit: its own --master
    assert spark_master() is None
