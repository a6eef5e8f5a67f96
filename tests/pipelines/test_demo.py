"""The demo ward: deterministic files, loaded only through ingest, with believable patterns.

One demo ward (until 30/09/2026, scale 1) is built per run and shared with the dashboard's tests; the generator's
pieces are tested on their own where no warehouse is needed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import demo
from warehouse.store import Warehouse

UNTIL = dt.date(2026, 9, 30)  # the date of the run's shared demo ward (tests/conftest.py, demo_build)


def _snapshot(files_dir: Path, until: dt.date, seed: int = 2026) -> list[tuple]:
    demo.write_reference(files_dir, seed)
    files = demo.generate_files(files_dir, until, 1, seed)
    paths = [*(files_dir / n for n in ("groups.csv", "units.csv")), *(f.path for f in files)]
    listing = [(f.path.relative_to(files_dir).as_posix(), f.feed, f.unit_code, f.received_at) for f in files]
    return listing + [(p.relative_to(files_dir).as_posix(), p.read_bytes()) for p in paths]


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = _snapshot(tmp_path / "a", UNTIL)
    second = _snapshot(tmp_path / "b", UNTIL)
    assert first == second
    other_seed = _snapshot(tmp_path / "c", UNTIL, seed=7)
    assert [x for x in other_seed if len(x) == 2] != [x for x in first if len(x) == 2]


def test_groups_do_not_depend_on_scale_and_scale_multiplies_records():
    groups = demo.make_groups(2026)
    assert len(groups) == 40
    assert [g.code for g in groups] == [f"TDP{i:02d}" for i in range(1, 41)]
    assert all(150 <= g.households <= 600 for g in groups)
    assert all(3.2 <= g.population / g.households <= 3.9 for g in groups)
    until = dt.date(2026, 6, 30)
    once = demo.generate_records(groups, until, 1, 2026)
    thrice = demo.generate_records(groups, until, 3, 2026)
    for feed in once:
        ratio = len(thrice[feed]) / len(once[feed])
        assert 2.4 < ratio < 3.6, (feed, ratio)
        keys = [(r.unit, r.key) for r in thrice[feed]]
        assert len(keys) == len(set(keys)), f"{feed}: ids repeat within a unit"


def test_cp1258_writes_every_vietnamese_letter():
    text = "Ngày phát hiện; Lấn chiếm vỉa hè; Trật tự xây dựng; Hủy; Điện lực; Ủy ban; ậ ễ ừ ỹ ỗ ợ ặ Ỷ ẫ ã ì ò õ ý"
    data = demo.encode_cp1258(text)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text


@pytest.fixture(scope="module")
def built(demo_build):
    """The run's demo ward (built once for every test process, seed 2026, scale 1) and its summary."""
    home, summary = demo_build
    return Warehouse(home), summary


def _rows(warehouse: Warehouse, query: str, params: list | None = None) -> list[tuple]:
    with warehouse.reading() as con:
        return con.sql(query, params=params or []).fetchall()


def _frame(warehouse: Warehouse, query: str) -> pl.DataFrame:
    with warehouse.reading() as con:
        return con.sql(query).pl()


def test_summary_is_vietnamese_with_local_formats(built):
    _, summary = built
    assert "Đã tạo phường mẫu" in summary
    assert "01/05/2026" in summary and "30/09/2026" in summary
    assert re.search(r"\d{1,3}\.\d{3} nhân khẩu", summary)
    assert "40 tổ dân phố" in summary


def test_every_feed_view_has_rows_and_nothing_was_refused(built):
    warehouse, _ = built
    for feed in ("violations", "cleanups", "sorting_inspections", "lighting_repairs"):
        assert _rows(warehouse, f"SELECT count(*) FROM {feed}")[0][0] > 100, feed
    assert _rows(warehouse, "SELECT count(*) FROM uploads WHERE status <> 'loaded'")[0][0] == 0
    units = {row[0] for row in _rows(warehouse, "SELECT DISTINCT unit_code FROM uploads")}
    assert units == {u.code for u in demo.UNITS}
    assert _rows(warehouse, "SELECT count(*) FROM residential_groups")[0][0] == 40
    # Nothing arrives after `until`, and no record is dated after it.
    latest = _rows(warehouse, "SELECT max(received_at), max(period_end) FROM uploads")[0]
    assert latest[0].date() <= UNTIL and latest[1] <= UNTIL


def test_files_come_in_several_encodings_forms_and_an_excel_workbook(built):
    warehouse, _ = built
    forms = set(_rows(warehouse, "SELECT DISTINCT file_format, encoding, delimiter FROM uploads"))
    encodings = {e for _, e, _ in forms}
    assert {"utf-8-sig", "utf-8", "utf-16", "windows-1258", "xlsx"} <= encodings
    assert {d for _, _, d in forms} >= {",", ";", "\t"}
    assert ("xlsx", "xlsx", None) in forms
    names = [row[0] for row in _rows(warehouse, "SELECT file_name FROM uploads")]
    assert any(n.endswith(".txt") for n in names) and any(n.endswith(".xlsx") for n in names)


def test_dirty_rows_are_rejected_with_vietnamese_reasons(built):
    warehouse, _ = built
    rejected = _frame(warehouse, "SELECT * FROM rejected_rows")
    rules = set(rejected["rule"])
    assert {"type_date", "known_group", "required_when", "duplicate_key"} <= rules
    total = _rows(warehouse, "SELECT sum(rows_total) FROM uploads")[0][0]
    assert 0 < rejected.height < 0.02 * total
    assert all(m.startswith("Dòng ") for m in rejected["message"])
    dates = rejected.filter(pl.col("rule") == "type_date")
    assert all("không phải là ngày hợp lệ" in m for m in dates["message"])
    groups = rejected.filter(pl.col("rule") == "known_group")
    assert all(v.startswith(("Tổ ", "TDP ")) for v in groups["value"])
    assert all(re.fullmatch(r"TDP\d\d", s) for s in groups["suggestion"])
    fines = rejected.filter(pl.col("rule") == "required_when")
    assert all("Xử phạt" in m for m in fines["message"])


def test_files_are_written_in_their_order_of_arrival_though_judged_side_by_side(built):
    warehouse, _ = built
    # Uploads (declarations of «nothing to report» among them) are numbered as they arrived.
    arrivals = [r[0] for r in _rows(warehouse, "SELECT received_at FROM raw.uploads ORDER BY upload_id")]
    assert len(arrivals) > 50
    assert arrivals == sorted(arrivals)


def test_later_files_correct_earlier_records(built):
    warehouse, _ = built
    assert _rows(warehouse, "SELECT sum(rows_corrected) FROM uploads")[0][0] > 0
    # A violation first sent unresolved, re-sent resolved by a later file of the same unit.
    fixed = _rows(
        warehouse,
        "SELECT count(*) FROM core.violations_history AS h JOIN violations AS v USING (unit_code, record_id) "
        "WHERE h.resolved_on IS NULL AND v.resolved_on IS NOT NULL AND v.upload_id > h.upload_id",
    )[0][0]
    assert fixed > 0
    # Nothing counts twice.
    assert (
        _rows(warehouse, "SELECT count(*) - count(DISTINCT (unit_code, record_id)) FROM violations")[0][0]
        == 0
    )


def test_saturday_with_the_people_is_on_saturdays_only(built):
    warehouse, _ = built
    kinds = _rows(
        warehouse,
        "SELECT kind = 'saturday_with_people', isodow(held_on) = 6, count(*) FROM cleanups GROUP BY ALL",
    )
    counts = {(saturday_kind, on_saturday): n for saturday_kind, on_saturday, n in kinds}
    assert counts.get((True, True), 0) > 100
    assert counts.get((True, False), 0) == 0
    assert counts.get((False, True), 0) == 0
    assert counts.get((False, False), 0) > 0
    days = [
        row[0] for row in _rows(warehouse, "SELECT held_on FROM cleanups WHERE kind = 'saturday_with_people'")
    ]
    assert all(day.weekday() == 5 for day in days)


def test_fines_only_for_fines_in_round_amounts(built):
    warehouse, _ = built
    bad = _rows(
        warehouse,
        "SELECT count(*) FROM violations WHERE (action = 'fine' AND (fine_vnd IS NULL OR fine_vnd < 500000 "
        "OR fine_vnd > 7500000 OR fine_vnd % 50000 <> 0)) OR (action <> 'fine' AND coalesce(fine_vnd, 0) <> 0)",
    )[0][0]
    assert bad == 0
    resolved_before = _rows(warehouse, "SELECT count(*) FROM violations WHERE resolved_on < detected_on")[0][
        0
    ]
    assert resolved_before == 0
    repeats = _rows(
        warehouse,
        "SELECT count(*) FROM (SELECT address FROM violations WHERE address IS NOT NULL "
        "GROUP BY address HAVING count(*) > 1)",
    )[0][0]
    assert repeats > 5


def test_storm_season_breaks_street_lights(built):
    warehouse, _ = built
    by_month = dict(_rows(warehouse, "SELECT month(reported_on), count(*) FROM lighting_repairs GROUP BY 1"))
    # September's files are not in yet on 30/09: compare July and August with May and June.
    assert 9 not in by_month
    assert min(by_month[7], by_month[8]) > 1.2 * max(by_month[5], by_month[6])
    storms = dict(
        _rows(
            warehouse,
            "SELECT month(reported_on) IN (7, 8), count(*) FROM lighting_repairs WHERE cause = 'storm' GROUP BY 1",
        )
    )
    assert storms[True] > 3 * storms.get(False, 0)
    days = _rows(
        warehouse,
        "SELECT min(repaired_on - reported_on), max(repaired_on - reported_on), "
        "count(*) FILTER (WHERE status = 'open') FROM lighting_repairs",
    )[0]
    assert days[0] >= 1 and days[1] <= 10 and days[2] > 0


def test_late_units_report_late(built):
    warehouse, _ = built
    delays = _frame(
        warehouse,
        "SELECT unit_code, date_diff('day', last_day(period_end), received_at::DATE) AS days "
        "FROM uploads WHERE file_name NOT LIKE '%\\_den-%' ESCAPE '\\'",
    )
    late = delays.filter(pl.col("unit_code").is_in(["VHXH", "DLLC"]))["days"]
    prompt = delays.filter(~pl.col("unit_code").is_in(["VHXH", "DLLC"]))["days"]
    assert late.min() >= 10
    assert prompt.median() <= 5


def test_groups_lead_and_lag_consistently(built):
    warehouse, _ = built
    table = _frame(
        warehouse,
        """
        WITH s AS (SELECT group_code, sum(households_compliant) / sum(households_checked) AS compliance
                   FROM sorting_inspections GROUP BY 1),
             v AS (SELECT group_code, count(*) AS violations FROM violations GROUP BY 1),
             c AS (SELECT group_code, count(*) AS saturdays FROM cleanups
                   WHERE kind = 'saturday_with_people' GROUP BY 1)
        SELECT g.group_code, s.compliance, 1000.0 * v.violations / g.population AS per_1000, c.saturdays
        FROM residential_groups AS g JOIN s USING (group_code) JOIN v USING (group_code)
        JOIN c USING (group_code)
        """,
    )
    assert table.height == 40
    assert table["compliance"].max() - table["compliance"].min() > 0.15
    correlations = table.select(
        pl.corr("compliance", "per_1000", method="spearman").alias("violations"),
        pl.corr("compliance", "saturdays", method="spearman").alias("saturdays"),
    ).row(0)
    assert correlations[0] < -0.4 and correlations[1] > 0.4


def test_existing_warehouse_is_kept_unless_forced(built):
    warehouse, _ = built
    before = _rows(warehouse, "SELECT count(*) FROM uploads")[0][0]
    message = demo.build_demo(warehouse, until=UNTIL)
    assert "--force" in message
    assert _rows(warehouse, "SELECT count(*) FROM uploads")[0][0] == before


def test_force_rebuilds_from_scratch_with_progress(tmp_path, capsys):
    warehouse = Warehouse(tmp_path / "home")
    until = dt.date(2026, 5, 16)  # only the groups' weekly reports of May so far
    demo.build_demo(warehouse, until=until)
    four = "feed IN ('violations', 'cleanups', 'sorting_inspections', 'lighting_repairs')"
    first = _rows(warehouse, f"SELECT count(*), sum(rows_accepted) FROM uploads WHERE {four}")[0]
    assert first[0] == 2
    published_before = list(warehouse.snapshots_dir.glob("*.duckdb"))
    summary = demo.build_demo(warehouse, until=until, force=True, show_progress=True)
    assert published_before and not any(p.exists() for p in published_before)
    assert "Đã tạo phường mẫu" in summary
    assert _rows(warehouse, f"SELECT count(*), sum(rows_accepted) FROM uploads WHERE {four}")[0] == first
    assert "Nạp tệp đơn vị" in capsys.readouterr().err
    assert (warehouse.home / "demo-files" / "groups.csv").exists()


def test_a_load_that_fails_stops_the_build_and_no_later_file_is_written(tmp_path, monkeypatch):
    import pipelines.ingest

    real, sent = pipelines.ingest.ingest, []
    broken = "TTBT_infrastructure_works_2026-05.csv"  # one of May's first files

    def failing(warehouse, data, **kwargs):
        sent.append((kwargs["received_at"], kwargs["file_name"]))
        if kwargs["file_name"] == broken:
            raise RuntimeError("ổ đĩa hỏng")
        return real(warehouse, data, **kwargs)

    monkeypatch.setattr(pipelines.ingest, "ingest", failing)
    warehouse = Warehouse(tmp_path / "home")
    with pytest.raises(RuntimeError, match="ổ đĩa hỏng"):
        demo.build_demo(warehouse, until=dt.date(2026, 6, 30))
    with duckdb.connect(str(warehouse.master_path), read_only=True) as con:
        written = con.sql("SELECT received_at, file_name FROM raw.uploads").fetchall()
    broken_at = next(at for at, name in sent if name == broken)
    assert written and broken not in {name for _, name in written}  # the files before it are in
    # Nothing that arrived after the broken file is written (without the stop, the rest of June was),
    # and at most one file judged meanwhile by the other worker was started after it.
    assert all(at < broken_at for at, _ in written)
    assert sum(at > broken_at for at, _ in sent) <= 1


# -- issue 9, items 6 and 7 on the demo ward (the same module build) -------------------------------------
def test_demo_contributions_number_exactly_each_count_figure(built):
    """For every count indicator, group and ward, every period: numerator rows = numerator."""
    from contributions_check import COUNT_FIGURES, mismatches

    warehouse, _ = built
    with warehouse.reading() as con:
        assert con.sql(COUNT_FIGURES).fetchall()[0][0] > 100
        assert mismatches(con) == []


def test_demo_has_a_later_groups_version_that_leaves_may_unchanged(built):
    from pipelines.demo.reference import NEW_RESIDENTS

    warehouse, _ = built
    versions = _rows(
        warehouse, "SELECT version, valid_from FROM reference_versions WHERE kind = 'groups' ORDER BY 1"
    )
    assert [v[1] for v in versions] == [dt.date(2026, 5, 1), dt.date(2026, 10, 1)]
    first, second = (v[0] for v in versions)
    used = dict(
        _rows(warehouse, "SELECT period_key, ref_version FROM marts.period_groups WHERE group_code = 'TDP05'")
    )
    assert used["2026-05"] == used["2026-09"] == first
    assert used["conference-2026"] == second  # the window ends in December
    may = _rows(
        warehouse,
        "SELECT v.denominator, g.population FROM indicator_values AS v JOIN ref.groups AS g "
        "ON g.group_code = v.group_code AND g.version = ? "
        "WHERE v.indicator_id = 'violations_per_1000_residents' AND v.period_key = '2026-05' AND v.group_code = 'TDP05'",
        [first],
    )
    assert may[0][0] == may[0][1]
    later = _rows(
        warehouse, "SELECT population FROM ref.groups WHERE version = ? AND group_code = 'TDP05'", [second]
    )
    assert later[0][0] == may[0][1] + NEW_RESIDENTS
