-- Effective-dated reference lists, a freeze that can be checked, and the ward's confirmation of its targets.

-- A version of the groups or units list applies from valid_from on: a month uses the version valid on
-- its last day. Versions stored before this migration apply from the day they were stored, except
-- each list's first version, which applies from the start of the campaign (2026-2030).
ALTER TABLE ref.versions ADD COLUMN IF NOT EXISTS valid_from DATE;
UPDATE ref.versions SET valid_from = CASE
    WHEN version = (SELECT min(v.version) FROM ref.versions AS v WHERE v.kind = ref.versions.kind)
        THEN least(CAST(created_at AS DATE), DATE '2026-01-01')
    ELSE CAST(created_at AS DATE)
END
WHERE valid_from IS NULL;
COMMENT ON COLUMN ref.versions.valid_from IS 'Áp dụng từ ngày (tháng dùng phiên bản có hiệu lực vào ngày cuối tháng) / Valid from (a month uses the version valid on its last day)';

-- What a freeze was computed from, so `dothixanh evaluate --verify N` can recompute it.
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS last_upload_id BIGINT;
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS reference_version BIGINT;
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS groups_versions BIGINT[];
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS units_versions BIGINT[];
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS input_records BIGINT;
ALTER TABLE marts.evaluation_snapshots ADD COLUMN IF NOT EXISTS input_sha256 VARCHAR;
COMMENT ON COLUMN marts.evaluation_snapshots.last_upload_id IS 'Lần gửi mới nhất có trong bản chốt (bản ghi hiệu lực lúc chốt) / Latest upload included (records valid at the freeze)';
COMMENT ON COLUMN marts.evaluation_snapshots.reference_version IS 'Phiên bản danh mục mới nhất lúc chốt / Latest reference-list version at the freeze';
COMMENT ON COLUMN marts.evaluation_snapshots.groups_versions IS 'Các phiên bản danh sách tổ dân phố đã dùng cho kỳ đánh giá / Groups-list versions the window used';
COMMENT ON COLUMN marts.evaluation_snapshots.units_versions IS 'Các phiên bản danh sách đơn vị đã dùng cho kỳ đánh giá / Units-list versions the window used';
COMMENT ON COLUMN marts.evaluation_snapshots.input_records IS 'Số bản ghi đầu vào (bốn loại dữ liệu) lúc chốt / Input records at the freeze';
COMMENT ON COLUMN marts.evaluation_snapshots.input_sha256 IS 'Mã băm SHA-256 của các bản ghi đầu vào lúc chốt / SHA-256 fingerprint of the input records';

-- An administrator confirming the targets of one settings version as the ward's decision.
CREATE TABLE IF NOT EXISTS ref.target_confirmations (
    confirmed_at TIMESTAMP NOT NULL,
    confirmed_by VARCHAR NOT NULL,
    settings_sha256 VARCHAR NOT NULL,
    note VARCHAR
);
COMMENT ON TABLE ref.target_confirmations IS 'Các lần quản trị xác nhận chỉ tiêu trong tệp thiết lập là quyết định của phường / Administrators confirming the settings targets as the ward''s decision';
COMMENT ON COLUMN ref.target_confirmations.confirmed_at IS 'Thời điểm xác nhận (giờ Việt Nam) / When (Vietnam time)';
COMMENT ON COLUMN ref.target_confirmations.confirmed_by IS 'Tài khoản quản trị xác nhận / Confirming administrator';
COMMENT ON COLUMN ref.target_confirmations.settings_sha256 IS 'Mã băm tệp thiết lập được xác nhận / SHA-256 of the settings confirmed';
COMMENT ON COLUMN ref.target_confirmations.note IS 'Ghi chú (ví dụ: số nghị quyết) / Note (e.g. the resolution number)';
