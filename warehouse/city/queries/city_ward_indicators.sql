-- Các chỉ tiêu chính của một phường trong một kỳ, bên cạnh số của toàn thành phố.
-- $values: mart city_indicator_values; $ward_indicators: tệp «indicators» của các phường; $ward, $period.
WITH headline AS (
    SELECT DISTINCT indicator_id FROM read_parquet($ward_indicators, union_by_name = true) WHERE category IS NULL
),
v AS (SELECT * FROM read_parquet($values) WHERE period_key = $period AND indicator_id IN (SELECT * FROM headline))
SELECT w.indicator_id, w.indicator_name_vi, w.unit_vi, w.direction, w.value, c.value AS city_value, w.target,
    w.gap_to_target, w.on_track, w.data_status, w.reason_vi, w.indicator_order
FROM v AS w
LEFT JOIN v AS c ON c.scope = 'city' AND c.indicator_id = w.indicator_id
WHERE w.scope = 'ward' AND w.ward_code = $ward
ORDER BY w.indicator_order, w.indicator_id
