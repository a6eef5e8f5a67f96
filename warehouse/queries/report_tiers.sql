-- A report's tiers, best first: the lowest score of each and its Vietnamese label.
SELECT min_score, label_vi FROM marts.settings_tiers ORDER BY min_score DESC
