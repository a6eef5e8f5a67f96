-- A report's ward indicators of one evaluation, live figures, with their English names.
SELECT
    v.indicator_id, v.indicator_name_vi, i.name_en AS indicator_name_en, v.unit_vi, i.unit_en,
    v.formula_vi, i.formula_en, v.direction, v.numerator, v.denominator, v.sample_size,
    v.value, v.target, v.gap_to_target, v.on_track, v.reason, v.reason_vi, v.indicator_order,
    v.data_status, v.data_status_vi
FROM marts.indicator_values AS v
LEFT JOIN marts.indicators AS i USING (indicator_id)
WHERE v.scope = 'ward' AND v.period_type = 'evaluation' AND v.period_key = $evaluation
ORDER BY v.indicator_order
