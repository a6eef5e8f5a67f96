-- What changed since each frozen evaluation: the frozen league table and indicator values against the live ones.
CREATE OR REPLACE VIEW evaluation_changes AS
WITH snapshots AS (
    SELECT snapshot_id, evaluation, frozen_at FROM marts.evaluation_snapshots
),
frozen AS (
    SELECT snapshot_id, group_code, group_name, rank, score, tier FROM marts.evaluation_snapshot_league
),
live AS (
    SELECT evaluation, group_code, group_name, rank, score, tier FROM marts.league_table
),
keys AS (
    SELECT snapshot_id, group_code FROM frozen
    UNION
    SELECT s.snapshot_id, l.group_code FROM snapshots AS s JOIN live AS l USING (evaluation)
),
final AS (
    SELECT
        s.snapshot_id,
        s.evaluation,
        s.frozen_at,
        k.group_code,
        coalesce(l.group_name, f.group_name) AS group_name,
        f.rank AS frozen_rank,
        l.rank AS live_rank,
        f.score AS frozen_score,
        l.score AS live_score,
        l.score - f.score AS score_change,
        f.tier AS frozen_tier,
        l.tier AS live_tier,
        f.rank IS DISTINCT FROM l.rank
            OR round(f.score, 6) IS DISTINCT FROM round(l.score, 6)
            OR f.tier IS DISTINCT FROM l.tier AS changed
    FROM keys AS k
    JOIN snapshots AS s USING (snapshot_id)
    LEFT JOIN frozen AS f ON f.snapshot_id = k.snapshot_id AND f.group_code = k.group_code
    LEFT JOIN live AS l ON l.evaluation = s.evaluation AND l.group_code = k.group_code
)
SELECT * FROM final;

-- comments: evaluation_changes

CREATE OR REPLACE VIEW evaluation_indicator_changes AS
WITH snapshots AS (
    SELECT snapshot_id, evaluation, frozen_at FROM marts.evaluation_snapshots
),
frozen AS (
    SELECT snapshot_id, scope, group_code, indicator_id, value, target FROM marts.evaluation_snapshot_indicators
),
live AS (
    SELECT period_key AS evaluation, scope, group_code, indicator_id, value, target
    FROM marts.indicator_values
    WHERE period_type = 'evaluation'
),
final AS (
    SELECT
        s.snapshot_id,
        s.evaluation,
        s.frozen_at,
        f.scope,
        f.group_code,
        f.indicator_id,
        f.value AS frozen_value,
        l.value AS live_value,
        l.value - f.value AS value_change,
        f.target AS frozen_target,
        l.target AS live_target,
        round(f.value, 9) IS DISTINCT FROM round(l.value, 9)
            OR round(f.target, 9) IS DISTINCT FROM round(l.target, 9) AS changed
    FROM frozen AS f
    JOIN snapshots AS s USING (snapshot_id)
    LEFT JOIN live AS l
        ON l.evaluation = s.evaluation AND l.scope = f.scope
        AND l.group_code IS NOT DISTINCT FROM f.group_code AND l.indicator_id = f.indicator_id
)
SELECT * FROM final;

-- comments: evaluation_indicator_changes
