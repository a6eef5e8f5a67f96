-- Vi phạm theo tổ, ngày và loại, kèm số vụ tái phạm tại cùng địa chỉ.
CREATE OR REPLACE TABLE marts.fact_violations AS
WITH flags AS (
    SELECT group_code, day, category, resolved, is_repeat FROM marts.violation_flags
),
final AS (
    SELECT
        group_code,
        day,
        category,
        count(*) AS violations,
        count(*) FILTER (WHERE resolved) AS violations_resolved,
        count(*) FILTER (WHERE is_repeat) AS violation_repeats
    FROM flags
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
