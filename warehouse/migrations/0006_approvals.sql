-- Approval of each unit's monthly report and locked (closed) feed-months: every action kept with
-- who, when and the comment. The current state is derived from these rows (marts.approval_states,
-- marts.period_locks); nothing here is ever updated or deleted.
CREATE TABLE IF NOT EXISTS raw.approval_actions (
    action_id BIGINT PRIMARY KEY,
    feed VARCHAR NOT NULL,
    unit_code VARCHAR,
    month_key VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    account VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    acted_at TIMESTAMP NOT NULL,
    comment VARCHAR,
    state_before VARCHAR,
    state_after VARCHAR
);

COMMENT ON TABLE raw.approval_actions IS 'Nhật ký duyệt số liệu: mỗi lần gửi duyệt, duyệt, trả lại, khóa sổ, mở khóa một tháng của một loại dữ liệu (không bao giờ sửa hay xóa) / Approval log: every submit, approve, return, lock and reopen of a feed-month (append only)';
COMMENT ON COLUMN raw.approval_actions.action_id IS 'Mã thao tác (tăng dần) / Action id (increasing)';
COMMENT ON COLUMN raw.approval_actions.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN raw.approval_actions.unit_code IS 'Đơn vị có báo cáo được gửi duyệt / duyệt / trả lại (trống khi khóa sổ hoặc mở khóa cả tháng) / Unit whose report it is (null for lock and reopen)';
COMMENT ON COLUMN raw.approval_actions.month_key IS 'Tháng báo cáo (yyyy-mm) / Report month';
COMMENT ON COLUMN raw.approval_actions.action IS 'submit (gửi duyệt), approve (duyệt), return (trả lại), lock (khóa sổ), reopen (mở khóa) / Action';
COMMENT ON COLUMN raw.approval_actions.account IS 'Tài khoản thực hiện / Account that acted';
COMMENT ON COLUMN raw.approval_actions.role IS 'Vai trò của tài khoản lúc thực hiện (unit, leader, admin) / Role of the account when it acted';
COMMENT ON COLUMN raw.approval_actions.acted_at IS 'Thời điểm thực hiện (giờ Việt Nam) / When (Vietnam time)';
COMMENT ON COLUMN raw.approval_actions.comment IS 'Ý kiến kèm theo (bắt buộc khi trả lại và khi mở khóa) / Comment (required to return and to reopen)';
COMMENT ON COLUMN raw.approval_actions.state_before IS 'Trạng thái trước thao tác / State before the action';
COMMENT ON COLUMN raw.approval_actions.state_after IS 'Trạng thái sau thao tác / State after the action';
