-- Điểm thành phần của từng phường theo từng chỉ tiêu có trọng số, mỗi kỳ đánh giá: cùng thang điểm
-- với các tổ trong phường (warehouse/marts/70_league_components.sql): đạt đúng chỉ tiêu = 50, phường tốt
-- nhất = 100, phường kém nhất = 0, theo chiều tốt của chỉ tiêu. Input: city_indicator_values, city_indicators.
WITH values_ AS (
    SELECT
        v.period_key AS evaluation,
        v.ward_code,
        v.scope_name AS ward_name,
        v.indicator_id,
        v.indicator_name_vi,
        v.unit_vi,
        v.direction,
        v.numerator,
        v.denominator,
        v.sample_size,
        v.value,
        v.target,
        v.reason_vi AS value_reason_vi,
        v.data_status,
        i.weight,
        i.min_sample,
        i.sample_vi,
        i.indicator_order
    FROM city_indicator_values AS v
    JOIN city_indicators AS i ON i.indicator_id = v.indicator_id
    WHERE v.period_type = 'evaluation' AND v.scope = 'ward' AND i.weight > 0
),
judged AS (
    SELECT
        *,
        CASE
            WHEN value IS NULL OR coalesce(sample_size, 0) < min_sample THEN 'insufficient_data'
            WHEN target IS NULL THEN 'no_target'
            ELSE 'scored'
        END AS status,
        CASE WHEN direction = 'higher' THEN 1.0 ELSE -1.0 END AS sign
    FROM values_
),
spread AS (
    SELECT
        evaluation,
        indicator_id,
        max(sign * value) AS best_signed,
        min(sign * value) AS worst_signed,
        count(*) AS wards_scored
    FROM judged
    WHERE status = 'scored'
    GROUP BY evaluation, indicator_id
),
scored AS (
    SELECT
        j.*,
        s.wards_scored,
        s.best_signed,
        s.worst_signed,
        j.sign * j.value AS y,
        j.sign * j.target AS t
    FROM judged AS j
    LEFT JOIN spread AS s ON s.evaluation = j.evaluation AND s.indicator_id = j.indicator_id
),
final AS (
    SELECT
        evaluation,
        ward_code,
        ward_name,
        indicator_id,
        indicator_name_vi,
        unit_vi,
        direction,
        numerator,
        denominator,
        sample_size,
        min_sample,
        value AS raw_value,
        target,
        CASE WHEN status = 'scored' THEN sign * best_signed END AS best_value,
        CASE WHEN status = 'scored' THEN sign * worst_signed END AS worst_value,
        coalesce(wards_scored, 0) AS wards_scored,
        CASE WHEN status = 'scored' THEN
            greatest(0.0, least(100.0,
                CASE
                    WHEN y >= t AND best_signed > t THEN 50.0 + 50.0 * (y - t) / (best_signed - t)
                    WHEN y >= t THEN 100.0
                    WHEN t > worst_signed THEN 50.0 * (y - worst_signed) / (t - worst_signed)
                    ELSE 0.0
                END
            ))
        END AS component_score,
        weight,
        status,
        CASE status
            WHEN 'scored' THEN 'Đã chấm điểm'
            WHEN 'insufficient_data' THEN 'Chưa đủ dữ liệu'
                || CASE WHEN value IS NULL THEN ' (' || coalesce(value_reason_vi, 'không có giá trị') || ')'
                    ELSE ' (' || sample_vi || ': ' || CAST(CAST(sample_size AS BIGINT) AS STRING)
                        || ', cần ít nhất ' || CAST(min_sample AS STRING) || ')' END
            WHEN 'no_target' THEN 'Chưa đặt chỉ tiêu'
        END AS status_vi,
        data_status,
        indicator_order
    FROM scored
)
SELECT * FROM final
