-- `dothixanh settings targets`: every yearly target with who set it, for one year or all ($year NULL).
SELECT i.name_vi, i.unit_vi, t.year, t.target, t.note_vi
FROM marts.target_provenance AS t
JOIN marts.indicators AS i USING (indicator_id)
WHERE t.target IS NOT NULL AND ($year IS NULL OR t.year = $year)
ORDER BY i.position, t.year
