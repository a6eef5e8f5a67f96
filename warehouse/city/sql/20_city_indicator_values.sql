-- Mọi chỉ tiêu theo kỳ cho từng phường và toàn thành phố. Phường: đúng con số phường đã công bố.
-- Thành phố: cộng tử số, mẫu số, cỡ mẫu của các phường có số liệu (như phường cộng các tổ), rồi tính
-- giá trị; trung vị không cộng được nên để trống kèm lý do. Input: ward_indicator_values, wards, city_indicators.
WITH ward_rows AS (
    SELECT
        v.period_type,
        v.period_key,
        v.period_label_vi,
        v.period_order,
        v.ward_code,
        v.indicator_id,
        CAST(v.numerator AS DOUBLE) AS numerator,
        CAST(v.denominator AS DOUBLE) AS denominator,
        CAST(v.sample_size AS DOUBLE) AS sample_size,
        CAST(v.value AS DOUBLE) AS value,
        CAST(v.target AS DOUBLE) AS target,
        v.reason,
        v.reason_vi,
        v.data_status
    FROM ward_indicator_values AS v
    WHERE v.scope = 'ward'
),
ward_scope AS (
    SELECT
        r.period_type,
        r.period_key,
        r.period_label_vi,
        r.period_order,
        'ward' AS scope,
        r.ward_code,
        w.ward_name AS scope_name,
        r.indicator_id,
        r.numerator,
        r.denominator,
        r.sample_size,
        r.value,
        r.target,
        r.reason,
        r.reason_vi,
        r.data_status,
        CAST(1 AS BIGINT) AS wards_total,
        CAST(CASE WHEN r.value IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS wards_with_value
    FROM ward_rows AS r
    JOIN wards AS w ON w.ward_code = r.ward_code
),
sums AS (
    SELECT
        r.period_type,
        r.period_key,
        min_by(r.period_label_vi, r.ward_code) AS period_label_vi,
        min(r.period_order) AS period_order,
        r.indicator_id,
        count(*) AS wards_total,
        count(r.value) AS wards_with_value,
        count(r.numerator) + count(r.sample_size) AS wards_with_data,
        sum(r.numerator) AS numerator,
        sum(r.denominator) AS denominator,
        sum(r.sample_size) AS sample_size,
        count(r.target) AS targets_set,
        sum(r.target) AS target_sum,
        min(r.target) AS target_min,
        max(r.target) AS target_max,
        count(*) FILTER (WHERE r.data_status = 'complete') AS wards_complete,
        min(r.reason) AS any_reason
    FROM ward_rows AS r
    GROUP BY r.period_type, r.period_key, r.indicator_id
),
city_scope AS (
    SELECT
        s.period_type,
        s.period_key,
        s.period_label_vi,
        s.period_order,
        'city' AS scope,
        CAST(NULL AS STRING) AS ward_code,
        'Toàn thành phố' AS scope_name,
        s.indicator_id,
        CASE WHEN i.kind = 'median' THEN NULL ELSE s.numerator END AS numerator,
        CASE WHEN i.kind = 'ratio' THEN s.denominator END AS denominator,
        s.sample_size,
        CASE
            WHEN i.kind = 'median' OR s.wards_with_data = 0 THEN NULL
            WHEN i.kind = 'count' THEN s.numerator
            ELSE i.scale * s.numerator / nullif(s.denominator, 0)
        END AS value,
        CASE
            WHEN s.targets_set < s.wards_total THEN NULL
            WHEN i.ward_target = 'sum_of_groups' THEN s.target_sum
            WHEN s.target_min = s.target_max THEN s.target_min
        END AS target,
        CASE
            WHEN i.kind = 'median' THEN 'not_additive'
            WHEN s.wards_with_data = 0 THEN coalesce(s.any_reason, 'no_data')
            WHEN i.kind = 'ratio' AND coalesce(s.denominator, 0) = 0 THEN 'zero_denominator'
        END AS reason,
        CASE
            WHEN i.kind = 'median' THEN 'Trung vị không cộng được từ số liệu các phường: xem từng phường'
            WHEN s.wards_with_data = 0 THEN 'Chưa phường nào có số liệu cho kỳ này'
            WHEN i.kind = 'ratio' AND coalesce(s.denominator, 0) = 0 THEN 'Không tính được: mẫu số bằng 0'
        END AS reason_vi,
        CASE
            WHEN s.wards_complete = s.wards_total THEN 'complete'
            WHEN s.wards_with_data = 0 THEN 'no_data'
            ELSE 'provisional'
        END AS data_status,
        s.wards_total,
        s.wards_with_value
    FROM sums AS s
    JOIN city_indicators AS i ON i.indicator_id = s.indicator_id
),
both_scopes AS (
    SELECT * FROM ward_scope
    UNION ALL
    SELECT * FROM city_scope
),
final AS (
    SELECT
        b.period_type,
        b.period_key,
        b.period_label_vi,
        b.period_order,
        b.scope,
        b.ward_code,
        b.scope_name,
        b.indicator_id,
        i.indicator_name_vi,
        i.unit_vi,
        i.formula_vi,
        i.direction,
        i.kind,
        b.numerator,
        b.denominator,
        b.sample_size,
        b.value,
        b.target,
        b.value - b.target AS gap_to_target,
        CASE
            WHEN b.value IS NULL OR b.target IS NULL OR b.data_status <> 'complete' THEN NULL
            WHEN i.direction = 'higher' THEN b.value >= b.target
            ELSE b.value <= b.target
        END AS on_track,
        b.reason,
        b.reason_vi,
        b.data_status,
        b.wards_total,
        b.wards_with_value,
        i.indicator_order
    FROM both_scopes AS b
    JOIN city_indicators AS i ON i.indicator_id = b.indicator_id
)
SELECT * FROM final
