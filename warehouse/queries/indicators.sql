-- Indicator definitions, for formulas and labels.
SELECT * FROM marts.indicators ORDER BY position
