-- The scorecard: every residential group (and the ward) × every headline indicator, for one period.
-- `v.*` so that columns added to indicator_values later (data_status, reporting_share) reach the page.
SELECT v.*, i.name_en, i.unit_en, i.formula_en, i.feed
FROM marts.indicator_values AS v
JOIN marts.indicators AS i USING (indicator_id)
WHERE v.period_key = $period AND i.category IS NULL
ORDER BY v.scope DESC, v.group_code, v.indicator_order
