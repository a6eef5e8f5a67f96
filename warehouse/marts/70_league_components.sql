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

COMMENT ON TABLE marts.league_components IS 'Điểm thành phần của bảng xếp hạng thi đua: mỗi kỳ đánh giá × tổ dân phố × chỉ tiêu có trọng số. Điểm 0 - 100 theo chiều tốt của chỉ tiêu: y ≥ chỉ tiêu thì 50 + 50 × (y − chỉ tiêu) / (tốt nhất − chỉ tiêu), bằng 100 nếu tốt nhất = chỉ tiêu; y < chỉ tiêu thì 50 × (y − kém nhất) / (chỉ tiêu − kém nhất); tốt nhất/kém nhất trong các tổ đủ dữ liệu / League-table components: per evaluation × group × weighted indicator, scored 0-100 (50 at the target, 100 at the best group, 0 at the worst, direction respected)';
COMMENT ON COLUMN marts.league_components.evaluation IS 'Tên kỳ đánh giá / Evaluation name';
COMMENT ON COLUMN marts.league_components.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.league_components.group_name IS 'Tên tổ dân phố / Group name';
COMMENT ON COLUMN marts.league_components.indicator_id IS 'Mã chỉ tiêu / Indicator id';
COMMENT ON COLUMN marts.league_components.indicator_name_vi IS 'Tên chỉ tiêu / Indicator name';
COMMENT ON COLUMN marts.league_components.unit_vi IS 'Đơn vị tính / Unit';
COMMENT ON COLUMN marts.league_components.formula_vi IS 'Công thức / Formula';
COMMENT ON COLUMN marts.league_components.direction IS 'Chiều tốt: higher hoặc lower / Which direction is better';
COMMENT ON COLUMN marts.league_components.numerator IS 'Tử số của giá trị / Numerator';
COMMENT ON COLUMN marts.league_components.denominator IS 'Mẫu số của giá trị / Denominator';
COMMENT ON COLUMN marts.league_components.sample_size IS 'Cỡ mẫu / Sample size';
COMMENT ON COLUMN marts.league_components.min_sample IS 'Cỡ mẫu tối thiểu để được chấm (tệp thiết lập) / Minimum sample to be scored (settings)';
COMMENT ON COLUMN marts.league_components.raw_value IS 'Giá trị chỉ tiêu của tổ trong kỳ đánh giá / The group''s value over the evaluation window';
COMMENT ON COLUMN marts.league_components.target IS 'Chỉ tiêu của kỳ / Target of the window';
COMMENT ON COLUMN marts.league_components.best_value IS 'Giá trị tốt nhất trong các tổ được chấm / Best value among scored groups';
COMMENT ON COLUMN marts.league_components.worst_value IS 'Giá trị kém nhất trong các tổ được chấm / Worst value among scored groups';
COMMENT ON COLUMN marts.league_components.groups_scored IS 'Số tổ được chấm chỉ tiêu này / Groups scored on this indicator';
COMMENT ON COLUMN marts.league_components.component_score IS 'Điểm thành phần 0 - 100 (trống nếu chưa đủ dữ liệu hoặc chưa có chỉ tiêu) / Component score 0-100 (null when not scored)';
COMMENT ON COLUMN marts.league_components.weight IS 'Trọng số trong tệp thiết lập / Weight from the settings file';
COMMENT ON COLUMN marts.league_components.status IS 'scored (đã chấm), insufficient_data (chưa đủ dữ liệu), no_target (chưa đặt chỉ tiêu) / Status';
COMMENT ON COLUMN marts.league_components.status_vi IS 'Trạng thái bằng tiếng Việt, kèm lý do / Status in Vietnamese with the reason';
COMMENT ON COLUMN marts.league_components.data_status IS 'Độ đầy đủ của giá trị (xem indicator_values.data_status) / complete, provisional or no_data';
COMMENT ON COLUMN marts.league_components.data_status_vi IS 'Độ đầy đủ bằng tiếng Việt, ví dụ «tạm tính (3/5 báo cáo)» / Completeness in Vietnamese';
COMMENT ON COLUMN marts.league_components.indicator_order IS 'Thứ tự chỉ tiêu / Indicator sort order';
