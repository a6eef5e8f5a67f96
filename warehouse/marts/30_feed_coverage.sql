-- Kỳ nào đã có tệp của loại dữ liệu nào: không có tệp thì chỉ tiêu để trống kèm lý do, không ghi 0.
CREATE OR REPLACE TABLE marts.feed_coverage AS
WITH feeds AS (
    SELECT DISTINCT feed, feed_label_vi FROM marts.indicators
),
uploads AS (
    SELECT upload_id, feed, unnest(marts.upload_months(report_months, period_start, period_end)) AS report_month
    FROM raw.uploads
    -- A declaration of nothing to report (zero rows, report_months set) covers its month too.
    WHERE status = 'loaded' AND (period_start IS NOT NULL OR report_months IS NOT NULL)
),
final AS (
    SELECT
        p.period_key,
        f.feed,
        f.feed_label_vi,
        count(DISTINCT u.upload_id) AS files,
        count(u.upload_id) > 0 AS covered
    FROM marts.periods AS p
    CROSS JOIN feeds AS f
    LEFT JOIN uploads AS u
        ON u.feed = f.feed AND u.report_month <= p.data_end AND last_day(u.report_month) >= p.data_start
    GROUP BY ALL
)
SELECT * FROM final;

-- comments: marts.feed_coverage
