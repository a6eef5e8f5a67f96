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
-- part: league_scoring units=groups
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
        best_value,
        worst_value,
        groups_scored,
        component_score,
        weight,
        status,
        status_vi,
        data_status,
        data_status_vi,
        indicator_order
    FROM rated
)
SELECT * FROM final;

-- comments: marts.league_components
