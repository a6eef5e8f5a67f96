-- Monthly values and targets of one indicator, for the ward and (optionally) one group.
SELECT
    period_key, period_label_vi, period_start, period_end, scope, group_code, group_name,
    value, target, numerator, denominator, on_track, reason_vi, data_status, data_status_vi
FROM marts.indicator_values
WHERE period_type = 'month'
  AND indicator_id = $indicator
  AND (scope = 'ward' OR group_code = $group)
ORDER BY period_order, scope DESC
