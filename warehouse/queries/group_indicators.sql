-- One group's indicators for one period, beside the median of all groups and the ward's value.
WITH period_values AS (
    SELECT * FROM marts.indicator_values WHERE period_key = $period
),
medians AS (
    SELECT indicator_id, median(value) AS group_median, count(value) AS groups_with_value
    FROM period_values
    WHERE scope = 'group'
    GROUP BY indicator_id
),
ward AS (
    SELECT indicator_id, value AS ward_value FROM period_values WHERE scope = 'ward'
),
final AS (
    SELECT g.*, m.group_median, m.groups_with_value, w.ward_value, i.name_en, i.unit_en, i.formula_en, i.category
    FROM period_values AS g
    LEFT JOIN medians AS m USING (indicator_id)
    LEFT JOIN ward AS w USING (indicator_id)
    JOIN marts.indicators AS i USING (indicator_id)
    WHERE g.scope = 'group' AND g.group_code = $group
)
SELECT * FROM final ORDER BY indicator_order
