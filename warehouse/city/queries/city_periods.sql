-- Các kỳ của thành phố (chọn kỳ như trang của phường): từ danh sách kỳ các phường công bố.
-- $periods: tệp «periods» của các phường (bản hiện hành).
SELECT
    period_type,
    period_key,
    min(label_vi) AS label_vi,
    min(label_en) AS label_en,
    min(period_start) AS period_start,
    max(period_end) AS period_end,
    min(data_start) AS data_start,
    max(data_end) AS data_end,
    min(status) AS status,
    min(sort_order) AS sort_order
FROM read_parquet($periods, union_by_name = true)
GROUP BY period_type, period_key
ORDER BY sort_order, period_start, period_key
