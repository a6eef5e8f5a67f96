-- Groups furthest behind in one period: fewest indicators on track, then the largest share off track.
WITH judged AS (
    SELECT group_code, group_name, indicator_id, indicator_name_vi, on_track
    FROM marts.indicator_values
    WHERE period_key = $period AND scope = 'group' AND on_track IS NOT NULL
),
final AS (
    SELECT
        group_code,
        any_value(group_name) AS group_name,
        count(*) AS indicators_judged,
        count(*) FILTER (WHERE on_track) AS indicators_on_track,
        count(*) FILTER (WHERE NOT on_track) AS indicators_off_track,
        round(100.0 * count(*) FILTER (WHERE on_track) / count(*), 1) AS on_track_share,
        string_agg(indicator_name_vi, '; ' ORDER BY indicator_name_vi) FILTER (WHERE NOT on_track)
            AS off_track_indicators
    FROM judged
    GROUP BY group_code
)
SELECT * FROM final ORDER BY on_track_share, indicators_off_track DESC, group_code LIMIT $limit
