-- Bảng xếp hạng thi đua cho Hội nghị đánh giá năm 2026
-- League table for the December 2026 conference
SELECT rank, group_code, group_name, round(score, 1) AS score, tier
FROM league_table
WHERE evaluation = 'conference-2026'
ORDER BY rank NULLS LAST
