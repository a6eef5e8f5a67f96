-- Bảng xếp hạng thi đua của mỗi kỳ đánh giá: điểm tổng hợp có trọng số, thứ hạng, xếp loại.
CREATE OR REPLACE TABLE marts.league_table AS
WITH params AS (
    SELECT min_weight_share, rank_requires_all_weighted, rank_requires_reports FROM marts.settings_params
),
groups AS (
    SELECT group_code, group_name FROM residential_groups
),
evaluations AS (
    SELECT evaluation, label_vi AS evaluation_label_vi, position FROM marts.evaluation_windows
),
-- part: league_sums unit=group components=marts.league_components
unscored AS (
    -- The ranking rule (settings [league]): every weighted indicator scored ...
    SELECT
        c.evaluation,
        c.group_code,
        string_agg(
            '«' || indicator_name_vi || '»: ' || lower(substr(status_vi, 1, 1)) || substr(status_vi, 2),
            '; ' ORDER BY indicator_order
        ) AS unscored_vi
    FROM marts.league_components AS c
    CROSS JOIN params AS p
    WHERE c.status <> 'scored' AND p.rank_requires_all_weighted
        -- an indicator whose feed no unit of the ward sends is not measured here: it cannot block ranking
        AND EXISTS (
            SELECT 1 FROM marts.indicators AS i
            JOIN marts.figure_reports AS r ON r.feed = i.feed
            WHERE i.indicator_id = c.indicator_id AND r.period_key = c.evaluation AND r.reports_expected > 0
        )
    GROUP BY ALL
),
report_gaps AS (
    -- ... and the unit reports behind them in (those already due, or all of them; a locked month is complete).
    SELECT
        r.period_key AS evaluation,
        string_agg(
            CASE p.rank_requires_reports
                WHEN 'due' THEN 'thiếu ' || r.reports_due_missing || '/' || r.reports_due
                    || ' báo cáo «' || f.feed_label_vi || '» đã đến hạn (' || r.due_missing_vi || ')'
                ELSE 'thiếu ' || r.reports_missing || '/' || r.reports_expected
                    || ' báo cáo «' || f.feed_label_vi || '» của kỳ'
            END,
            '; ' ORDER BY r.feed
        ) AS gaps_vi
    FROM marts.figure_reports AS r
    JOIN (SELECT DISTINCT feed, feed_label_vi FROM marts.indicators WHERE weight > 0) AS f USING (feed)
    CROSS JOIN params AS p
    WHERE (p.rank_requires_reports = 'due' AND r.reports_due_missing > 0)
        OR (p.rank_requires_reports = 'all' AND r.reports_missing > 0)
    GROUP BY ALL
),
scored AS (
    SELECT
        e.evaluation,
        e.evaluation_label_vi,
        e.position,
        g.group_code,
        g.group_name,
        -- part: league_score_columns
        u.unscored_vi,
        rg.gaps_vi,
        coalesce(s.weight_scored > 0 AND s.weight_scored / s.weight_total >= p.min_weight_share, FALSE)
            AND u.unscored_vi IS NULL AND rg.gaps_vi IS NULL AS ranked
    FROM evaluations AS e
    CROSS JOIN groups AS g
    CROSS JOIN params AS p
    LEFT JOIN sums AS s ON s.evaluation = e.evaluation AND s.group_code = g.group_code
    LEFT JOIN unscored AS u ON u.evaluation = e.evaluation AND u.group_code = g.group_code
    LEFT JOIN report_gaps AS rg ON rg.evaluation = e.evaluation
),
ranked AS (
    SELECT
        *,
        CASE WHEN ranked THEN rank() OVER (
            PARTITION BY evaluation, ranked ORDER BY round(score, 6) DESC
        ) END AS rank
    FROM scored
),
tiered AS (
    SELECT
        r.*,
        CASE WHEN r.ranked THEN (
            SELECT t.label_vi FROM marts.settings_tiers AS t
            WHERE t.min_score <= round(r.score, 6)
            ORDER BY t.min_score DESC
            LIMIT 1
        ) END AS tier_from_score
    FROM ranked AS r
),
final AS (
    SELECT
        evaluation,
        evaluation_label_vi,
        rank,
        group_code,
        group_name,
        score,
        CASE
            WHEN NOT ranked THEN 'Chưa xếp hạng'
            ELSE coalesce(tier_from_score, (SELECT label_vi FROM marts.settings_tiers ORDER BY min_score LIMIT 1))
        END AS tier,
        ranked,
        indicators_scored,
        indicators_insufficient,
        indicators_weighted,
        weight_scored,
        weight_total,
        weight_share,
        CASE WHEN NOT ranked THEN concat_ws('; ',
            CASE
                WHEN enough_weight THEN NULL
                WHEN weight_scored IS NULL OR weight_scored = 0 THEN 'Chưa có chỉ tiêu nào đủ dữ liệu để chấm điểm'
                ELSE 'Các chỉ tiêu đủ dữ liệu chỉ chiếm ' || round(100 * weight_share, 1)
                    || '% tổng trọng số, dưới mức tối thiểu để xếp hạng'
            END,
            unscored_vi,
            CASE WHEN gaps_vi IS NOT NULL THEN upper(substr(gaps_vi, 1, 1)) || substr(gaps_vi, 2) END
        ) END AS unranked_reason_vi,
        position AS evaluation_order
    FROM tiered
)
SELECT * EXCLUDE (unranked_reason_vi), unranked_reason_vi AS note_vi, unranked_reason_vi FROM final;

-- comments: marts.league_table
