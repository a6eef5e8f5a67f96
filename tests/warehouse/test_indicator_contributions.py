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
