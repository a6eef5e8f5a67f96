-- Chỉ tiêu của thành phố: định nghĩa (công thức, đơn vị, cách cộng) lấy từ dữ liệu các phường gửi lên,
-- chiều tốt, trọng số và cỡ mẫu tối thiểu lấy từ thiết lập của thành phố: mọi phường chấm cùng một thang.
-- Input views: ward_indicators (store), city_weights (city settings). One SQL for DuckDB and Spark.
WITH defs AS (
    SELECT
        indicator_id,
        min_by(position, ward_code) AS indicator_order,
        min_by(name_vi, ward_code) AS indicator_name_vi,
        min_by(unit_vi, ward_code) AS unit_vi,
        min_by(formula_vi, ward_code) AS formula_vi,
        min_by(feed, ward_code) AS feed,
        min_by(feed_label_vi, ward_code) AS feed_label_vi,
        min_by(kind, ward_code) AS kind,
        CAST(min_by(scale, ward_code) AS DOUBLE) AS scale,
        min_by(ward_target, ward_code) AS ward_target,
        min_by(sample_vi, ward_code) AS sample_vi,
        count(DISTINCT ward_code) AS wards_defining,
        count(DISTINCT kind || '|' || CAST(scale AS STRING) || '|' || ward_target) AS definitions
    FROM ward_indicators
    GROUP BY indicator_id
),
final AS (
    SELECT
        d.indicator_id,
        d.indicator_order,
        d.indicator_name_vi,
        d.unit_vi,
        d.formula_vi,
        d.feed,
        d.feed_label_vi,
        d.kind,
        d.scale,
        d.ward_target,
        d.sample_vi,
        coalesce(w.direction, 'higher') AS direction,
        CAST(coalesce(w.weight, 0) AS DOUBLE) AS weight,
        CAST(coalesce(w.min_sample, 0) AS BIGINT) AS min_sample,
        d.wards_defining,
        d.definitions = 1 AS same_definition
    FROM defs AS d
    LEFT JOIN city_weights AS w ON w.indicator_id = d.indicator_id
)
SELECT * FROM final
