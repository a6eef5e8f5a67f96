-- Each unit's components (warehouse/sql_parts/league_scoring.sql) summed per evaluation. Slots: the
-- unit (group: the ward's, ward: the city's) and the components' table.
sums AS (
    SELECT
        evaluation,
        {{unit}}_code,
        sum(weight) AS weight_total,
        coalesce(sum(weight) FILTER (WHERE status = 'scored'), 0) AS weight_scored,
        sum(weight * component_score) FILTER (WHERE status = 'scored') AS weighted_points,
        count(*) FILTER (WHERE status = 'scored') AS indicators_scored,
        count(*) FILTER (WHERE status = 'insufficient_data') AS indicators_insufficient,
        count(*) AS indicators_weighted
    FROM {{components}}
    GROUP BY evaluation, {{unit}}_code
),
