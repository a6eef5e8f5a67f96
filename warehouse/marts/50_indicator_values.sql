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

-- comments: marts.indicator_values
