-- The emulation league table of one evaluation.
SELECT *
FROM marts.league_table
WHERE evaluation = $evaluation
ORDER BY rank NULLS LAST, score DESC NULLS LAST, group_code
