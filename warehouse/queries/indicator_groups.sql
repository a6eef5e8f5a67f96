-- One indicator across the ward and every residential group for one period: value, target, gap,
-- the previous period of the same kind and the same period a year earlier, and how complete the
-- feed's reports are for the period (share of due monthly reports received).
WITH chosen AS (
    SELECT period_type, period_key, period_start FROM marts.periods WHERE period_key = $period
),
series AS (
    SELECT
        v.*,
        lag(v.value) OVER (PARTITION BY v.scope, v.group_code ORDER BY v.period_order) AS previous_value,
        lag(v.period_label_vi) OVER (PARTITION BY v.scope, v.group_code ORDER BY v.period_order)
            AS previous_label_vi
    FROM marts.indicator_values AS v
    JOIN chosen AS c USING (period_type)
    WHERE v.indicator_id = $indicator
),
last_year AS (
    SELECT v.scope, v.group_code, v.value AS last_year_value
    FROM marts.indicator_values AS v
    JOIN chosen AS c
        ON v.period_type = c.period_type AND v.period_start = c.period_start - INTERVAL 1 YEAR
    WHERE v.indicator_id = $indicator
),
reports AS (
    SELECT
        CASE WHEN sum(s.expected) > 0 THEN 100.0 * sum(s.received) / sum(s.expected) END
            AS feed_received_share
    FROM marts.reporting_summary AS s
    JOIN marts.indicators AS i ON i.feed = s.feed AND i.indicator_id = $indicator
    WHERE s.period_key = $period AND s.level = 'unit_feed'
),
final AS (
    SELECT
        s.*,
        s.value - s.previous_value AS change,
        y.last_year_value,
        r.feed_received_share,
        i.name_en, i.unit_en, i.formula_en, i.feed
    FROM series AS s
    JOIN marts.indicators AS i USING (indicator_id)
    LEFT JOIN last_year AS y ON y.scope = s.scope AND y.group_code IS NOT DISTINCT FROM s.group_code
    CROSS JOIN reports AS r
    WHERE s.period_key = $period
)
SELECT * FROM final ORDER BY scope DESC, group_code
