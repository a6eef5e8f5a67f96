-- The analysts' view of the approval log.
CREATE OR REPLACE VIEW approvals AS
WITH final AS (
    SELECT
        a.action_id,
        a.feed,
        a.unit_code,
        a.month_key,
        a.action,
        CASE a.action
            WHEN 'submit' THEN 'Gửi duyệt'
            WHEN 'approve' THEN 'Duyệt'
            WHEN 'return' THEN 'Trả lại'
            WHEN 'lock' THEN 'Khóa sổ'
            WHEN 'reopen' THEN 'Mở khóa'
        END AS action_vi,
        a.account,
        a.role,
        a.acted_at,
        a.comment,
        a.state_before,
        a.state_after
    FROM raw.approval_actions AS a
)
SELECT * FROM final;

-- comments: approvals
