-- Báo cáo tháng gửi muộn hoặc chưa gửi
-- Monthly reports late or missing
SELECT unit_code, unit_name, feed, month_key, status_vi, days_after_month_end
FROM reporting_completeness
WHERE status IN ('late', 'missing')
ORDER BY month_key DESC, unit_code, feed
