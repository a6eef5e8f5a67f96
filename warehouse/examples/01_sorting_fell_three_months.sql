-- Tổ dân phố có tỷ lệ phân loại rác đúng giảm ba tháng liên tiếp
-- Groups whose sorting compliance fell three months running
WITH monthly AS (
    SELECT group_code, group_name, period_key, period_start, value
    FROM indicator_values
    WHERE period_type = 'month' AND scope = 'group' AND indicator_id = 'sorting_compliance_rate'
),
changes AS (
    SELECT *,
        value - lag(value) OVER w AS change_1,
        lag(value) OVER w - lag(value, 2) OVER w AS change_2,
        lag(value, 2) OVER w - lag(value, 3) OVER w AS change_3
    FROM monthly
    WINDOW w AS (PARTITION BY group_code ORDER BY period_start)
)
SELECT group_code, group_name, period_key AS last_month, round(value, 1) AS compliance_pct,
       round(change_1, 1) AS change_last, round(change_2, 1) AS change_before, round(change_3, 1) AS change_before_that
FROM changes
WHERE change_1 < 0 AND change_2 < 0 AND change_3 < 0
ORDER BY period_start DESC, group_code
