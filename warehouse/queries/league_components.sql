-- Component scores of one evaluation (every group, or one), with the raw numbers behind them.
SELECT c.*, i.name_en, i.formula_en, i.unit_en
FROM marts.league_components AS c
JOIN marts.indicators AS i USING (indicator_id)
WHERE c.evaluation = $evaluation AND ($group IS NULL OR c.group_code = $group)
ORDER BY c.group_code, c.indicator_order
