-- Điểm thành phần của từng phường theo từng chỉ tiêu có trọng số, mỗi kỳ đánh giá: cùng thang điểm
-- với các tổ trong phường (warehouse/marts/70_league_components.sql): đạt đúng chỉ tiêu = 50, phường tốt
-- nhất = 100, phường kém nhất = 0, theo chiều tốt của chỉ tiêu; cách chấm chung ở warehouse/sql_parts/league_scoring.sql.
-- Input: city_indicator_values, city_indicators.
WITH values_ AS (
    SELECT
        v.period_key AS evaluation, v.ward_code, v.scope_name AS ward_name, v.indicator_id,
        v.indicator_name_vi, v.unit_vi, v.direction, v.numerator, v.denominator, v.sample_size,
        v.value, v.target, v.reason_vi AS value_reason_vi, v.data_status,
        i.weight, i.min_sample, i.sample_vi, i.indicator_order
    FROM city_indicator_values AS v
    JOIN city_indicators AS i ON i.indicator_id = v.indicator_id
    WHERE v.period_type = 'evaluation' AND v.scope = 'ward' AND i.weight > 0
),
-- part: league_scoring units=wards
final AS (
    SELECT
        evaluation, ward_code, ward_name, indicator_id, indicator_name_vi, unit_vi, direction,
        numerator, denominator, sample_size, min_sample, value AS raw_value, target, best_value,
        worst_value, coalesce(wards_scored, 0) AS wards_scored, component_score, weight, status,
        status_vi, data_status, indicator_order
    FROM rated
)
SELECT * FROM final
