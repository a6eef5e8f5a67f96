-- Mỗi vụ vi phạm (bản hiện hành) một dòng, kèm cờ tái phạm tại cùng địa chỉ.
CREATE OR REPLACE VIEW marts.violation_flags AS
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
        resolved_on IS NOT NULL AS resolved,
        marts.address_key(address) AS address_key
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
final AS (
    SELECT
        o.unit_code,
        o.record_id,
        o.group_code,
        o.detected_on AS day,
        o.category,
        o.resolved,
        o.address_key,
        coalesce(o.address_key IS NOT NULL AND o.detected_on - o.previous_on <= p.repeat_window_days, FALSE)
            AS is_repeat
    FROM ordered AS o
    CROSS JOIN params AS p
)
SELECT * FROM final;

COMMENT ON VIEW marts.violation_flags IS 'Mỗi vụ vi phạm (bản hiện hành) một dòng, kèm cờ đã khắc phục và cờ tái phạm / One row per violation (current version) with its resolved and repeat flags';
COMMENT ON COLUMN marts.violation_flags.unit_code IS 'Đơn vị gửi / Sending unit';
COMMENT ON COLUMN marts.violation_flags.record_id IS 'Số hồ sơ / Record number';
COMMENT ON COLUMN marts.violation_flags.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.violation_flags.day IS 'Ngày phát hiện / Date detected';
COMMENT ON COLUMN marts.violation_flags.category IS 'Loại vi phạm / Category';
COMMENT ON COLUMN marts.violation_flags.resolved IS 'Đã có ngày khắc phục / Has a date resolved';
COMMENT ON COLUMN marts.violation_flags.address_key IS 'Địa chỉ đã chuẩn hóa (chữ thường, bỏ dấu, gộp khoảng trắng) / Normalised address';
COMMENT ON COLUMN marts.violation_flags.is_repeat IS 'Tái phạm: cùng tổ, cùng địa chỉ với một vụ trước đó trong vòng 90 ngày / A repeat: an earlier violation at the same address and group within 90 days';
