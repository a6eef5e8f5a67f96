"""Exact lineage on the hand-made fixture ward: the records counted, nothing more (issue 9, item 7)."""

from __future__ import annotations

from contributions_check import COUNT_FIGURES, mismatches


def test_contributions_add_up_to_every_figure(marts_ward):
    with marts_ward.reading() as con:
        assert con.sql(COUNT_FIGURES).fetchall()[0][0] > 0
        assert mismatches(con) == []


def test_numerator_rows_are_the_records_counted(marts_ward):
    """Repeat violations: only the repeats are listed, not every violation of the period."""
    repeats = (
        "SELECT c.record_id, v.numerator FROM indicator_contributions AS c "
        "JOIN indicator_values AS v USING (indicator_id, period_key, scope) "
        "WHERE c.indicator_id = 'repeat_violations_90d' AND c.scope = 'ward' "
        "AND c.period_key = '2026-Q4' AND c.part = 'numerator'"
    )
    with marts_ward.reading() as con:
        rows = con.sql(repeats).fetchall()
        all_violations = con.sql(
            "SELECT count(*) FROM violations WHERE detected_on BETWEEN '2026-10-01' AND '2026-11-29'"
        ).fetchall()[0][0]
    assert rows and len(rows) == rows[0][1] < all_violations


def test_every_indicator_with_a_figure_has_the_records_behind_it(marts_ward):
    """No indicator left without lineage: the fronts' (trees planted, …) have numerator rows too."""
    with marts_ward.reading() as con:
        missing = con.sql(
            "SELECT DISTINCT indicator_id FROM indicator_values WHERE numerator > 0 "
            "EXCEPT SELECT DISTINCT indicator_id FROM indicator_contributions WHERE part = 'numerator'"
        ).fetchall()
        trees = con.sql(
            "SELECT record_id, unit_code, amount, source_line FROM indicator_contributions "
            "WHERE indicator_id = 'trees_planted' AND period_key = '2026-11' AND scope = 'group' "
            "AND group_code = 'TDP03' AND part = 'numerator'"
        ).fetchall()
    assert missing == []
    assert trees == [("C13", "MTDT", 20.0, 5)]  # the one tree-planting drive, line 5 of its November file


def test_a_saturday_counts_once_however_many_events(marts_ward):
    """A distinct count lists every record; the first of each Saturday carries it, the others add 0."""
    with marts_ward.reading() as con:
        rows = con.sql(
            "SELECT c.record_id, c.amount, v.numerator FROM indicator_contributions AS c "
            "JOIN indicator_values AS v USING (indicator_id, period_key, scope, group_code) "
            "WHERE c.indicator_id = 'saturday_event_share' AND c.part = 'numerator' AND c.scope = 'group' "
            "AND c.group_code = 'TDP01' AND c.period_key = '2026-Q4' ORDER BY c.record_id"
        ).fetchall()
    # C06 (MTDT) and C07 (DTN) were held on the same Saturday, 14/11: three Saturdays, four events; the
    # first by the record key (unit, then id) carries the day.
    assert rows == [("C03", 1.0, 3.0), ("C05", 1.0, 3.0), ("C06", 0.0, 3.0), ("C07", 1.0, 3.0)]
