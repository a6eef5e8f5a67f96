-- A report's reporting completeness of one evaluation: per unit and feed, per unit, and the whole ward.
SELECT s.level, s.unit_code, u.unit_name, s.feed, s.expected, s.received, s.on_time,
    s.received_not_yet_due, s.received_share, s.on_time_share, s.reason_vi
FROM marts.reporting_summary AS s
LEFT JOIN units AS u USING (unit_code)
WHERE s.period_type = 'evaluation' AND s.period_key = $evaluation
ORDER BY CASE s.level WHEN 'unit_feed' THEN 0 WHEN 'unit' THEN 1 ELSE 2 END, s.unit_code, s.feed
