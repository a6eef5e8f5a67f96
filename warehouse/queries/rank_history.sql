-- A group's rank and score in each evaluation, live and as frozen, in the order the windows end.
WITH windows AS (
    SELECT
        w.evaluation, w.window_start, w.window_end, w.position,
        least(w.window_end, p.as_of) AS counted_to
    FROM marts.evaluation_windows AS w
    CROSS JOIN marts.settings_params AS p
),
live AS (
    SELECT evaluation, evaluation_label_vi AS label, 'live' AS kind, NULL::TIMESTAMP AS frozen_at, rank, score, tier
    FROM marts.league_table
    WHERE group_code = $group
),
frozen AS (
    SELECT s.evaluation, s.evaluation_label_vi AS label, 'frozen' AS kind, s.frozen_at, f.rank, f.score, f.tier
    FROM marts.evaluation_snapshot_league AS f
    JOIN marts.evaluation_snapshots AS s USING (snapshot_id)
    WHERE f.group_code = $group
),
final AS (
    SELECT h.*, w.window_start, w.window_end, w.counted_to, w.position
    FROM (SELECT * FROM live UNION ALL SELECT * FROM frozen) AS h
    JOIN windows AS w USING (evaluation)
)
SELECT * FROM final
ORDER BY window_end, window_start, position, kind DESC, frozen_at
