-- A group's rank and score in each evaluation, live and as frozen.
WITH live AS (
    SELECT evaluation, evaluation_label_vi AS label, 'live' AS kind, NULL::TIMESTAMP AS frozen_at, rank, score, tier
    FROM marts.league_table
    WHERE group_code = $group
),
frozen AS (
    SELECT s.evaluation, s.evaluation_label_vi AS label, 'frozen' AS kind, s.frozen_at, f.rank, f.score, f.tier
    FROM marts.evaluation_snapshot_league AS f
    JOIN marts.evaluation_snapshots AS s USING (snapshot_id)
    WHERE f.group_code = $group
)
SELECT * FROM live
UNION ALL
SELECT * FROM frozen
ORDER BY evaluation, kind DESC, frozen_at
