-- The league's component score (warehouse/indicators.py): the units' values of one weighted indicator
-- in one evaluation, judged (enough sample? a target?), then scored 0-100: the target = 50, the best
-- unit = 100, the worst = 0, by the indicator's good direction. Reads `values_` (one row per unit,
-- evaluation and weighted indicator). Slot: the units (groups: the ward's, wards: the city's).
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
        count(*) AS {{units}}_scored
    FROM judged
    WHERE status = 'scored'
    GROUP BY evaluation, indicator_id
),
scored AS (
    SELECT
        j.*,
        s.{{units}}_scored,
        s.best_signed,
        s.worst_signed,
        j.sign * j.value AS y,
        j.sign * j.target AS t
    FROM judged AS j
    LEFT JOIN spread AS s ON s.evaluation = j.evaluation AND s.indicator_id = j.indicator_id
),
rated AS (
    SELECT
        *,
        CASE WHEN status = 'scored' THEN sign * best_signed END AS best_value,
        CASE WHEN status = 'scored' THEN sign * worst_signed END AS worst_value,
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
        CASE status
            WHEN 'scored' THEN 'Đã chấm điểm'
            WHEN 'insufficient_data' THEN 'Chưa đủ dữ liệu'
                || CASE WHEN value IS NULL THEN ' (' || coalesce(value_reason_vi, 'không có giá trị') || ')'
                    ELSE ' (' || sample_vi || ': ' || CAST(CAST(sample_size AS BIGINT) AS STRING)
                        || ', cần ít nhất ' || CAST(min_sample AS STRING) || ')' END
            WHEN 'no_target' THEN 'Chưa đặt chỉ tiêu'
        END AS status_vi
    FROM scored
),
