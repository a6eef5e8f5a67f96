-- Báo cáo của các đơn vị theo phường, loại dữ liệu và tháng: phải gửi, đã đến hạn, đã nhận, đúng hạn,
-- còn thiếu; và cộng cho toàn thành phố. Input: ward_reporting_completeness, wards.
WITH per_ward AS (
    SELECT
        c.ward_code,
        c.feed,
        c.month_key,
        c.month_start,
        count(*) AS reports_expected,
        count(*) FILTER (WHERE c.is_due) AS reports_due,
        count(*) FILTER (WHERE c.received) AS reports_received,
        count(*) FILTER (WHERE c.on_time) AS reports_on_time,
        count(*) FILTER (WHERE c.is_due AND NOT c.received) AS reports_due_missing
    FROM ward_reporting_completeness AS c
    GROUP BY c.ward_code, c.feed, c.month_key, c.month_start
),
ward_scope AS (
    SELECT 'ward' AS scope, p.ward_code, w.ward_name AS scope_name, p.feed, p.month_key, p.month_start,
        p.reports_expected, p.reports_due, p.reports_received, p.reports_on_time, p.reports_due_missing,
        CAST(1 AS BIGINT) AS wards_total
    FROM per_ward AS p
    JOIN wards AS w ON w.ward_code = p.ward_code
),
city_scope AS (
    SELECT 'city' AS scope, CAST(NULL AS STRING) AS ward_code, 'Toàn thành phố' AS scope_name, feed, month_key,
        month_start, sum(reports_expected) AS reports_expected, sum(reports_due) AS reports_due,
        sum(reports_received) AS reports_received, sum(reports_on_time) AS reports_on_time,
        sum(reports_due_missing) AS reports_due_missing, count(*) AS wards_total
    FROM per_ward
    GROUP BY feed, month_key, month_start
),
final AS (
    SELECT
        scope,
        ward_code,
        scope_name,
        feed,
        month_key,
        month_start,
        CAST(reports_expected AS BIGINT) AS reports_expected,
        CAST(reports_due AS BIGINT) AS reports_due,
        CAST(reports_received AS BIGINT) AS reports_received,
        CAST(reports_on_time AS BIGINT) AS reports_on_time,
        CAST(reports_due_missing AS BIGINT) AS reports_due_missing,
        CAST(reports_received AS DOUBLE) / nullif(reports_expected, 0) AS received_share,
        CAST(reports_on_time AS DOUBLE) / nullif(reports_due, 0) AS on_time_share,
        CAST(wards_total AS BIGINT) AS wards_total
    FROM (SELECT * FROM ward_scope UNION ALL SELECT * FROM city_scope) AS u
)
SELECT * FROM final
