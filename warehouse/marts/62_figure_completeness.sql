-- Mỗi con số đứng sau bao nhiêu báo cáo của đơn vị: số báo cáo phải có (đơn vị × tháng của kỳ, theo
-- danh sách đơn vị), số đã nhận (kể cả khai báo «Không có số liệu phát sinh»), và tháng đã khóa sổ.
-- Every unit's feed covers every residential group, so a group's figure and the ward's stand on the
-- same reports. Then indicator_values gets data_status / reporting_share, and on_track only when complete.
CREATE OR REPLACE TABLE marts.figure_reports AS
WITH periods AS (
    SELECT period_key, data_start, data_end, status FROM marts.periods
),
feeds AS (
    SELECT DISTINCT feed FROM marts.indicators
),
locks AS (
    SELECT DISTINCT feed, month_key FROM marts.period_locks
),
cells AS (
    SELECT
        p.period_key,
        r.feed,
        r.unit_code,
        r.month_key,
        r.received,
        r.is_due,
        l.month_key IS NOT NULL AS locked
    FROM periods AS p
    JOIN marts.reporting_completeness AS r
        ON p.status <> 'not_started' AND r.month_start <= p.data_end AND r.month_end >= p.data_start
    LEFT JOIN locks AS l ON l.feed = r.feed AND l.month_key = r.month_key
),
summed AS (
    SELECT
        period_key,
        feed,
        count(*) AS reports_expected,
        count(*) FILTER (WHERE received) AS reports_received,
        count(*) FILTER (WHERE NOT received AND NOT locked) AS reports_missing,
        count(*) FILTER (WHERE is_due) AS reports_due,
        count(*) FILTER (WHERE is_due AND NOT received AND NOT locked) AS reports_due_missing,
        list(unit_code || ' tháng ' || substr(month_key, 6, 2) || '/' || substr(month_key, 1, 4)
            ORDER BY month_key, unit_code) FILTER (WHERE is_due AND NOT received AND NOT locked)
            AS due_missing_list,
        count(*) FILTER (WHERE locked) AS reports_locked
    FROM cells
    GROUP BY ALL
),
final AS (
    SELECT
        p.period_key,
        f.feed,
        coalesce(s.reports_expected, 0) AS reports_expected,
        coalesce(s.reports_received, 0) AS reports_received,
        coalesce(s.reports_missing, 0) AS reports_missing,
        coalesce(s.reports_due, 0) AS reports_due,
        coalesce(s.reports_due_missing, 0) AS reports_due_missing,
        coalesce(s.reports_locked, 0) AS reports_locked,
        CASE WHEN s.reports_due_missing > 0 THEN
            array_to_string(s.due_missing_list[1:3], ', ')
            || CASE WHEN s.reports_due_missing > 3 THEN ' và ' || (s.reports_due_missing - 3) || ' báo cáo khác'
                ELSE '' END
        END AS due_missing_vi
    FROM periods AS p
    CROSS JOIN feeds AS f
    LEFT JOIN summed AS s ON s.period_key = p.period_key AND s.feed = f.feed
)
SELECT * FROM final;

-- comments: marts.figure_reports

ALTER TABLE marts.indicator_values ADD COLUMN data_status VARCHAR;
ALTER TABLE marts.indicator_values ADD COLUMN data_status_vi VARCHAR;
ALTER TABLE marts.indicator_values ADD COLUMN reporting_share DOUBLE;
ALTER TABLE marts.indicator_values ADD COLUMN reports_received BIGINT;
ALTER TABLE marts.indicator_values ADD COLUMN reports_expected BIGINT;

UPDATE marts.indicator_values AS v
SET
    reports_expected = f.reports_expected,
    reports_received = f.reports_received,
    reporting_share = CASE WHEN f.reports_expected > 0 THEN f.reports_received / f.reports_expected END,
    data_status = CASE
        WHEN v.reason IN ('not_started', 'no_data') OR f.reports_expected = 0 THEN 'no_data'
        WHEN f.reports_missing = 0 THEN 'complete'
        ELSE 'provisional'
    END
FROM (
    SELECT i.indicator_id, r.*
    FROM marts.indicators AS i
    JOIN marts.figure_reports AS r USING (feed)
) AS f
WHERE f.indicator_id = v.indicator_id AND f.period_key = v.period_key;

UPDATE marts.indicator_values
SET
    data_status = coalesce(data_status, 'no_data'),
    -- Achieved or not only once every expected report is in (or its month is locked).
    on_track = CASE WHEN data_status = 'complete' THEN on_track END,
    data_status_vi = CASE coalesce(data_status, 'no_data')
        WHEN 'complete' THEN 'Đủ báo cáo (' || reports_received || '/' || reports_expected || ')'
        WHEN 'provisional' THEN 'tạm tính (' || reports_received || '/' || reports_expected || ' báo cáo)'
        ELSE 'Chưa có số liệu'
    END;

-- comments: marts.indicator_values
