-- Tier labels from the best to the worst (the settings' thresholds).
SELECT label_vi, min_score FROM marts.settings_tiers ORDER BY min_score DESC
