-- The weighted indicators of an evaluation whose targets are still the shipped samples (not confirmed).
SELECT DISTINCT i.name_vi, i.position
FROM marts.target_provenance AS t
JOIN marts.indicators AS i USING (indicator_id)
JOIN marts.evaluation_windows AS w ON w.evaluation = $evaluation
WHERE t.status = 'sample' AND i.weight > 0
    AND t.year BETWEEN year(w.window_start) AND year(w.window_end)
ORDER BY i.position
