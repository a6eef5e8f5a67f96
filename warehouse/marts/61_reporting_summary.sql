-- Tỷ lệ báo cáo đã nhận và nhận đúng hạn, trên số báo cáo đã đến hạn, theo kỳ.
CREATE OR REPLACE TABLE marts.reporting_summary AS
WITH periods AS (
    SELECT period_type, period_key, label_vi, period_start, period_end, sort_order
    FROM marts.periods
    WHERE status <> 'not_started'
),
cells AS (
    SELECT p.period_type, p.period_key, p.label_vi, p.sort_order, c.*
    FROM periods AS p
    JOIN marts.reporting_completeness AS c
        ON c.month_start <= p.period_end AND c.month_end >= p.period_start
),
summed AS (
    SELECT
        period_type,
        period_key,
        any_value(label_vi) AS period_label_vi,
        any_value(sort_order) AS period_order,
        CASE
            WHEN GROUPING(unit_code, feed) = 0 THEN 'unit_feed'
            WHEN GROUPING(unit_code) = 0 THEN 'unit'
            ELSE 'ward'
        END AS level,
        unit_code,
        feed,
        count(*) FILTER (WHERE is_due) AS expected,
        count(*) FILTER (WHERE is_due AND received) AS received,
        count(*) FILTER (WHERE is_due AND on_time) AS on_time,
        count(*) FILTER (WHERE NOT is_due AND received) AS received_not_yet_due
    FROM cells
    GROUP BY GROUPING SETS ((period_type, period_key, unit_code, feed), (period_type, period_key, unit_code), (period_type, period_key))
),
final AS (
    SELECT
        *,
        CASE WHEN expected > 0 THEN 100.0 * received / expected END AS received_share,
        CASE WHEN expected > 0 THEN 100.0 * on_time / expected END AS on_time_share,
        CASE WHEN expected = 0 THEN 'Chưa có báo cáo nào đến hạn trong kỳ' END AS reason_vi
    FROM summed
)
SELECT * FROM final;

-- comments: marts.reporting_summary
