"""Great Expectations runs once per new combination of values: verdicts remembered from an earlier
file of the same worker are the same verdicts a fresh run gives, and a file made only of known
combinations is judged without running the suite at all."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from kernel import contracts as c
from pipelines import validation
from pipelines.parsing import parse
from pipelines.reading import read_table

TODAY = dt.date(2026, 11, 29)
GROUPS = ["TDP01", "TDP02"]
UNITS = ["CAP"]
HEADER = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note\n"
GOOD = "VP-1,CAP,03/11/2026,TDP01,Khác,record,,,1 Tô Hiệu,\n"
# A fine with no amount, a date in the future, a resolution before the detection: three rules.
BAD = (
    "VP-2,CAP,04/11/2026,TDP02,Khác,fine,,,2 Tô Hiệu,\n"
    "VP-3,CAP,03/12/2026,TDP01,Khác,record,,,3 Tô Hiệu,\n"
    "VP-4,CAP,10/11/2026,TDP01,Khác,record,,05/11/2026,4 Tô Hiệu,\n"
)


def judged(text: str) -> tuple[pl.DataFrame, dict]:
    raw = read_table(text.encode("utf-8"), "v.csv")
    parsed = parse(raw, c.feed("violations"), unit_code="CAP", group_codes=GROUPS, unit_codes=UNITS)
    found, summary = validation.validate(
        parsed, group_codes=GROUPS, unit_codes=UNITS, group_households={g: 100 for g in GROUPS}, today=TODAY
    )
    return found.sort("line", "column", "rule"), summary


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(validation, "_verdicts", {})


def test_remembered_verdicts_equal_a_fresh_run(fresh, monkeypatch):
    text = HEADER + GOOD + BAD
    first, first_summary = judged(text)
    assert sorted(first["line"].unique()) == [3, 4, 5]  # the three bad lines, the good one passes
    runs = []
    real = validation._run_suite
    monkeypatch.setattr(validation, "_run_suite", lambda *a: runs.append(a[2]) or real(*a))
    again, again_summary = judged(text)
    assert runs == []  # every combination was known: the suite did not run
    assert_frame_equal(again, first)
    assert again_summary["expectations"] == first_summary["expectations"]
    assert again_summary["success"] is first_summary["success"] is False

    # The same bad rows among other lines, in another order: same errors, on their new lines.
    shuffled = HEADER + BAD.splitlines(keepends=True)[2] + GOOD + BAD.splitlines(keepends=True)[0]
    later, _ = judged(shuffled)
    monkeypatch.setattr(validation, "_verdicts", {})
    fresh_later, _ = judged(shuffled)
    assert_frame_equal(later, fresh_later)
    assert later.height > 0


def test_only_blocks_with_new_values_run(fresh, monkeypatch):
    judged(HEADER + GOOD)
    runs = []
    real = validation._run_suite
    monkeypatch.setattr(validation, "_run_suite", lambda *a: runs.append(sorted(a[2])) or real(*a))
    # A new date pair only: just the dates' expectations run, and catch the future date.
    found, _ = judged(HEADER + GOOD.replace("03/11/2026", "03/12/2026"))
    _, _, blocks = validation._suite_columns("violations")
    assert runs == [[blocks.index(("detected_on", "resolved_on"))]]
    assert found.filter(pl.col("column") == "detected_on").height == 1


def test_other_parameters_are_judged_afresh(fresh):
    judged(HEADER + GOOD)
    global TODAY
    saved = TODAY
    try:
        TODAY = dt.date(2026, 11, 2)  # the 3rd of November is now in the future
        found, _ = judged(HEADER + GOOD)
    finally:
        TODAY = saved
    assert found.filter(pl.col("column") == "detected_on").height == 1
