"""The demo data of the plan's other fronts (issue 12, item 3): believable, and accepted as clerks send it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import pytest

from kernel import contracts as c
from pipelines import demo_fronts as fronts
from pipelines.ingest import ingest, save_reference_lists

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = dt.date(2026, 11, 29)  # as tests/conftest.py: dates after it are in the future


@dataclass(frozen=True)
class G:
    code: str
    households: int
    population: int
    quality: float = 0.0
    streets: tuple[str, ...] = ("Tô Hiệu", "Hai Bà Trưng", "Cầu Đất")


# The fixture ward's three groups (tests/fixtures/ward/groups.csv), one leading and one lagging.
WARD_GROUPS = [G("TDP01", 120, 450, 1.2), G("TDP02", 80, 310, 0.0), G("TDP05", 320, 1150, -1.2)]
# Every demo unit that sends a front, with the fronts it sends (what the demo's units list should say).
UNITS_CSV = "unit_code,unit_name,feeds\n" + "".join(
    f"{unit},Đơn vị {unit},{';'.join(feed for feed, senders in fronts.FRONT_SENDERS.items() if unit in senders)}\n"
    for unit in sorted({u for senders in fronts.FRONT_SENDERS.values() for u in senders})
)


def test_each_front_has_records_every_month_and_the_senders_its_declaration_allows():
    records = fronts.front_records(WARD_GROUPS, TODAY, seed=7)
    assert list(records) == list(fronts.FRONT_FEEDS)
    assert records == fronts.front_records(WARD_GROUPS, TODAY, seed=7)  # same seed, same records
    for feed, rows in records.items():
        contract = c.BUILTIN_FEEDS[feed]
        assert rows, feed
        assert {row["unit_code"] for row in rows} <= set(fronts.FRONT_SENDERS[feed])
        if contract.sender_codes:
            assert set(fronts.FRONT_SENDERS[feed]) <= set(contract.sender_codes), feed
        dates = [row[contract.date_column] for row in rows]
        assert min(dates) >= fronts.START and max(dates) <= TODAY
        ids = [(row["unit_code"], row[contract.id_column]) for row in rows]
        assert len(ids) == len(set(ids)), f"{feed}: a record key twice"
        if feed != "cultural_evaluations":  # evaluated each quarter; the others every month
            assert {f"{d:%Y-%m}" for d in dates} >= {"2026-09", "2026-10", "2026-11"}, feed


def test_leading_groups_do_better_on_every_front_than_lagging_ones():
    groups = [G(f"TDP{i:02d}", 300, 1100, q) for i, q in enumerate((-1.5, -1.0, 1.0, 1.5) * 5, 1)]
    records = fronts.front_records(groups, dt.date(2026, 12, 31), seed=2026)
    leaders = {g.code for g in groups if g.quality > 0}

    def by_side(feed, value, weight=lambda row: 1):
        sides = {True: [0.0, 0.0], False: [0.0, 0.0]}
        for row in records[feed]:
            side = sides[row["group_code"] in leaders]
            side[0] += value(row)
            side[1] += weight(row)
        return {lead: total / count for lead, (total, count) in sides.items()}

    families = by_side(
        "cultural_evaluations", lambda r: r["households_recognised"], lambda r: r["households_assessed"]
    )
    assert families[True] > families[False] + 0.03
    posters = by_side("ad_removals", lambda r: r["items_removed"])
    assert posters[True] < posters[False]  # fewer posters come back in leading groups
    passed = by_side("safety_inspections", lambda r: r["result"] == "compliant")
    assert passed[True] > passed[False]
    streets = by_side("street_models", lambda r: r["status"] in ("met", "recognised"))
    assert streets[True] > streets[False]
    activities = {
        lead: [r for r in records["propaganda_events"] if (r["group_code"] in leaders) == lead]
        for lead in (True, False)
    }
    assert len(activities[True]) > len(activities[False])
    assert (
        0.75
        < mean(r["households_recognised"] / r["households_assessed"] for r in records["cultural_evaluations"])
        < 0.97
    )


@pytest.fixture
def fronts_ward(warehouse):
    """The fixture ward whose units list names every front's senders."""
    save_reference_lists(
        warehouse,
        ((FIXTURES / "ward" / "groups.csv").read_bytes(), "groups.csv"),
        (UNITS_CSV.encode(), "units.csv"),
        valid_from=dt.date(2026, 5, 1),  # the list applies to the records' months, whatever the real date
    )
    return warehouse


def test_three_months_of_unit_files_pass_validation_and_reach_the_analysts_views(
    fronts_ward, tmp_path, query
):
    records = fronts.front_records(WARD_GROUPS, TODAY, seed=11)
    three_months = {
        feed: [
            row
            for row in rows
            if f"{row[c.BUILTIN_FEEDS[feed].date_column]:%Y-%m}" in ("2026-09", "2026-10", "2026-11")
        ]
        for feed, rows in records.items()
    }
    files = fronts.write_front_files(three_months, tmp_path / "files")
    assert {f.feed for f in files} == set(fronts.FRONT_FEEDS)
    header = files[0].path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Mã ")  # the template's Vietnamese headers
    for number, item in enumerate(files, 1):
        result = ingest(
            fronts_ward,
            item.path.read_bytes(),
            feed=item.feed,
            unit_code=item.unit_code,
            file_name=item.path.name,
            today=TODAY,
            refresh=number == len(files),  # the marts once, after the last file (as the demo loads)
        )
        assert (result.status, result.rows_rejected) == ("loaded", 0), (
            item.path.name,
            result.reason,
            result.errors,
        )
        assert result.rows_accepted == item.rows
    for feed, rows in three_months.items():
        counted = query(fronts_ward, f"SELECT count(*) AS n FROM {feed}")
        assert counted == [{"n": len(rows)}], feed
    figures = query(
        fronts_ward,
        "SELECT indicator_id, reason FROM indicator_values WHERE period_key = '2026-Q4' AND scope = 'ward' "
        "AND indicator_id IN ('safety_compliance_share', 'propaganda_events_per_group', 'ad_items_removed')",
    )
    assert len(figures) == 3 and all(row["reason"] != "no_data" for row in figures), figures
