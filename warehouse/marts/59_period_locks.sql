-- The feed-months the ward has locked ("khóa sổ"): the last lock / reopen of each feed-month is a lock.
-- A view over the approval log, so a lock counts the moment it is committed (the loader reads it too).
CREATE OR REPLACE VIEW marts.period_locks AS
WITH lock_actions AS (
    SELECT
        feed,
        month_key,
        action,
        account,
        acted_at,
        comment,
        row_number() OVER (PARTITION BY feed, month_key ORDER BY action_id DESC) AS newest
    FROM raw.approval_actions
    WHERE action IN ('lock', 'reopen')
),
final AS (
    SELECT
        feed,
        month_key,
        account AS locked_by,
        acted_at AS locked_at,
        comment
    FROM lock_actions
    WHERE newest = 1 AND action = 'lock'
)
SELECT * FROM final;

COMMENT ON VIEW marts.period_locks IS 'Các tháng đã khóa sổ theo loại dữ liệu: không nhận thêm hay sửa số liệu của tháng đó cho đến khi quản trị mở khóa; chỉ tiêu của tháng khóa sổ được coi là đủ báo cáo / Locked feed-months: rows dated in them are refused until an admin reopens them; a locked month counts as complete';
COMMENT ON COLUMN marts.period_locks.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN marts.period_locks.month_key IS 'Tháng đã khóa sổ (yyyy-mm) / Locked month';
COMMENT ON COLUMN marts.period_locks.locked_by IS 'Tài khoản đã khóa sổ / Account that locked it';
COMMENT ON COLUMN marts.period_locks.locked_at IS 'Thời điểm khóa sổ (giờ Việt Nam) / When it was locked (Vietnam time)';
COMMENT ON COLUMN marts.period_locks.comment IS 'Ý kiến khi khóa sổ / Comment given when locking';
