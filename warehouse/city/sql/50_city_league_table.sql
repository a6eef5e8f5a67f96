-- Bảng xếp hạng thi đua các phường cho mỗi kỳ đánh giá: như các tổ trong phường
-- (warehouse/marts/71_league_table.sql): điểm = trung bình có trọng số của các điểm thành phần đã chấm;
-- xếp hạng khi đủ tỷ lệ trọng số, (tùy thiết lập) mọi chỉ tiêu có trọng số đều chấm được và đủ báo cáo
-- đã đến hạn; xếp loại theo ngưỡng điểm. Input: city_league_components, city_indicator_values,
-- city_reporting_completeness, city_indicators, ward_periods, wards, city_settings, city_tiers.
WITH params AS (
    SELECT min_weight_share, rank_requires_all_weighted, rank_requires_reports FROM city_settings
),
evaluations AS (
    SELECT
        period_key AS evaluation,
        min_by(period_label_vi, ward_code) AS evaluation_label_vi,
        min(period_order) AS evaluation_order
    FROM city_indicator_values
    WHERE period_type = 'evaluation' AND scope = 'ward'
    GROUP BY period_key
),
-- part: league_sums unit=ward components=city_league_components
windows AS (
    SELECT ward_code, period_key AS evaluation, data_start, data_end
    FROM ward_periods
    WHERE period_type = 'evaluation'
),
measured AS (
    -- A feed no unit of the ward sends in the window is not measured there: it cannot block ranking.
    SELECT DISTINCT w.evaluation, r.ward_code, r.feed
    FROM city_reporting_completeness AS r
    JOIN windows AS w ON w.ward_code = r.ward_code AND r.month_start BETWEEN w.data_start AND w.data_end
    WHERE r.scope = 'ward' AND r.reports_expected > 0
),
unscored_items AS (
    SELECT
        c.evaluation,
        c.ward_code,
        '«' || c.indicator_name_vi || '»: ' || lower(substr(c.status_vi, 1, 1)) || substr(c.status_vi, 2) AS item,
        c.indicator_order
    FROM city_league_components AS c
    JOIN city_indicators AS i ON i.indicator_id = c.indicator_id
    JOIN measured AS m ON m.evaluation = c.evaluation AND m.ward_code = c.ward_code AND m.feed = i.feed
    CROSS JOIN params AS p
    WHERE c.status <> 'scored' AND p.rank_requires_all_weighted
),
unscored AS (
    SELECT evaluation, ward_code, ordered_concat(item, '; ', indicator_order) AS unscored_vi
    FROM unscored_items
    GROUP BY evaluation, ward_code
),
gap_items AS (
    -- Reports of weighted feeds due in the window and still missing (or, with "all", not yet sent).
    SELECT
        w.evaluation,
        r.ward_code,
        r.feed,
        'thiếu ' || CAST(sum(CASE WHEN p.rank_requires_reports = 'due' THEN r.reports_due_missing
            ELSE r.reports_expected - r.reports_received END) AS STRING)
            || ' báo cáo «' || min(f.feed_label_vi) || '»'
            || CASE WHEN p.rank_requires_reports = 'due' THEN ' đã đến hạn' ELSE ' của kỳ' END AS item
    FROM city_reporting_completeness AS r
    JOIN windows AS w ON w.ward_code = r.ward_code AND r.month_start BETWEEN w.data_start AND w.data_end
    JOIN (SELECT DISTINCT feed, feed_label_vi FROM city_indicators WHERE weight > 0) AS f ON f.feed = r.feed
    CROSS JOIN params AS p
    WHERE r.scope = 'ward' AND p.rank_requires_reports IN ('due', 'all')
    GROUP BY w.evaluation, r.ward_code, r.feed, p.rank_requires_reports
    HAVING sum(CASE WHEN p.rank_requires_reports = 'due' THEN r.reports_due_missing
        ELSE r.reports_expected - r.reports_received END) > 0
),
report_gaps AS (
    SELECT evaluation, ward_code, ordered_concat(item, '; ', feed) AS gaps_vi
    FROM gap_items
    GROUP BY evaluation, ward_code
),
scored AS (
    SELECT
        e.evaluation,
        e.evaluation_label_vi,
        e.evaluation_order,
        w.ward_code,
        w.ward_name,
        -- part: league_score_columns
        u.unscored_vi,
        g.gaps_vi
    FROM evaluations AS e
    CROSS JOIN wards AS w
    CROSS JOIN params AS p
    LEFT JOIN sums AS s ON s.evaluation = e.evaluation AND s.ward_code = w.ward_code
    LEFT JOIN unscored AS u ON u.evaluation = e.evaluation AND u.ward_code = w.ward_code
    LEFT JOIN report_gaps AS g ON g.evaluation = e.evaluation AND g.ward_code = w.ward_code
),
flagged AS (
    SELECT *, enough_weight AND unscored_vi IS NULL AND gaps_vi IS NULL AS ranked FROM scored
),
ranked AS (
    SELECT
        *,
        CASE WHEN ranked THEN rank() OVER (PARTITION BY evaluation, ranked ORDER BY round(score, 6) DESC) END
            AS rank
    FROM flagged
),
tier_pick AS (
    SELECT r.evaluation, r.ward_code, max(t.min_score) AS tier_score
    FROM ranked AS r
    JOIN city_tiers AS t ON t.min_score <= round(r.score, 6)
    WHERE r.ranked
    GROUP BY r.evaluation, r.ward_code
),
final AS (
    SELECT
        r.evaluation,
        r.evaluation_label_vi,
        r.rank,
        r.ward_code,
        r.ward_name,
        r.score,
        CASE
            WHEN NOT r.ranked THEN 'Chưa xếp hạng'
            ELSE coalesce(t.label_vi, (SELECT min_by(label_vi, min_score) FROM city_tiers))
        END AS tier,
        r.ranked,
        CAST(r.indicators_scored AS BIGINT) AS indicators_scored,
        CAST(r.indicators_insufficient AS BIGINT) AS indicators_insufficient,
        CAST(r.indicators_weighted AS BIGINT) AS indicators_weighted,
        r.weight_scored,
        r.weight_total,
        r.weight_share,
        CASE WHEN NOT r.ranked THEN concat_ws('; ',
            CASE
                WHEN r.enough_weight THEN NULL
                WHEN r.weight_scored IS NULL OR r.weight_scored = 0 THEN 'Chưa có chỉ tiêu nào đủ dữ liệu để chấm điểm'
                ELSE 'Các chỉ tiêu đủ dữ liệu chỉ chiếm ' || CAST(round(100 * r.weight_share, 1) AS STRING)
                    || '% tổng trọng số, dưới mức tối thiểu để xếp hạng'
            END,
            r.unscored_vi,
            CASE WHEN r.gaps_vi IS NOT NULL THEN upper(substr(r.gaps_vi, 1, 1)) || substr(r.gaps_vi, 2) END
        ) END AS unranked_reason_vi,
        r.evaluation_order
    FROM ranked AS r
    LEFT JOIN tier_pick AS tp ON tp.evaluation = r.evaluation AND tp.ward_code = r.ward_code
    LEFT JOIN city_tiers AS t ON t.min_score = tp.tier_score
)
SELECT * FROM final
