-- Every period the dashboard can show, in order.
SELECT period_type, period_key, label_vi, label_en, period_start, period_end, data_start, data_end, status, sort_order
FROM marts.periods
ORDER BY sort_order
