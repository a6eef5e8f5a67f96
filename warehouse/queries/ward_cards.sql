-- The overview's cards: the ward's headline indicators for one period, the previous period of the same
-- kind, the same period a year earlier, and the monthly values up to the period's end (the small trend).
WITH chosen AS (
    SELECT period_type, period_key, period_start, period_end FROM marts.periods WHERE period_key = $period
),
ward AS (
    SELECT v.* FROM marts.indicator_values AS v WHERE v.scope = 'ward'
),
series AS (
    SELECT
        v.*,
        lag(v.value) OVER (PARTITION BY v.indicator_id ORDER BY v.period_order) AS previous_value,
        lag(v.period_label_vi) OVER (PARTITION BY v.indicator_id ORDER BY v.period_order) AS previous_label_vi
    FROM ward AS v
    JOIN chosen USING (period_type)
),
last_year AS (
    SELECT v.indicator_id, v.value AS last_year_value
    FROM ward AS v
    JOIN chosen AS c ON v.period_type = c.period_type AND v.period_start = c.period_start - INTERVAL 1 YEAR
),
months AS (
    SELECT
        v.indicator_id,
        list(v.value ORDER BY v.period_order) FILTER (WHERE v.value IS NOT NULL) AS monthly_values,
        -- The last month drawn is not a final figure, and the line says so: still running (a few days of
        -- data) or over but not all its reports are in (tạm tính); NULL when it is final.
        arg_max_null(
            CASE
                WHEN v.period_status = 'in_progress' THEN 'in_progress'
                WHEN v.data_status = 'provisional' THEN 'provisional'
            END,
            v.period_order
        ) FILTER (WHERE v.value IS NOT NULL) AS last_month_unsettled
    FROM ward AS v
    CROSS JOIN chosen AS c
    WHERE v.period_type = 'month' AND v.period_start <= c.period_end AND v.period_status <> 'not_started'
    GROUP BY v.indicator_id
),
final AS (
    SELECT s.*, y.last_year_value, m.monthly_values, m.last_month_unsettled, i.name_en, i.unit_en, i.formula_en
    FROM series AS s
    JOIN marts.indicators AS i USING (indicator_id)
    LEFT JOIN last_year AS y USING (indicator_id)
    LEFT JOIN months AS m USING (indicator_id)
    WHERE s.period_key = $period AND i.category IS NULL
)
SELECT * FROM final ORDER BY indicator_order
