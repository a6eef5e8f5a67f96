-- A report's evaluation window: its English label, the settings' hash and the minimum weight share.
SELECT w.label_en, p.settings_sha256, p.min_weight_share
FROM marts.evaluation_windows AS w CROSS JOIN marts.settings_params AS p
WHERE w.evaluation = $evaluation
