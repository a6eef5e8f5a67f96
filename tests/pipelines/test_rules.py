"""Every row rule of feeds.md, for all four feeds, and the rules of the ward's reference files.

Each feed has one fixture file (tests/fixtures/<feed>/rules.*) where every faulty line breaks
exactly one rule; RULES below says which. The file is uploaded once per module into its own
warehouse (tests only read the result), and each rule is its own test: the clerk's report names
the line, the column's Vietnamese label, the value as written, and the closest known value.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from expectations.suites import build_suite
from kernel import contracts as c
from pipelines.ingest import IngestResult, ReferenceRefused, init_ward
from warehouse.store import Warehouse


@dataclass(frozen=True)
class Case:
    line: int
    column: str
    rule: str
    value: str | None = None
    suggestion: str | None = None
    says: tuple[str, ...] = ()  # further phrases the Vietnamese message must contain


@dataclass(frozen=True)
class RulesFile:
    path: str
    unit_code: str
    cases: tuple[Case, ...]
    accepted: dict[int, str]  # line → id of the rows that load


def _rules_files() -> dict[str, RulesFile]:
    with (Path(__file__).with_name("rules_cases.toml")).open("rb") as handle:
        table = tomllib.load(handle)
    return {
        feed: RulesFile(
            spec["path"],
            spec["unit_code"],
            tuple(
                Case(x["line"], x["column"], x["rule"], x.get("value"), x.get("suggestion"), tuple(x["says"]))
                for x in spec["cases"]
            ),
            {int(line): record for line, record in spec["accepted"].items()},
        )
        for feed, spec in table.items()
    }


# Which line of each rules file breaks which rule: tests/pipelines/rules_cases.toml.
RULES: dict[str, RulesFile] = _rules_files()

ALL_CASES = [(feed, case) for feed, spec in RULES.items() for case in spec.cases]

# Suite expectations no fixture line can break, and why.
UNREACHABLE = {
    # A blank unit cell in a unit's own file means that unit (parsing fills it in).
    ("required", "unit_code"),
}


@dataclass
class Uploaded:
    warehouse: Warehouse
    result: IngestResult

    def error(self, line: int, column: str) -> dict:
        rows = [
            row
            for row in self.result.errors.iter_rows(named=True)
            if row["line"] == line and row["column"] == column
        ]
        assert len(rows) == 1, f"no single error at line {line}, column {column}: {rows}"
        return rows[0]


@pytest.fixture(scope="module")
def uploaded(new_ward, ingest_fixture, tmp_path_factory):
    """Each feed's rules file, uploaded once into a warehouse of its own."""
    cache: dict[str, Uploaded] = {}

    def get(feed: str) -> Uploaded:
        if feed not in cache:
            spec = RULES[feed]
            warehouse = new_ward(tmp_path_factory.mktemp(f"rules-{feed}") / "home")
            result = ingest_fixture(warehouse, spec.path, feed=feed, unit_code=spec.unit_code)
            cache[feed] = Uploaded(warehouse, result)
        return cache[feed]

    return get


# -- one test per rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feed", "case"),
    ALL_CASES,
    ids=[f"{feed}-line{case.line}-{case.column}-{case.rule}" for feed, case in ALL_CASES],
)
def test_rule_rejects_its_line_and_tells_the_clerk_why(uploaded, query, feed, case):
    upload = uploaded(feed)
    error = upload.error(case.line, case.column)

    assert (error["rule"], error["value"], error["suggestion"]) == (case.rule, case.value, case.suggestion)
    label = c.feed(feed).column(case.column).label_vi
    message = error["message"]
    assert message.startswith(f"Dòng {case.line}, cột «{label}»: ")
    if case.value is not None:
        assert f"«{case.value}»" in message
    for phrase in case.says:
        assert phrase in message
    # Kept aside with the same report, never loaded.
    stored = query(
        upload.warehouse,
        "SELECT rule, value, message, suggestion FROM rejected_rows "
        "WHERE upload_id = ? AND line = ? AND column_name = ?",
        [upload.result.upload_id, case.line, case.column],
    )
    assert stored == [
        {"rule": case.rule, "value": case.value, "message": message, "suggestion": case.suggestion}
    ]
    loaded_lines = query(
        upload.warehouse, f"SELECT source_line FROM {feed} WHERE source_line = ?", [case.line]
    )
    assert loaded_lines == []


# -- the whole report of each rules file ---------------------------------------------------------


@pytest.mark.parametrize("feed", list(RULES))
def test_report_lists_exactly_the_broken_rules_and_loads_the_rest(uploaded, query, feed):
    spec = RULES[feed]
    upload = uploaded(feed)
    result = upload.result

    assert result.status == "loaded"
    expected = sorted((case.line, case.column, case.rule) for case in spec.cases)
    assert sorted(result.errors.select("line", "column", "rule").rows()) == expected
    total = len(spec.accepted) + len({case.line for case in spec.cases})
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (
        total,
        len(spec.accepted),
        total - len(spec.accepted),
    )
    id_column = c.feed(feed).id_column
    loaded = query(
        upload.warehouse, f"SELECT source_line, {id_column} AS id FROM {feed} ORDER BY source_line"
    )
    assert {row["source_line"]: row["id"] for row in loaded} == spec.accepted
    assert all(
        row["unit_code"] == spec.unit_code for row in query(upload.warehouse, f"SELECT unit_code FROM {feed}")
    )
    upload_row = query(
        upload.warehouse,
        "SELECT status, rows_total, rows_accepted, rows_rejected FROM uploads WHERE upload_id = ?",
        [result.upload_id],
    )
    assert upload_row == [
        {
            "status": "loaded",
            "rows_total": total,
            "rows_accepted": len(spec.accepted),
            "rows_rejected": total - len(spec.accepted),
        }
    ]
    rejected = query(
        upload.warehouse, "SELECT count(*) AS n FROM rejected_rows WHERE upload_id = ?", [result.upload_id]
    )
    assert rejected == [{"n": len(spec.cases)}]


@pytest.mark.parametrize("feed", list(RULES))
def test_every_rule_of_the_feed_has_a_fixture_line(feed):
    """Adding a rule to a contract without a line that breaks it here fails this test."""
    contract = c.feed(feed)
    checks = {
        (item["meta"]["rule"], item["meta"]["column"]) for item in build_suite(contract)["expectations"]
    }
    checks |= {
        (f"type_{col.type}", col.name)
        for col in contract.columns
        if col.type in (c.DATE, c.INTEGER, c.DECIMAL)
    }
    checks.add(("duplicate_key", contract.id_column))
    covered = {(case.rule, case.column) for case in RULES[feed].cases}
    assert checks - UNREACHABLE - covered == set()
    assert covered <= checks


# -- what the accepted rows look like ------------------------------------------------------------


def test_violations_keep_the_first_of_a_duplicated_key_and_fill_the_unit(uploaded, query):
    upload = uploaded("violations")
    rows = query(
        upload.warehouse,
        "SELECT record_id, unit_code, detected_on, group_code, category, action, fine_vnd, resolved_on "
        "FROM violations ORDER BY record_id",
    )
    assert rows == [
        # Line 2 is kept; line 26 (same record, fine 2.000.000) is the rejected duplicate.
        _v(
            "VP-01",
            dt.date(2026, 6, 5),
            "TDP01",
            "sidewalk_encroachment",
            "fine",
            1_500_000,
            dt.date(2026, 6, 6),
        ),
        # Resolved the day it was detected.
        _v(
            "VP-02",
            dt.date(2026, 6, 10),
            "TDP02",
            "illegal_advertising",
            "reminder",
            None,
            dt.date(2026, 6, 10),
        ),
        # A written record with fine 0.
        _v("VP-17", dt.date(2026, 6, 10), "TDP01", "other", "record", 0, None),
        # Blank unit cell: the uploading unit.
        _v("VP-25", dt.date(2026, 6, 12), "TDP05", "public_order", "record", None, None),
        # Lower-case unit and group codes, Vietnamese labels for the enums.
        _v("VP-26", dt.date(2026, 6, 12), "TDP01", "fire_safety", "fine", 2_500_000, None),
        # The first allowed day and today are inside the range.
        _v("VP-27", dt.date(2026, 1, 1), "TDP02", "food_safety", "record", None, None),
        _v(
            "VP-28",
            dt.date(2026, 11, 29),
            "TDP05",
            "construction_order",
            "reminder",
            None,
            dt.date(2026, 11, 29),
        ),
    ]


def _v(record_id, detected_on, group_code, category, action, fine_vnd, resolved_on) -> dict:
    return {
        "record_id": record_id,
        "unit_code": "CAP",
        "detected_on": detected_on,
        "group_code": group_code,
        "category": category,
        "action": action,
        "fine_vnd": fine_vnd,
        "resolved_on": resolved_on,
    }


def test_unknown_extra_columns_are_reported_not_fatal(uploaded, query):
    upload = uploaded("violations")
    assert upload.result.extra_columns == ["Người lập"]
    stored = query(
        upload.warehouse, "SELECT extra_columns FROM uploads WHERE upload_id = ?", [upload.result.upload_id]
    )
    assert stored == [{"extra_columns": ["Người lập"]}]


def test_cleanups_accept_decimal_commas_thousands_and_labels(uploaded, query):
    rows = query(
        uploaded("cleanups").warehouse,
        "SELECT event_id, unit_code, group_code, kind, participants, waste_kg, trees_planted, location "
        "FROM cleanups ORDER BY event_id",
    )
    assert rows == [
        _cleanup("T7-01", "TDP01", "saturday_with_people", 45, 120.5, 0, "Ngõ 120 Hai Bà Trưng"),
        _cleanup("T7-02", "TDP02", "general_cleanup", 1200, 1234.5, 10, None),
        _cleanup("T7-19", "TDP05", "waterway_cleanup", 1, 0.0, None, None),
        _cleanup("T7-20", "TDP05", "tree_planting", 25, None, 120, "Công viên"),
    ]


def _cleanup(event_id, group_code, kind, participants, waste_kg, trees_planted, location) -> dict:
    return {
        "event_id": event_id,
        "unit_code": "MTDT",
        "group_code": group_code,
        "kind": kind,
        "participants": participants,
        "waste_kg": waste_kg,
        "trees_planted": trees_planted,
        "location": location,
    }


def test_sorting_inspections_accept_the_limits(uploaded, query):
    rows = query(
        uploaded("sorting_inspections").warehouse,
        "SELECT inspection_id, inspected_on, group_code, households_checked, households_compliant "
        "FROM sorting_inspections ORDER BY inspection_id",
    )
    assert [tuple(row.values()) for row in rows] == [
        ("KT-01", dt.date(2026, 6, 10), "TDP02", 80, 80),  # all 80 households of TDP02, all compliant
        ("KT-02", dt.date(2026, 6, 10), "TDP05", 60, 0),  # none compliant
        ("KT-17", dt.date(2026, 6, 17), "TDP02", 80, 79),  # group code in lower case
        ("KT-18", dt.date(2026, 11, 29), "TDP05", 320, 300),  # today; all 320 households of TDP05
    ]


def test_lighting_repairs_accept_labels_with_or_without_diacritics(uploaded, query):
    rows = query(
        uploaded("lighting_repairs").warehouse,
        "SELECT ticket_id, group_code, street, reported_on, repaired_on, cause, status "
        "FROM lighting_repairs ORDER BY ticket_id",
    )
    assert [tuple(row.values()) for row in rows] == [
        ("CS-01", "TDP01", "Tô Hiệu", dt.date(2026, 9, 2), dt.date(2026, 9, 4), "burnt_out", "repaired"),
        ("CS-02", "TDP02", None, dt.date(2026, 9, 3), None, "storm", "open"),
        ("CS-03", "TDP05", "Cầu Đất", dt.date(2026, 9, 3), dt.date(2026, 9, 3), None, "repaired"),
        (
            "CS-18",
            "TDP01",
            "Lạch Tray",
            dt.date(2026, 11, 29),
            dt.date(2026, 11, 29),
            "vandalism",
            "repaired",
        ),
    ]


# -- keys: corrections replace, the same file twice changes nothing ------------------------------------


def test_sending_the_same_file_twice_changes_nothing(warehouse, ingest_fixture, query):
    first = ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="CAP")
    before = query(warehouse, "SELECT * FROM violations ORDER BY record_id")
    again = ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="CAP")

    assert (first.status, first.rows_new, first.rows_corrected) == ("loaded", 3, 0)
    assert (again.status, again.upload_id) == ("duplicate", first.upload_id)
    assert (again.rows_accepted, again.rows_rejected) == (3, 0)
    assert query(warehouse, "SELECT * FROM violations ORDER BY record_id") == before
    assert query(warehouse, "SELECT count(*) AS n FROM uploads") == [{"n": 1}]


def test_sending_a_key_again_replaces_the_earlier_version(warehouse, ingest_fixture, ingest_bytes, query):
    ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="CAP")
    # The same three records in another encoding: three corrections, nothing counted twice.
    same = ingest_fixture(
        warehouse, "violations/cp1258_semicolon_crlf.csv", feed="violations", unit_code="CAP"
    )
    assert (same.status, same.rows_new, same.rows_corrected) == ("loaded", 0, 3)
    correction = (
        b"record_id,detected_on,group_code,category,action,fine_vnd\n"
        b"VP-002,07/06/2026,TDP02,roadway_encroachment,fine,750.000\n"
        b"VP-004,08/06/2026,TDP02,other,reminder,\n"
    )
    fixed = ingest_bytes(
        warehouse, correction, feed="violations", unit_code="CAP", file_name="dinh-chinh.csv"
    )

    assert (fixed.status, fixed.rows_new, fixed.rows_corrected) == ("loaded", 1, 1)
    rows = query(
        warehouse, "SELECT record_id, action, fine_vnd, upload_id FROM violations ORDER BY record_id"
    )
    assert [(r["record_id"], r["action"], r["fine_vnd"]) for r in rows] == [
        ("VP-001", "fine", 1_500_000),
        ("VP-002", "fine", 750_000),
        ("VP-003", "record", 0),
        ("VP-004", "reminder", None),
    ]
    assert rows[1]["upload_id"] == fixed.upload_id
    history = query(
        warehouse,
        "SELECT record_id, action, superseded_by FROM core.violations_history WHERE record_id = 'VP-002' "
        "ORDER BY superseded_by",
    )
    assert history == [
        {"record_id": "VP-002", "action": "reminder", "superseded_by": same.upload_id},
        {"record_id": "VP-002", "action": "reminder", "superseded_by": fixed.upload_id},
    ]


# -- the ward's reference files --------------------------------------------------------------------

REFERENCE_REFUSALS = [
    # file, which list it is, the faulty cell (line, column, rule, value), phrase of the message
    (
        "groups_duplicate_code.csv",
        "groups",
        (4, "group_code", "duplicate_key", "TDP01"),
        "đã xuất hiện ở dòng 2",
    ),
    (
        "groups_population_below_households.csv",
        "groups",
        (3, "population", "at_least_column", "79"),
        "nhỏ hơn «Số hộ» («80»)",
    ),
    ("groups_no_households.csv", "groups", (2, "households", "minimum", "0"), "nhỏ hơn mức tối thiểu 1"),
    ("units_unknown_feed.csv", "units", (2, "feeds", "feed_list", "violations;parking"), "không hợp lệ"),
    ("units_duplicate_code.csv", "units", (3, "unit_code", "duplicate_key", "CAP"), "đã xuất hiện ở dòng 2"),
]


@pytest.mark.parametrize(
    ("file_name", "kind", "cell", "says"),
    REFERENCE_REFUSALS,
    ids=[row[0].removesuffix(".csv") for row in REFERENCE_REFUSALS],
)
def test_init_refuses_a_faulty_reference_file_and_stores_nothing(
    tmp_path, fixtures_dir, ward_files, file_name, kind, cell, says
):
    files = dict(ward_files)
    files[kind] = ((fixtures_dir / "ward" / file_name).read_bytes(), file_name)
    warehouse = Warehouse(tmp_path / "new-ward")

    with pytest.raises(ReferenceRefused) as refused:
        init_ward(warehouse, files["groups"], files["units"])

    assert refused.value.reason == f"{file_name}: 1 lỗi; chưa lưu gì. Hãy sửa rồi chạy lại."
    errors = refused.value.errors
    assert errors.select("line", "column", "rule", "value").rows() == [cell]
    line, column, _, value = cell
    label = c.REFERENCES[kind].column(column).label_vi
    message = errors["message"][0]
    assert message.startswith(f"Dòng {line}, cột «{label}»: ")
    assert f"«{value}»" in message
    assert says in message
    assert not warehouse.exists()
    assert not warehouse.master_path.exists()


def test_a_refused_reference_file_leaves_the_ward_as_it_was(warehouse, fixtures_dir, ward_files, query):
    before = {
        view: query(warehouse, f"SELECT * FROM {view} ORDER BY 1") for view in ("residential_groups", "units")
    }
    versions = query(warehouse, "SELECT * FROM ref.versions ORDER BY version")
    bad_units = ((fixtures_dir / "ward/units_unknown_feed.csv").read_bytes(), "units_unknown_feed.csv")
    # New groups would be fine on their own: they are not stored either.
    new_groups = (b"group_code,group_name,households,population\nTDP09,To 9,10,30\n", "groups.csv")

    with pytest.raises(ReferenceRefused):
        init_ward(warehouse, new_groups, bad_units)

    assert query(warehouse, "SELECT * FROM ref.versions ORDER BY version") == versions
    for view, rows in before.items():
        assert query(warehouse, f"SELECT * FROM {view} ORDER BY 1") == rows


def test_the_fixture_ward_is_what_its_files_say(warehouse, query):
    assert query(
        warehouse, "SELECT group_code, households, population FROM residential_groups ORDER BY 1"
    ) == [
        {"group_code": "TDP01", "households": 120, "population": 450},
        {"group_code": "TDP02", "households": 80, "population": 310},
        {"group_code": "TDP05", "households": 320, "population": 1150},
    ]
    assert query(warehouse, "SELECT unit_code, feeds FROM units ORDER BY 1") == [
        {"unit_code": "CAP", "feeds": ["violations"]},
        {"unit_code": "MTDT", "feeds": ["cleanups", "sorting_inspections"]},
        {"unit_code": "TTBT", "feeds": ["lighting_repairs"]},
    ]
