-- Is an evaluation's window still running, and how many of its unit reports are in (warehouse/completeness.py).
WITH cells AS (
    SELECT r.month_key, bool_and(r.received OR l.month_key IS NOT NULL) AS all_in
    FROM marts.reporting_completeness AS r
    LEFT JOIN (SELECT DISTINCT feed, month_key FROM marts.period_locks) AS l USING (feed, month_key)
    GROUP BY r.month_key
),
first_gap AS (
    SELECT min(month_key) AS month_key FROM cells WHERE NOT all_in
)
SELECT
    w.window_start, w.window_end, p.as_of,
    (SELECT sum(reports_received) FROM marts.figure_reports WHERE period_key = w.evaluation) AS received,
    (SELECT sum(reports_expected) FROM marts.figure_reports WHERE period_key = w.evaluation) AS expected,
    (SELECT max(c.month_key) FROM cells AS c, first_gap AS g WHERE g.month_key IS NULL OR c.month_key < g.month_key)
        AS complete_through
FROM marts.evaluation_windows AS w
CROSS JOIN marts.settings_params AS p
WHERE w.evaluation = $evaluation
