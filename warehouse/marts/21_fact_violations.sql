-- Vi phạm theo tổ, ngày và loại, kèm số vụ tái phạm tại cùng địa chỉ.
CREATE OR REPLACE TABLE marts.fact_violations AS
WITH params AS (
    SELECT repeat_window_days FROM marts.settings_params
),
violations AS (
    SELECT
        unit_code,
        record_id,
        group_code,
        detected_on,
        category,
        resolved_on,
        -- Same address however it was typed: case, spacing and diacritics ignored.
        nullif(
            regexp_replace(strip_accents(replace(lower(trim(coalesce(address, ''))), 'đ', 'd')), '\s+', ' ', 'g'),
            ''
        ) AS address_key
    FROM core.violations
),
ordered AS (
    SELECT
        *,
        lag(detected_on) OVER (
            PARTITION BY group_code, address_key ORDER BY detected_on, unit_code, record_id
        ) AS previous_on
    FROM violations
),
flagged AS (
    SELECT
        o.*,
        o.address_key IS NOT NULL
            AND o.previous_on IS NOT NULL
            AND o.detected_on - o.previous_on <= p.repeat_window_days AS is_repeat
    FROM ordered AS o
    CROSS JOIN params AS p
),
final AS (
    SELECT
        group_code,
        detected_on AS day,
        category,
        count(*) AS violations,
        count(resolved_on) AS violations_resolved,
        count(*) FILTER (WHERE is_repeat) AS violation_repeats
    FROM flagged
    GROUP BY ALL
)
SELECT * FROM final;

COMMENT ON TABLE marts.fact_violations IS 'Số vụ vi phạm theo tổ dân phố, ngày phát hiện và loại (bản hiện hành của mỗi hồ sơ) / Violations per group, day detected and category (current version of each record)';
COMMENT ON COLUMN marts.fact_violations.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.fact_violations.day IS 'Ngày phát hiện / Date detected';
COMMENT ON COLUMN marts.fact_violations.category IS 'Loại vi phạm / Category';
COMMENT ON COLUMN marts.fact_violations.violations IS 'Số vụ vi phạm / Violations';
COMMENT ON COLUMN marts.fact_violations.violations_resolved IS 'Số vụ đã có ngày khắc phục / Violations with a date resolved';
COMMENT ON COLUMN marts.fact_violations.violation_repeats IS 'Số vụ tái phạm: cùng tổ, cùng địa chỉ (không phân biệt hoa thường, dấu, khoảng trắng) với một vụ trước đó trong vòng 90 ngày / Repeats: an earlier violation at the same address and group within 90 days';
