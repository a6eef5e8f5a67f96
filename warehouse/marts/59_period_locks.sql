-- PLACEHOLDER: the feed-months the ward has locked ("khóa sổ"). Helper i9-approval (issue 9, item 5)
-- replaces this file with the real view under the same name and columns; until then nothing is locked.
-- marts/62_figure_completeness.sql reads it: a locked month counts as complete whatever arrived.
CREATE OR REPLACE VIEW marts.period_locks AS
SELECT CAST(NULL AS VARCHAR) AS feed, CAST(NULL AS VARCHAR) AS month_key
WHERE FALSE;

COMMENT ON VIEW marts.period_locks IS 'Các tháng đã khóa sổ theo loại dữ liệu (chưa dùng: chưa khóa tháng nào) / Locked feed-months (placeholder: none locked)';
COMMENT ON COLUMN marts.period_locks.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN marts.period_locks.month_key IS 'Tháng đã khóa sổ (yyyy-mm) / Locked month';
