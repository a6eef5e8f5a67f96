-- Tỷ lệ báo cáo đã nhận và nhận đúng hạn, trên số báo cáo đã đến hạn, theo kỳ.
CREATE OR REPLACE TABLE marts.reporting_summary AS
WITH periods AS (
    SELECT period_type, period_key, label_vi, period_start, period_end, sort_order
    FROM marts.periods
    WHERE status <> 'not_started'
),
cells AS (
    SELECT p.period_type, p.period_key, p.label_vi, p.sort_order, c.*
    FROM periods AS p
    JOIN marts.reporting_completeness AS c
        ON c.month_start <= p.period_end AND c.month_end >= p.period_start
),
summed AS (
    SELECT
        period_type,
        period_key,
        any_value(label_vi) AS period_label_vi,
        any_value(sort_order) AS period_order,
        CASE
            WHEN GROUPING(unit_code, feed) = 0 THEN 'unit_feed'
            WHEN GROUPING(unit_code) = 0 THEN 'unit'
            ELSE 'ward'
        END AS level,
        unit_code,
        feed,
        count(*) FILTER (WHERE is_due) AS expected,
        count(*) FILTER (WHERE is_due AND received) AS received,
        count(*) FILTER (WHERE is_due AND on_time) AS on_time,
        count(*) FILTER (WHERE NOT is_due AND received) AS received_not_yet_due
    FROM cells
    GROUP BY GROUPING SETS ((period_type, period_key, unit_code, feed), (period_type, period_key, unit_code), (period_type, period_key))
),
final AS (
    SELECT
        *,
        CASE WHEN expected > 0 THEN 100.0 * received / expected END AS received_share,
        CASE WHEN expected > 0 THEN 100.0 * on_time / expected END AS on_time_share,
        CASE WHEN expected = 0 THEN 'Chưa có báo cáo nào đến hạn trong kỳ' END AS reason_vi
    FROM summed
)
SELECT * FROM final;

COMMENT ON TABLE marts.reporting_summary IS 'Tỷ lệ báo cáo tháng đã nhận và nhận đúng hạn trên số báo cáo đã đến hạn, theo kỳ, theo đơn vị × loại dữ liệu, theo đơn vị và toàn phường / Share of expected monthly reports received, and received on time, per period, per unit × feed, per unit and for the ward';
COMMENT ON COLUMN marts.reporting_summary.period_type IS 'Loại kỳ / Period type';
COMMENT ON COLUMN marts.reporting_summary.period_key IS 'Mã kỳ / Period key';
COMMENT ON COLUMN marts.reporting_summary.period_label_vi IS 'Tên kỳ / Period label';
COMMENT ON COLUMN marts.reporting_summary.period_order IS 'Thứ tự kỳ / Period sort order';
COMMENT ON COLUMN marts.reporting_summary.level IS 'Mức tổng hợp: unit_feed (đơn vị × loại dữ liệu), unit (đơn vị), ward (toàn phường) / Level';
COMMENT ON COLUMN marts.reporting_summary.unit_code IS 'Mã đơn vị (trống với toàn phường) / Unit code (null for the ward)';
COMMENT ON COLUMN marts.reporting_summary.feed IS 'Loại dữ liệu (trống khi gộp) / Feed (null when summed over feeds)';
COMMENT ON COLUMN marts.reporting_summary.expected IS 'Số báo cáo tháng đã đến hạn / Monthly reports due';
COMMENT ON COLUMN marts.reporting_summary.received IS 'Số báo cáo đến hạn đã nhận / Due reports received';
COMMENT ON COLUMN marts.reporting_summary.on_time IS 'Số báo cáo nhận đúng hạn / Reports received on time';
COMMENT ON COLUMN marts.reporting_summary.received_not_yet_due IS 'Số báo cáo đã nhận dù chưa đến hạn / Reports received before they were due';
COMMENT ON COLUMN marts.reporting_summary.received_share IS 'Tỷ lệ đã nhận (%) = received / expected / Share received (%)';
COMMENT ON COLUMN marts.reporting_summary.on_time_share IS 'Tỷ lệ đúng hạn (%) = on_time / expected / Share on time (%)';
COMMENT ON COLUMN marts.reporting_summary.reason_vi IS 'Lý do tỷ lệ trống / Why the shares are null';
