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

-- comments: marts.period_locks
