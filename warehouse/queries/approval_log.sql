-- Every approval action on one feed-month, newest first: who, when, what, the comment.
SELECT acted_at, action_vi, unit_code, account, comment
FROM approvals
WHERE feed = $feed AND month_key = $month
ORDER BY action_id DESC
