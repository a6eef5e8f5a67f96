-- Các tổ của một phường cho một chỉ tiêu và một kỳ: đúng số phường đã công bố (mart, không phải bản ghi),
-- với thay đổi so với kỳ trước cùng loại. $ward_values: tệp «indicator_values» của riêng phường đó;
-- $indicator, $period.
WITH v AS (
    SELECT *,
        lag(value) OVER (PARTITION BY period_type, scope, group_code ORDER BY period_order) AS previous_value
    FROM read_parquet($ward_values)
    WHERE indicator_id = $indicator AND scope IN ('group', 'ward')
)
SELECT scope, group_code, group_name, indicator_id, indicator_name_vi, unit_vi, direction, numerator,
    denominator, sample_size, value, target, gap_to_target, on_track, value - previous_value AS change,
    CAST(NULL AS DOUBLE) AS last_year_value, reason_vi, data_status,
    100.0 * reporting_share AS reporting_share
FROM v
WHERE period_key = $period
ORDER BY scope = 'group', group_code
