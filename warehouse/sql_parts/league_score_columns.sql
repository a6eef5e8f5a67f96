        -- A unit's league score (warehouse/sql_parts/league_scoring.sql's components, `s` their sums per
        -- unit and evaluation, `p` the ranking settings): the weighted mean of its scored components and
        -- whether enough of the weight is scored to rank it.
        s.weight_total,
        s.weight_scored,
        coalesce(s.indicators_scored, 0) AS indicators_scored,
        coalesce(s.indicators_insufficient, 0) AS indicators_insufficient,
        coalesce(s.indicators_weighted, 0) AS indicators_weighted,
        CASE WHEN s.weight_scored > 0 THEN s.weighted_points / s.weight_scored END AS score,
        CASE WHEN s.weight_total > 0 THEN s.weight_scored / s.weight_total ELSE 0 END AS weight_share,
        coalesce(s.weight_scored > 0 AND s.weight_scored / s.weight_total >= p.min_weight_share, FALSE)
            AS enough_weight,
