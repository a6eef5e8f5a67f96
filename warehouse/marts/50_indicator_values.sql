-- Mọi chỉ tiêu, cho mỗi tổ dân phố và toàn phường, theo tháng, quý, năm và kỳ đánh giá:
-- tử số, mẫu số, giá trị, chỉ tiêu, chênh lệch và đạt/chưa đạt. Không có số liệu thì để trống kèm lý do.
CREATE OR REPLACE TABLE marts.indicator_values AS
WITH params AS (
    SELECT as_of FROM marts.settings_params
),
periods AS (
    SELECT
        *,
        -- Targets of a period not started yet are shown for its whole length.
        CASE WHEN status = 'not_started' THEN period_end ELSE data_end END AS target_end
    FROM marts.periods
),
groups AS (
    SELECT group_code, group_name FROM residential_groups
),
group_count AS (
    SELECT count(*) AS n_groups FROM groups
),
scopes AS (
    SELECT 'group' AS scope, group_code, group_name, group_code AS scope_key FROM groups
    UNION ALL
    SELECT 'ward', NULL, 'Toàn phường', ''
),
indicators AS (
    SELECT * FROM marts.indicators
),
target_years AS (
    SELECT
        p.period_key,
        t.indicator_id,
        t.target,
        greatest(
            least(p.target_end, make_date(t.year, 12, 31)) - greatest(p.data_start, make_date(t.year, 1, 1)) + 1,
            0
        ) AS overlap_days,
        make_date(t.year, 12, 31) - make_date(t.year, 1, 1) + 1 AS year_days
    FROM periods AS p
    JOIN marts.settings_targets AS t ON t.year BETWEEN year(p.data_start) AND year(p.target_end)
),
group_targets AS (
    -- Prorated: each year's target times the share of that year the period covers so far.
    -- Level: the day-weighted mean of the years' targets. A year without a target: no target.
    SELECT
        y.period_key,
        y.indicator_id,
        CASE
            WHEN count(*) FILTER (WHERE y.target IS NULL AND y.overlap_days > 0) > 0 THEN NULL
            WHEN sum(y.overlap_days) = 0 THEN NULL
            WHEN any_value(i.target_mode) = 'prorated' THEN sum(y.target * y.overlap_days / y.year_days)
            ELSE sum(y.target * y.overlap_days) / sum(y.overlap_days)
        END AS group_target
    FROM target_years AS y
    JOIN indicators AS i USING (indicator_id)
    GROUP BY ALL
),
medians AS (
    -- Medians are not sums: the ward's is over all its records (compiled with the measures).
    SELECT period_key, scope_key, measure, median_value FROM marts.measure_medians
),
grid AS (
    SELECT p.*, s.*, i.*
    FROM periods AS p
    CROSS JOIN scopes AS s
    CROSS JOIN indicators AS i
),
joined AS (
    SELECT
        g.*,
        num.amount AS numerator_amount,
        den.amount AS denominator_amount,
        smp.amount AS sample_amount,
        med.median_value,
        coalesce(cov.covered, FALSE) AS covered,
        CASE
            WHEN g.scope = 'ward' AND g.ward_target = 'sum_of_groups' THEN gt.group_target * gc.n_groups
            ELSE gt.group_target
        END AS target
    FROM grid AS g
    CROSS JOIN group_count AS gc
    LEFT JOIN marts.measures AS num
        ON num.period_key = g.period_key AND num.scope_key = g.scope_key AND num.measure = g.numerator_measure
    LEFT JOIN marts.measures AS den
        ON den.period_key = g.period_key AND den.scope_key = g.scope_key AND den.measure = g.denominator_measure
    LEFT JOIN marts.measures AS smp
        ON smp.period_key = g.period_key AND smp.scope_key = g.scope_key AND smp.measure = g.sample_measure
    LEFT JOIN medians AS med
        ON med.period_key = g.period_key AND med.scope_key = g.scope_key AND med.measure = g.numerator_measure
    LEFT JOIN marts.feed_coverage AS cov ON cov.period_key = g.period_key AND cov.feed = g.feed
    LEFT JOIN group_targets AS gt ON gt.period_key = g.period_key AND gt.indicator_id = g.indicator_id
),
reasoned AS (
    SELECT
        *,
        CASE
            WHEN status = 'not_started' THEN 'not_started'
            WHEN NOT covered THEN 'no_data'
            WHEN kind = 'median' AND coalesce(sample_amount, 0) = 0 THEN 'zero_denominator'
            WHEN kind = 'ratio' AND denominator_amount = 0 THEN 'zero_denominator'
        END AS reason
    FROM joined
),
valued AS (
    SELECT
        *,
        CASE
            WHEN reason IS NOT NULL THEN NULL
            WHEN kind = 'median' THEN median_value
            WHEN kind = 'count' THEN numerator_amount
            ELSE scale * numerator_amount / denominator_amount
        END AS value
    FROM reasoned
),
final AS (
    SELECT
        period_type,
        period_key,
        label_vi AS period_label_vi,
        period_start,
        period_end,
        data_start,
        data_end,
        status AS period_status,
        scope,
        group_code,
        group_name,
        indicator_id,
        name_vi AS indicator_name_vi,
        unit_vi,
        formula_vi,
        direction,
        CASE WHEN reason IN ('not_started', 'no_data') OR kind = 'median' THEN NULL ELSE numerator_amount END
            AS numerator,
        CASE WHEN reason IN ('not_started', 'no_data') OR kind <> 'ratio' THEN NULL ELSE denominator_amount END
            AS denominator,
        CASE WHEN reason IN ('not_started', 'no_data') THEN NULL ELSE sample_amount END AS sample_size,
        value,
        target,
        value - target AS gap_to_target,
        CASE
            WHEN value IS NULL OR target IS NULL THEN NULL
            WHEN direction = 'higher' THEN value >= target
            ELSE value <= target
        END AS on_track,
        reason,
        CASE reason
            WHEN 'not_started' THEN 'Kỳ chưa bắt đầu (từ ' || strftime(data_start, '%d/%m/%Y') || ')'
            WHEN 'no_data' THEN 'Chưa có tệp số liệu «' || feed_label_vi || '» nào cho kỳ này'
            WHEN 'zero_denominator' THEN zero_reason_vi
        END AS reason_vi,
        sort_order AS period_order,
        position AS indicator_order
    FROM valued
)
SELECT * FROM final;

COMMENT ON TABLE marts.indicator_values IS 'Giá trị mọi chỉ tiêu theo kỳ (tháng, quý, năm, kỳ đánh giá) cho từng tổ dân phố và toàn phường, kèm tử số, mẫu số, chỉ tiêu, chênh lệch; toàn phường tính từ tổng số của phường; không có số liệu thì giá trị trống kèm lý do, không ghi 0 / Every indicator per period, group and ward with numerator, denominator, target, gap and on-track flag; ward figures from ward totals; no data gives NULL with a reason, never 0';
COMMENT ON COLUMN marts.indicator_values.period_type IS 'Loại kỳ: month, quarter, year, evaluation / Period type';
COMMENT ON COLUMN marts.indicator_values.period_key IS 'Mã kỳ (2026-09, 2026-Q3, 2026, conference-2026...) / Period key';
COMMENT ON COLUMN marts.indicator_values.period_label_vi IS 'Tên kỳ / Period label';
COMMENT ON COLUMN marts.indicator_values.period_start IS 'Ngày đầu kỳ / First day of the period';
COMMENT ON COLUMN marts.indicator_values.period_end IS 'Ngày cuối kỳ / Last day of the period';
COMMENT ON COLUMN marts.indicator_values.data_start IS 'Ngày đầu tính số liệu / First day counted';
COMMENT ON COLUMN marts.indicator_values.data_end IS 'Ngày cuối tính số liệu (hôm nay nếu kỳ chưa kết thúc) / Last day counted (today for a running period)';
COMMENT ON COLUMN marts.indicator_values.period_status IS 'Trạng thái kỳ: complete, in_progress, not_started / Period status';
COMMENT ON COLUMN marts.indicator_values.scope IS 'Phạm vi: group (tổ dân phố) hoặc ward (toàn phường) / Scope: group or ward';
COMMENT ON COLUMN marts.indicator_values.group_code IS 'Mã tổ dân phố (trống với toàn phường) / Group code (null for the ward)';
COMMENT ON COLUMN marts.indicator_values.group_name IS 'Tên tổ dân phố, hoặc «Toàn phường» / Group name, or the ward';
COMMENT ON COLUMN marts.indicator_values.indicator_id IS 'Mã chỉ tiêu (xem bảng indicators) / Indicator id (see indicators)';
COMMENT ON COLUMN marts.indicator_values.indicator_name_vi IS 'Tên chỉ tiêu / Indicator name';
COMMENT ON COLUMN marts.indicator_values.unit_vi IS 'Đơn vị tính / Unit';
COMMENT ON COLUMN marts.indicator_values.formula_vi IS 'Công thức tính, hiển thị cạnh con số / Formula, shown beside the number';
COMMENT ON COLUMN marts.indicator_values.direction IS 'Chiều tốt: higher (càng cao càng tốt) hoặc lower (càng thấp càng tốt) / Which direction is better';
COMMENT ON COLUMN marts.indicator_values.numerator IS 'Tử số (với chỉ tiêu đếm: số đếm; trống với trung vị) / Numerator (the count for counts; null for medians)';
COMMENT ON COLUMN marts.indicator_values.denominator IS 'Mẫu số (chỉ với chỉ tiêu tỷ lệ) / Denominator (ratios only)';
COMMENT ON COLUMN marts.indicator_values.sample_size IS 'Cỡ mẫu: lượng số liệu đứng sau giá trị (xem indicators.sample_vi) / Sample size behind the value';
COMMENT ON COLUMN marts.indicator_values.value IS 'Giá trị = hệ số × tử số / mẫu số (tỷ lệ), tử số (đếm) hoặc trung vị; trống khi không tính được / Value; null when it cannot be computed';
COMMENT ON COLUMN marts.indicator_values.target IS 'Chỉ tiêu của kỳ: chỉ tiêu năm, chia theo số ngày đã qua với chỉ tiêu cộng dồn; toàn phường nhân số tổ với chỉ tiêu đếm / Target of the period: yearly target, prorated for cumulative indicators; times the number of groups for ward counts';
COMMENT ON COLUMN marts.indicator_values.gap_to_target IS 'Chênh lệch = giá trị − chỉ tiêu / Gap = value − target';
COMMENT ON COLUMN marts.indicator_values.on_track IS 'Đạt chỉ tiêu (theo chiều tốt của chỉ tiêu); trống khi thiếu giá trị hoặc chỉ tiêu, hoặc khi con số còn tạm tính (data_status khác complete) / On track (direction respected); null without a value or target, or unless data_status is complete';
COMMENT ON COLUMN marts.indicator_values.reason IS 'Mã lý do giá trị trống: not_started, no_data, zero_denominator / Why the value is null';
COMMENT ON COLUMN marts.indicator_values.reason_vi IS 'Lý do giá trị trống, bằng tiếng Việt / Why the value is null, in Vietnamese';
COMMENT ON COLUMN marts.indicator_values.period_order IS 'Thứ tự kỳ / Period sort order';
COMMENT ON COLUMN marts.indicator_values.indicator_order IS 'Thứ tự chỉ tiêu / Indicator sort order';
