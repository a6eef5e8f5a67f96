-- Unit × feed × month: received on time, late, missing or not yet due.
SELECT
    unit_code, unit_name, feed, month_key, month_start, due_date, status, status_vi,
    files, first_received_at, days_after_month_end,
    state, state_vi, state_by, state_at, state_comment
FROM marts.reporting_completeness
WHERE month_start <= $period_end AND month_end >= $period_start
ORDER BY unit_code, feed, month_key
