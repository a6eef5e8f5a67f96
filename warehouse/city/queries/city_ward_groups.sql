-- Các tổ của một phường cho một chỉ tiêu và một kỳ: đúng số phường đã công bố (mart, không phải bản ghi).
-- $ward_values: tệp «indicator_values» của riêng phường đó; $indicator, $period.
SELECT scope, group_code, group_name, indicator_id, indicator_name_vi, unit_vi, direction, numerator,
    denominator, sample_size, value, target, gap_to_target, on_track, reason_vi, data_status,
    reporting_share
FROM read_parquet($ward_values)
WHERE indicator_id = $indicator AND period_key = $period AND scope IN ('group', 'ward')
ORDER BY scope = 'group', group_code
