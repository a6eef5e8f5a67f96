-- Một chỉ tiêu ở mọi phường và toàn thành phố trong một kỳ: giá trị, mục tiêu, chênh lệch, thay đổi so
-- với kỳ trước cùng loại, và mức đầy đủ báo cáo (báo cáo đã nhận / phải gửi của loại dữ liệu của chỉ
-- tiêu, các tháng trong kỳ). $values, $completeness, $indicators: marts; $periods: kỳ của các phường;
-- $indicator, $period.
WITH v AS (
    SELECT *,
        lag(value) OVER (
            PARTITION BY period_type, scope, ward_code, indicator_id ORDER BY period_order
        ) AS previous_value
    FROM read_parquet($values)
    WHERE indicator_id = $indicator
),
window_ AS (
    SELECT min(period_start) AS period_start, max(period_end) AS period_end
    FROM read_parquet($periods, union_by_name = true)
    WHERE period_key = $period
),
reports AS (
    SELECT c.scope, c.ward_code,
        sum(c.reports_received) AS reports_received, sum(c.reports_expected) AS reports_expected
    FROM read_parquet($completeness) AS c
    CROSS JOIN window_ AS w
    WHERE c.feed = (SELECT feed FROM read_parquet($indicators) WHERE indicator_id = $indicator)
        AND c.month_start BETWEEN w.period_start AND w.period_end
    GROUP BY c.scope, c.ward_code
)
SELECT
    v.scope,
    v.ward_code AS group_code,
    v.scope_name AS group_name,
    v.indicator_id,
    v.indicator_name_vi,
    v.unit_vi,
    v.formula_vi,
    v.direction,
    v.kind,
    v.numerator,
    v.denominator,
    v.sample_size,
    v.value,
    v.target,
    v.gap_to_target,
    v.on_track,
    v.value - v.previous_value AS change,
    CAST(NULL AS DOUBLE) AS last_year_value,
    v.reason_vi,
    v.data_status,
    100.0 * r.reports_received / nullif(r.reports_expected, 0) AS reporting_share
FROM v
LEFT JOIN reports AS r ON r.scope = v.scope AND r.ward_code IS NOT DISTINCT FROM v.ward_code
WHERE v.period_key = $period
ORDER BY v.scope = 'ward', v.ward_code
