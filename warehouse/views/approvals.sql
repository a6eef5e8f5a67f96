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

COMMENT ON VIEW approvals IS 'Nhật ký duyệt số liệu: ai gửi duyệt, duyệt, trả lại, khóa sổ, mở khóa tháng nào của loại dữ liệu nào, lúc nào, với ý kiến gì / Approval log: who submitted, approved, returned, locked or reopened which feed-month, when, with what comment';
COMMENT ON COLUMN approvals.action_id IS 'Mã thao tác (tăng dần) / Action id (increasing)';
COMMENT ON COLUMN approvals.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN approvals.unit_code IS 'Đơn vị (trống khi khóa sổ hoặc mở khóa cả tháng) / Unit (null for lock and reopen)';
COMMENT ON COLUMN approvals.month_key IS 'Tháng báo cáo (yyyy-mm) / Report month';
COMMENT ON COLUMN approvals.action IS 'submit, approve, return, lock, reopen / Action code';
COMMENT ON COLUMN approvals.action_vi IS 'Thao tác bằng tiếng Việt / Action in Vietnamese';
COMMENT ON COLUMN approvals.account IS 'Tài khoản thực hiện / Account that acted';
COMMENT ON COLUMN approvals.role IS 'Vai trò của tài khoản lúc thực hiện / Role of the account when it acted';
COMMENT ON COLUMN approvals.acted_at IS 'Thời điểm thực hiện (giờ Việt Nam) / When (Vietnam time)';
COMMENT ON COLUMN approvals.comment IS 'Ý kiến kèm theo / Comment';
COMMENT ON COLUMN approvals.state_before IS 'Trạng thái trước thao tác / State before the action';
COMMENT ON COLUMN approvals.state_after IS 'Trạng thái sau thao tác / State after the action';
