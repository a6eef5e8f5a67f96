-- Bảng xếp hạng các phường của một kỳ đánh giá. $league: mart city_league_table; $evaluation.
SELECT evaluation, evaluation_label_vi, rank, ward_code, ward_name, score, tier, ranked,
    indicators_scored, indicators_weighted, weight_share, unranked_reason_vi,
    unranked_reason_vi AS note_vi
FROM read_parquet($league)
WHERE evaluation = $evaluation
ORDER BY ranked DESC, rank NULLS LAST, score DESC NULLS LAST, ward_code
