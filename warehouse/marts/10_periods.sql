-- Kỳ báo cáo: tháng, quý, năm (theo lịch) từ ngày bắt đầu phong trào đến hôm nay, và các kỳ đánh giá.
CREATE OR REPLACE TABLE marts.periods AS
WITH params AS (
    SELECT campaign_start, as_of FROM marts.settings_params
),
calendar_starts AS (
    SELECT 'month' AS period_type, 1 AS type_order,
        unnest(generate_series(date_trunc('month', campaign_start), date_trunc('month', as_of), INTERVAL 1 MONTH))::DATE AS period_start
    FROM params
    UNION ALL
    SELECT 'quarter', 2,
        unnest(generate_series(date_trunc('quarter', campaign_start), date_trunc('quarter', as_of), INTERVAL 3 MONTH))::DATE
    FROM params
    UNION ALL
    SELECT 'year', 3,
        unnest(generate_series(date_trunc('year', campaign_start), date_trunc('year', as_of), INTERVAL 1 YEAR))::DATE
    FROM params
),
calendar AS (
    SELECT
        period_type,
        type_order,
        CASE period_type
            WHEN 'month' THEN strftime(period_start, '%Y-%m')
            WHEN 'quarter' THEN year(period_start) || '-Q' || quarter(period_start)
            ELSE CAST(year(period_start) AS VARCHAR)
        END AS period_key,
        CASE period_type
            WHEN 'month' THEN 'Tháng ' || strftime(period_start, '%m/%Y')
            WHEN 'quarter' THEN 'Quý ' || ['I', 'II', 'III', 'IV'][quarter(period_start)] || '/' || year(period_start)
            ELSE 'Năm ' || year(period_start)
        END AS label_vi,
        CASE period_type
            WHEN 'month' THEN strftime(period_start, '%B %Y')
            WHEN 'quarter' THEN 'Q' || quarter(period_start) || ' ' || year(period_start)
            ELSE CAST(year(period_start) AS VARCHAR)
        END AS label_en,
        period_start,
        CAST(period_start + CASE period_type
            WHEN 'month' THEN INTERVAL 1 MONTH
            WHEN 'quarter' THEN INTERVAL 3 MONTH
            ELSE INTERVAL 1 YEAR
        END - INTERVAL 1 DAY AS DATE) AS period_end,
        NULL::VARCHAR AS evaluation,
        0 AS evaluation_position
    FROM calendar_starts
),
evaluations AS (
    SELECT
        'evaluation' AS period_type,
        4 AS type_order,
        evaluation AS period_key,
        label_vi,
        label_en,
        window_start AS period_start,
        window_end AS period_end,
        evaluation,
        position AS evaluation_position
    FROM marts.evaluation_windows
),
all_periods AS (
    SELECT * FROM calendar
    UNION ALL BY NAME
    SELECT * FROM evaluations
),
bounded AS (
    SELECT
        a.*,
        -- Calendar periods count from the campaign start; an evaluation window as the ward set it.
        CASE WHEN a.period_type = 'evaluation' THEN a.period_start
            ELSE greatest(a.period_start, p.campaign_start) END AS data_start,
        least(a.period_end, p.as_of) AS data_end,
        p.as_of
    FROM all_periods AS a
    CROSS JOIN params AS p
),
with_saturday AS (
    SELECT
        *,
        data_start + CAST((6 - isodow(data_start) + 7) % 7 AS INTEGER) AS first_saturday
    FROM bounded
),
final AS (
    SELECT
        period_type,
        period_key,
        label_vi,
        label_en,
        period_start,
        period_end,
        data_start,
        data_end,
        CASE
            WHEN data_start > as_of THEN 'not_started'
            WHEN period_end <= as_of THEN 'complete'
            ELSE 'in_progress'
        END AS status,
        greatest(data_end - data_start + 1, 0) AS days_elapsed,
        -- Saturdays in [data_start, data_end]: from the first Saturday on or after data_start.
        CASE
            WHEN first_saturday > data_end THEN 0
            ELSE (data_end - first_saturday) // 7 + 1
        END AS saturdays,
        evaluation,
        row_number() OVER (ORDER BY type_order, evaluation_position, period_start) AS sort_order
    FROM with_saturday
)
SELECT * FROM final;

-- comments: marts.periods
