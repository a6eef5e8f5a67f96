-- Điểm thành phần của các phường trong một kỳ đánh giá. $components: mart city_league_components.
SELECT evaluation, ward_code, ward_name, indicator_id, indicator_name_vi, unit_vi, direction, raw_value,
    target, best_value, worst_value, component_score, weight, status, status_vi, indicator_order
FROM read_parquet($components)
WHERE evaluation = $evaluation
ORDER BY indicator_order, ward_code
