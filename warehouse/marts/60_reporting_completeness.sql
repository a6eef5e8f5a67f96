-- Đơn vị nào đã gửi loại dữ liệu nào cho tháng nào, và gửi muộn bao nhiêu ngày.
CREATE OR REPLACE TABLE marts.reporting_completeness AS
WITH params AS (
    SELECT as_of, report_due_day FROM marts.settings_params
),
unit_feeds AS (
    SELECT unit_code, unit_name, unnest(feeds) AS feed FROM units
),
months AS (
    SELECT period_key AS month_key, period_start AS month_start, period_end AS month_end
    FROM marts.periods
    WHERE period_type = 'month'
),
grid AS (
    SELECT u.*, m.*, m.month_end + CAST(p.report_due_day AS INTEGER) AS due_date, p.as_of
    FROM unit_feeds AS u
    CROSS JOIN months AS m
    CROSS JOIN params AS p
),
uploads AS (
    -- A file reports on the months its accepted rows fall in (not every month in between).
    SELECT upload_id, unit_code, feed, received_at, coalesce(nothing_to_report, FALSE) AS nothing_to_report,
        unnest(marts.upload_months(report_months, period_start, period_end)) AS report_month
    FROM raw.uploads
    -- A declaration of nothing to report (zero rows, report_months set) is a report received.
    WHERE status = 'loaded' AND (period_start IS NOT NULL OR report_months IS NOT NULL)
),
arrivals AS (
    SELECT
        g.unit_code,
        g.feed,
        g.month_key,
        count(*) AS files,
        min(u.received_at) AS first_received_at,
        bool_and(u.nothing_to_report) AS nothing_to_report
    FROM grid AS g
    JOIN uploads AS u
        ON u.unit_code = g.unit_code AND u.feed = g.feed
        AND u.report_month = g.month_start
    GROUP BY ALL
),
final AS (
    SELECT
        g.unit_code,
        g.unit_name,
        g.feed,
        g.month_key,
        g.month_start,
        g.month_end,
        g.due_date,
        g.as_of > g.due_date AS is_due,
        a.files IS NOT NULL AS received,
        coalesce(a.files, 0) AS files,
        a.first_received_at,
        coalesce(a.nothing_to_report, FALSE) AS nothing_to_report,
        CAST(a.first_received_at AS DATE) - g.month_end AS days_after_month_end,
        CASE WHEN a.files IS NOT NULL THEN CAST(a.first_received_at AS DATE) <= g.due_date END AS on_time,
        CASE
            WHEN a.files IS NOT NULL AND CAST(a.first_received_at AS DATE) <= g.due_date THEN 'on_time'
            WHEN a.files IS NOT NULL THEN 'late'
            WHEN g.as_of > g.due_date THEN 'missing'
            ELSE 'not_due'
        END AS status,
        CASE
            WHEN a.files IS NOT NULL AND CAST(a.first_received_at AS DATE) <= g.due_date THEN 'Đúng hạn'
            WHEN a.files IS NOT NULL THEN 'Muộn ' || (CAST(a.first_received_at AS DATE) - g.due_date) || ' ngày'
            WHEN g.as_of > g.due_date THEN 'Chưa gửi (quá hạn)'
            ELSE 'Chưa đến hạn'
        END || CASE WHEN a.nothing_to_report THEN ' — không có số liệu phát sinh' ELSE '' END AS status_vi
    FROM grid AS g
    LEFT JOIN arrivals AS a USING (unit_code, feed, month_key)
)
SELECT * FROM final;

-- comments: marts.reporting_completeness
