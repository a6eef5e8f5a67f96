-- Các chỉ tiêu chính (không tính các chỉ tiêu chi tiết theo nhóm) theo thứ tự của phường.
-- $indicators: mart city_indicators; $ward_indicators: tệp «indicators» của các phường.
SELECT i.indicator_id, i.indicator_name_vi, i.unit_vi, i.kind, i.direction, i.weight, i.indicator_order
FROM read_parquet($indicators) AS i
WHERE i.indicator_id IN (
    SELECT indicator_id FROM read_parquet($ward_indicators, union_by_name = true) WHERE category IS NULL
)
ORDER BY i.indicator_order, i.indicator_id
