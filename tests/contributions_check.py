"""The check shared by the fixture-ward and demo-ward lineage tests: contributions add up to every figure.

Every indicator, built-in or the ward's own: the numerator rows' amounts add up to the numerator and
the denominator rows' to the denominator; a count of records has one numerator row per record
counted; a median is the median of its rows' amounts (their days).
"""

from __future__ import annotations

MISMATCHES = """
WITH figures AS (
    SELECT v.indicator_id, v.period_key, v.scope, v.group_code, v.numerator, v.denominator, v.value, i.kind,
        i.numerator_measure, i.denominator_measure
    FROM indicator_values AS v
    JOIN indicators AS i USING (indicator_id)
    WHERE v.period_status <> 'not_started' AND (v.numerator IS NOT NULL OR i.kind = 'median')
),
rows AS (
    SELECT indicator_id, period_key, scope, group_code,
        count(*) FILTER (WHERE part = 'numerator') AS numerator_rows,
        coalesce(sum(amount) FILTER (WHERE part = 'numerator'), 0) AS numerator_amount,
        median(amount) FILTER (WHERE part = 'numerator') AS numerator_median,
        coalesce(sum(amount) FILTER (WHERE part = 'denominator'), 0) AS denominator_amount
    FROM indicator_contributions
    GROUP BY ALL
)
SELECT f.*, r.numerator_rows, r.numerator_amount, r.numerator_median, r.denominator_amount
FROM figures AS f
LEFT JOIN rows AS r
    ON r.indicator_id = f.indicator_id AND r.period_key = f.period_key AND r.scope = f.scope
    AND r.group_code IS NOT DISTINCT FROM f.group_code
    -- A median (when shown: enough records) is the middle of its rows' days.
WHERE (f.kind = 'median' AND f.value IS NOT NULL
        AND (r.numerator_median IS NULL OR abs(r.numerator_median - f.value) > 1e-6))
    OR (f.kind <> 'median' AND abs(coalesce(r.numerator_amount, 0) - f.numerator) > 1e-6)
    -- A count of records: exactly one row per record counted.
    OR (f.numerator_measure IN (SELECT unnest($record_counts)) AND coalesce(r.numerator_rows, 0) <> f.numerator)
    -- Saturdays are the calendar's, not records: the only denominator with no rows behind it.
    OR (f.kind = 'ratio' AND f.denominator_measure <> 'saturdays' AND abs(coalesce(r.denominator_amount, 0) - f.denominator) > 1e-6)
"""

COUNT_FIGURES = """
SELECT count(*) FROM indicator_values AS v JOIN indicators AS i USING (indicator_id)
WHERE i.kind = 'count' AND v.numerator > 0
"""


def record_counts(home=None) -> list[str]:
    """The measures that count records (one row each, amount 1): counts, repeats and their sums."""
    from warehouse.indicators import measures_for

    measures = measures_for(home)

    def counts(name: str) -> bool:
        m = measures[name]
        if m.aggregate == "sum_of":
            return all(counts(part) for part in m.measures)
        return m.aggregate in ("count", "repeats")

    return sorted(name for name in measures if counts(name))


def mismatches(con, home=None) -> list[dict]:
    """Figures whose numerator / denominator the contributions do not add up to (should be none)."""
    return con.sql(MISMATCHES, params={"record_counts": record_counts(home)}).pl().to_dicts()
