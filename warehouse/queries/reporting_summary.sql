-- Share of due monthly reports received, and on time, over one period.
SELECT level, unit_code, feed, expected, received, on_time, received_share, on_time_share, reason_vi
FROM marts.reporting_summary
WHERE period_key = $period
ORDER BY level, unit_code, feed
