-- Bảng xếp hạng các tổ của một phường trong một kỳ đánh giá, như phường đã công bố.
-- $ward_league: tệp «league_table» của riêng phường đó; $evaluation.
SELECT rank, group_code, group_name, score, tier, ranked, unranked_reason_vi
FROM read_parquet($ward_league)
WHERE evaluation = $evaluation
ORDER BY ranked DESC, rank NULLS LAST, group_code
