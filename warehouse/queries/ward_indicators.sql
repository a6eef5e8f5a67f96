-- The ward's indicators for one period, with the previous period of the same kind for the trend arrow.
WITH chosen AS (
    SELECT period_type FROM marts.periods WHERE period_key = $period
),
series AS (
    SELECT
        v.*,
        lag(v.value) OVER (PARTITION BY v.indicator_id ORDER BY v.period_order) AS previous_value
    FROM marts.indicator_values AS v
    JOIN chosen USING (period_type)
    WHERE v.scope = 'ward'
),
final AS (
    SELECT s.*, i.name_en, i.unit_en, i.formula_en, i.category
    FROM series AS s
    JOIN marts.indicators AS i USING (indicator_id)
    WHERE s.period_key = $period
)
SELECT * FROM final ORDER BY indicator_order
