-- The evaluations of the settings file.
SELECT evaluation, label_vi, label_en, window_start, window_end, position
FROM marts.evaluation_windows
ORDER BY position
