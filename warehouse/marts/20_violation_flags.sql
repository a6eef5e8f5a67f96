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

-- comments: marts.violation_flags
