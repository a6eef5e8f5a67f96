"""The city store (issue 13): three wards published side by side, the city marts on DuckDB and on Spark.

The three wards are copies of the hand-made marts ward (tests/fixtures/marts/) under the official
codes of Lê Chân, Hồng Bàng and Ngô Quyền; Hồng Bàng gets three more violations and Ngô Quyền two
more clean-ups (through the real ingest path), so their figures differ. Ngô Quyền shares its records.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from city_ward import WARDS

from warehouse.city import publish as pub
from warehouse.city.refresh import refresh_city, statements
from warehouse.settings import DEFAULT_PATH, parse_settings


@pytest.fixture(scope="module")
def duckdb_marts(city) -> Path:
    out = city["root"] / "out-duckdb"
    refresh_city(city["store"], out, engine="duckdb")
    return out


def _rows(folder: Path, table: str, where: str = "TRUE", files: str = "*.parquet") -> list[dict]:
    return (
        duckdb.sql(f"SELECT * FROM read_parquet('{folder}/{table}/{files}') WHERE {where} ORDER BY ALL")
        .pl()
        .to_dicts()
    )


def test_ward_identity_defaults_to_le_chan_and_is_checked():
    defaults = parse_settings(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert (defaults.ward_code, defaults.ward_name, defaults.share_records) == (
        "11383",
        "Phường Lê Chân",
        False,
    )
    ward = parse_settings('[ward]\ncode = "11311"\nname = "Phường Hồng Bàng"\n')
    assert (ward.ward_code, ward.ward_name) == ("11311", "Phường Hồng Bàng")
    with pytest.raises(Exception, match=r"ward\.code"):
        parse_settings('[ward]\ncode = "Lê Chân"\n')


def test_every_ward_lands_in_its_own_partition_with_its_code(city):
    store = city["store"]
    for table in ("wards", "groups", "units", "indicators", "periods", "measures", "indicator_values"):
        for code in WARDS:
            part = store / table / f"ward={code}" / pub.PART
            assert part.exists(), part
            codes = duckdb.sql(f"SELECT DISTINCT ward_code FROM read_parquet('{part}')").fetchall()
            assert codes == [(code,)]
    groups = duckdb.sql(
        f"SELECT ward_group_key FROM read_parquet('{store}/groups/*/*.parquet') ORDER BY 1"
    ).fetchall()
    # TDP01 exists in all three wards: qualified, the three never mix.
    assert [k for (k,) in groups if k.endswith(":TDP01")] == ["11311:TDP01", "11341:TDP01", "11383:TDP01"]
    units = duckdb.sql(
        f"SELECT DISTINCT ward_unit_key FROM read_parquet('{store}/reporting_completeness/*/*.parquet')"
    )
    assert ("11383:CAP",) in units.fetchall()


def test_records_with_personal_fields_leave_only_the_ward_that_shares_them(city):
    store = city["store"]
    shared = sorted(p.name for p in (store / "violations").iterdir())
    assert shared == ["ward=11341"]  # Ngô Quyền shares records; the other two send no address, no note
    for code in ("11383", "11311"):
        version = pub.current_wards(store)[code]
        assert not (version / "violations").exists()
        for table in pub.RECORDS:
            assert not (store / table / f"ward={code}").exists()


def test_publishing_again_changes_nothing(city):
    store, home = city["store"], city["homes"]["11383"]

    def digest() -> dict[str, str]:
        return {
            str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.rglob("*.parquet"))
        }

    before = digest()
    again = pub.publish_ward(home, store)
    assert not again.changed
    assert digest() == before


def test_a_publish_that_fails_half_way_leaves_the_ward_as_it_was(city, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(city["store"], store, symlinks=True)
    before = pub.current_wards(store)["11383"]

    def half(folder: Path) -> dict[str, int]:
        (folder / "groups").mkdir()
        (folder / "groups" / pub.PART).write_bytes(b"not finished")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        pub.write_ward(store, "11383", half)
    assert pub.current_wards(store)["11383"] == before
    assert os.readlink(store / "groups" / "ward=11383").endswith(f"{before.name}/groups")
    assert not [p for p in (store / pub.WARDS_DIR / "11383").iterdir() if p.name.startswith(".tmp-")]


def test_city_figures_add_up_from_the_wards(city, duckdb_marts):
    key = "period_key = 'conference-2026'"
    rows = _rows(duckdb_marts, "city_indicator_values", key)
    by = {(r["indicator_id"], r["scope"], r["ward_code"]): r for r in rows}
    wards = {r["ward_code"] for r in rows if r["scope"] == "ward"}
    assert wards == set(WARDS)
    published = {
        (r["ward_code"], r["indicator_id"]): r
        for r in _rows(
            city["store"], "indicator_values", f"{key} AND scope = 'ward'", "ward=*/part-0.parquet"
        )
    }
    for indicator in ("violations_per_1000_residents", "participants_per_100_residents", "cleanup_events"):
        city_row = by[(indicator, "city", None)]
        ward_rows = [by[(indicator, "ward", code)] for code in WARDS]
        for w in ward_rows:  # a ward's figure in the city marts is the one the ward published
            assert w["value"] == published[(w["ward_code"], indicator)]["value"]
        assert city_row["numerator"] == pytest.approx(sum(w["numerator"] for w in ward_rows))
        if city_row["kind"] == "ratio":
            assert city_row["denominator"] == pytest.approx(sum(w["denominator"] for w in ward_rows))
    violations = by[("violations_per_1000_residents", "city", None)]
    assert violations["value"] == pytest.approx(1000 * violations["numerator"] / violations["denominator"])
    # Hồng Bàng has three violations more than Lê Chân; Ngô Quyền two clean-ups more.
    assert by[("violations_per_1000_residents", "ward", "11311")]["numerator"] == (
        by[("violations_per_1000_residents", "ward", "11383")]["numerator"] + 3
    )
    assert by[("cleanup_events", "ward", "11341")]["numerator"] == (
        by[("cleanup_events", "ward", "11383")]["numerator"] + 2
    )
    median = by[("lighting_median_days_to_repair", "city", None)]
    assert median["value"] is None and "Trung vị" in median["reason_vi"]


def test_wards_are_scored_and_ranked_as_groups_are(city, tmp_path):
    settings = tmp_path / "city.toml"
    settings.write_text('[league]\nrank_requires_reports = "none"\n', encoding="utf-8")
    out = tmp_path / "out"
    from warehouse.settings import load_settings

    refresh_city(city["store"], out, settings=load_settings(path=settings))
    components = _rows(out, "city_league_components", "evaluation = 'conference-2026' AND status = 'scored'")
    assert components
    for c in components:
        assert 0 <= c["component_score"] <= 100
        assert c["wards_scored"] == len([x for x in components if x["indicator_id"] == c["indicator_id"]])
        better = (
            c["raw_value"] >= c["target"] if c["direction"] == "higher" else c["raw_value"] <= c["target"]
        )
        if c["raw_value"] == c["best_value"] and better:  # the best ward at or past the target: 100
            assert c["component_score"] == pytest.approx(100.0)
        if c["raw_value"] == c["target"] and c["best_value"] != c["target"]:  # exactly on target: 50
            assert c["component_score"] == pytest.approx(50.0)
    league = _rows(out, "city_league_table", "evaluation = 'conference-2026'")
    assert {r["ward_code"] for r in league} == set(WARDS)
    ranked = sorted((r for r in league if r["ranked"]), key=lambda r: r["rank"])
    assert ranked, league
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    for r in league:
        assert r["ranked"] or r["unranked_reason_vi"]
    default = tmp_path / "default"
    refresh_city(city["store"], default)
    unranked = _rows(default, "city_league_table", "evaluation = 'conference-2026' AND NOT ranked")
    assert all("báo cáo" in r["unranked_reason_vi"] for r in unranked)


# -- the same SQL on Apache Spark ----------------------------------------------------------------

_SPARK = importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


@pytest.fixture(scope="session")
def spark():
    """One SparkSession (local[2]) for the whole test session: starting the JVM takes up to a minute."""
    if not _SPARK:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs pyspark and Java (openjdk-17-jre-headless) for the Spark test")
        pytest.skip(
            "pyspark or Java is not installed (make setup installs pyspark; Debian: openjdk-17-jre-headless)"
        )
    from warehouse.city.engines import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


@pytest.mark.spark
def test_spark_and_duckdb_give_the_same_city_marts(city, duckdb_marts, spark):
    out = city["root"] / "out-spark"
    result = refresh_city(city["store"], out, engine="spark", spark=spark)
    marts = [name for name, _ in statements()]
    assert list(result.rows) == marts and len(marts) == 6
    for mart in marts:
        ours = _rows(duckdb_marts, mart)
        theirs = _rows(out, mart)
        assert len(ours) == len(theirs) > 0, mart
        assert list(ours[0]) == list(theirs[0]), mart  # same columns, same order
        for x, y in zip(ours, theirs, strict=True):
            bad = {k: (x[k], y[k]) for k in x if not _same(x[k], y[k])}
            assert not bad, (mart, x, bad)


def test_a_demo_of_another_ward_has_its_own_groups_and_identity(tmp_path):
    from pipelines.demo import ward as demo
    from pipelines.demo_wards import UnknownWard, ward_profile
    from warehouse.settings import load_settings

    lechan = demo.make_groups(7)
    with ward_profile("11341", tmp_path) as ward:
        groups = demo.make_groups(7)
        assert len(groups) == ward.groups == 34
        assert all(g.streets[0] in ward.streets for g in groups)
        assert demo.UNIT_BY_CODE["CAP"].name == "Công an phường Ngô Quyền"
    assert demo.make_groups(7) == lechan and demo.N_GROUPS == 40  # the Lê Chân demo is left as it was
    settings = load_settings(tmp_path)
    assert (settings.ward_code, settings.ward_name) == ("11341", "Phường Ngô Quyền")
    with pytest.raises(UnknownWard, match="11383"), ward_profile("99999", tmp_path):
        pass


def test_refresh_of_an_empty_store_says_what_to_do(tmp_path, capsys):
    from services.cli import main

    assert (
        main(["city", "refresh", "--store", str(tmp_path / "store"), "--output", str(tmp_path / "out")]) == 2
    )
    err = capsys.readouterr().err
    assert "chưa có phường nào" in err and "city publish" in err and "Traceback" not in err
