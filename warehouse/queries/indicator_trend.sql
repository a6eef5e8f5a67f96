-- Monthly values and targets of one indicator, for the ward and (optionally) one group.
-- `running`: the month has begun and not ended (its value and prorated target count the days so far).
SELECT
    v.period_key, v.period_label_vi, v.period_start, v.period_end, v.scope, v.group_code, v.group_name,
    v.value, v.target, v.numerator, v.denominator, v.on_track, v.reason_vi, v.data_status, v.data_status_vi,
    p.status = 'in_progress' AS running, p.data_end
FROM marts.indicator_values AS v
JOIN marts.periods AS p USING (period_key)
WHERE v.period_type = 'month'
  AND v.indicator_id = $indicator
  AND (v.scope = 'ward' OR v.group_code = $group)
ORDER BY v.period_order, v.scope DESC
