-- Điểm thành phần của từng tổ theo từng chỉ tiêu có trọng số, cho mỗi kỳ đánh giá.
-- Thang điểm 0 - 100: đạt đúng chỉ tiêu = 50, tổ tốt nhất = 100, tổ kém nhất = 0 (xem warehouse/indicators.py).
CREATE OR REPLACE TABLE marts.league_components AS
WITH weighted AS (
    SELECT indicator_id, weight, min_sample, sample_vi FROM marts.indicators WHERE weight > 0
),
values_ AS (
    SELECT
        v.period_key AS evaluation,
        v.group_code,
        v.group_name,
        v.indicator_id,
        v.indicator_name_vi,
        v.unit_vi,
        v.formula_vi,
        v.direction,
        v.numerator,
        v.denominator,
        v.sample_size,
        v.value,
        v.target,
        v.reason_vi AS value_reason_vi,
        v.data_status,
        v.data_status_vi,
        w.weight,
        w.min_sample,
        w.sample_vi,
        v.indicator_order
    FROM marts.indicator_values AS v
    JOIN weighted AS w USING (indicator_id)
    WHERE v.period_type = 'evaluation' AND v.scope = 'group'
),
judged AS (
    SELECT
        *,
        CASE
            WHEN value IS NULL OR coalesce(sample_size, 0) < min_sample THEN 'insufficient_data'
            WHEN target IS NULL THEN 'no_target'
            ELSE 'scored'
        END AS status,
        CASE WHEN direction = 'higher' THEN 1 ELSE -1 END AS sign
    FROM values_
),
spread AS (
    SELECT
        evaluation,
        indicator_id,
        max(sign * value) AS best_signed,
        min(sign * value) AS worst_signed,
        count(*) AS groups_scored
    FROM judged
    WHERE status = 'scored'
    GROUP BY ALL
),
scored AS (
    SELECT
        j.*,
        s.groups_scored,
        s.best_signed,
        s.worst_signed,
        j.sign * j.value AS y,
        j.sign * j.target AS t
    FROM judged AS j
    LEFT JOIN spread AS s USING (evaluation, indicator_id)
),
final AS (
    SELECT
        evaluation,
        group_code,
        group_name,
        indicator_id,
        indicator_name_vi,
        unit_vi,
        formula_vi,
        direction,
        numerator,
        denominator,
        sample_size,
        min_sample,
        value AS raw_value,
        target,
        CASE WHEN status = 'scored' THEN sign * best_signed END AS best_value,
        CASE WHEN status = 'scored' THEN sign * worst_signed END AS worst_value,
        groups_scored,
        CASE WHEN status = 'scored' THEN
            greatest(0.0, least(100.0,
                CASE
                    WHEN y >= t AND best_signed > t THEN 50.0 + 50.0 * (y - t) / (best_signed - t)
                    WHEN y >= t THEN 100.0
                    ELSE 50.0 * (y - worst_signed) / (t - worst_signed)
                END
            ))
        END AS component_score,
        weight,
        status,
        CASE status
            WHEN 'scored' THEN 'Đã chấm điểm'
            WHEN 'insufficient_data' THEN 'Chưa đủ dữ liệu'
                || CASE WHEN value IS NULL THEN ' (' || coalesce(value_reason_vi, 'không có giá trị') || ')'
                    ELSE ' (' || sample_vi || ': ' || CAST(sample_size AS BIGINT) || ', cần ít nhất ' || min_sample || ')' END
            WHEN 'no_target' THEN 'Chưa đặt chỉ tiêu'
        END AS status_vi,
        data_status,
        data_status_vi,
        indicator_order
    FROM scored
)
SELECT * FROM final;

-- comments: marts.league_components
