-- Beside each figure of a period: whether its target is the ward's decision or a shipped sample.
WITH chosen AS (
    SELECT data_start, period_end FROM marts.periods WHERE period_key = $period
),
years AS (
    SELECT t.*
    FROM marts.target_provenance AS t
    CROSS JOIN chosen AS c
    WHERE t.target IS NOT NULL AND t.year BETWEEN year(c.data_start) AND year(c.period_end)
),
final AS (
    SELECT
        indicator_id,
        CASE WHEN bool_or(status = 'sample') THEN 'sample' ELSE arg_max(status, year) END AS status,
        CASE WHEN bool_or(status = 'sample') THEN 'chỉ tiêu mẫu — phường chưa xác nhận'
            ELSE arg_max(note_vi, year) END AS note_vi
    FROM years
    GROUP BY indicator_id
)
SELECT * FROM final
