-- The analysts' stable views over reference data and uploads.
CREATE OR REPLACE VIEW residential_groups AS
WITH current_version AS (
    -- The version valid today (the latest valid_from not after today; the earliest if none is yet).
    SELECT version FROM ref.versions WHERE kind = 'groups'
    ORDER BY valid_from <= current_date DESC,
        CASE WHEN valid_from <= current_date THEN valid_from END DESC NULLS LAST,
        CASE WHEN valid_from <= current_date THEN version END DESC NULLS LAST,
        valid_from, version
    LIMIT 1
),
final AS (
    SELECT g.group_code, g.group_name, g.households, g.population, g.version AS ref_version
    FROM ref.groups AS g
    JOIN current_version USING (version)
)
SELECT * FROM final;

COMMENT ON VIEW residential_groups IS 'Tổ dân phố của phường (phiên bản có hiệu lực hôm nay; từng tháng dùng phiên bản có hiệu lực vào ngày cuối tháng, xem marts.period_groups) / Residential groups of the ward (the version valid today; each month uses the version valid on its last day, see marts.period_groups)';
COMMENT ON COLUMN residential_groups.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN residential_groups.group_name IS 'Tên tổ dân phố / Group name';
COMMENT ON COLUMN residential_groups.households IS 'Số hộ / Households';
COMMENT ON COLUMN residential_groups.population IS 'Số nhân khẩu / Population';
COMMENT ON COLUMN residential_groups.ref_version IS 'Phiên bản danh sách / Reference data version';

CREATE OR REPLACE VIEW units AS
WITH current_version AS (
    -- The version valid today (the latest valid_from not after today; the earliest if none is yet).
    SELECT version FROM ref.versions WHERE kind = 'units'
    ORDER BY valid_from <= current_date DESC,
        CASE WHEN valid_from <= current_date THEN valid_from END DESC NULLS LAST,
        CASE WHEN valid_from <= current_date THEN version END DESC NULLS LAST,
        valid_from, version
    LIMIT 1
),
final AS (
    SELECT u.unit_code, u.unit_name, u.feeds, u.version AS ref_version
    FROM ref.units AS u
    JOIN current_version USING (version)
)
SELECT * FROM final;

COMMENT ON VIEW units IS 'Đơn vị gửi báo cáo (phiên bản có hiệu lực hôm nay) / Reporting units (the version valid today)';
COMMENT ON COLUMN units.unit_code IS 'Mã đơn vị / Unit code';
COMMENT ON COLUMN units.unit_name IS 'Tên đơn vị / Unit name';
COMMENT ON COLUMN units.feeds IS 'Loại dữ liệu được gửi / Feeds the unit may send';
COMMENT ON COLUMN units.ref_version IS 'Phiên bản danh sách / Reference data version';

CREATE OR REPLACE VIEW reference_versions AS
SELECT version, kind, valid_from, created_at, created_by, file_name, sha256
FROM ref.versions;

COMMENT ON VIEW reference_versions IS 'Các phiên bản danh sách tổ dân phố và đơn vị, mỗi bản áp dụng từ một ngày / Every version of the groups and units lists, each valid from a date';
COMMENT ON COLUMN reference_versions.version IS 'Số phiên bản / Version number';
COMMENT ON COLUMN reference_versions.kind IS 'Danh sách: groups (tổ dân phố) hoặc units (đơn vị) / Which list';
COMMENT ON COLUMN reference_versions.valid_from IS 'Áp dụng từ ngày (tháng dùng phiên bản có hiệu lực vào ngày cuối tháng) / Valid from (a month uses the version valid on its last day)';
COMMENT ON COLUMN reference_versions.created_at IS 'Thời điểm lưu (giờ Việt Nam) / When it was stored';
COMMENT ON COLUMN reference_versions.created_by IS 'Người lưu / Stored by';
COMMENT ON COLUMN reference_versions.file_name IS 'Tên tệp gốc / Original file name';
COMMENT ON COLUMN reference_versions.sha256 IS 'Mã băm SHA-256 của tệp gốc / SHA-256 of the original file';

CREATE OR REPLACE VIEW uploads AS
SELECT
    upload_id, feed, unit_code, file_name, sha256, size_bytes, stored_path, received_at,
    uploaded_by, status, refusal_reason, file_format, encoding, delimiter,
    rows_total, rows_accepted, rows_rejected, rows_new, rows_corrected,
    extra_columns, period_start, period_end, report_months, validation_result,
    coalesce(nothing_to_report, FALSE) AS nothing_to_report
FROM raw.uploads;

COMMENT ON VIEW uploads IS 'Các tệp đơn vị đã gửi, giữ nguyên bản gốc / Every file received, kept byte for byte';
COMMENT ON COLUMN uploads.upload_id IS 'Mã lần gửi / Upload id';
COMMENT ON COLUMN uploads.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN uploads.unit_code IS 'Đơn vị gửi / Sending unit';
COMMENT ON COLUMN uploads.file_name IS 'Tên tệp gốc / Original file name';
COMMENT ON COLUMN uploads.sha256 IS 'Mã băm SHA-256 của tệp gốc / SHA-256 of the original bytes';
COMMENT ON COLUMN uploads.size_bytes IS 'Dung lượng (byte) / Size in bytes';
COMMENT ON COLUMN uploads.stored_path IS 'Nơi lưu tệp gốc trong DOTHIXANH_HOME / Where the original is stored';
COMMENT ON COLUMN uploads.received_at IS 'Thời điểm nhận (giờ Việt Nam) / Time received (Vietnam time)';
COMMENT ON COLUMN uploads.uploaded_by IS 'Người gửi / Uploaded by';
COMMENT ON COLUMN uploads.status IS 'Trạng thái: loaded (đã nạp) hoặc refused (bị từ chối) / Status';
COMMENT ON COLUMN uploads.refusal_reason IS 'Lý do từ chối cả tệp / Why the whole file was refused';
COMMENT ON COLUMN uploads.file_format IS 'Định dạng tệp (csv, xlsx) / File format';
COMMENT ON COLUMN uploads.encoding IS 'Bảng mã đọc được / Detected encoding';
COMMENT ON COLUMN uploads.delimiter IS 'Dấu phân cách / Delimiter';
COMMENT ON COLUMN uploads.rows_total IS 'Số dòng dữ liệu / Data rows in the file';
COMMENT ON COLUMN uploads.rows_accepted IS 'Số dòng được nhận / Rows accepted';
COMMENT ON COLUMN uploads.rows_rejected IS 'Số dòng bị loại / Rows rejected';
COMMENT ON COLUMN uploads.rows_new IS 'Số bản ghi mới / New records';
COMMENT ON COLUMN uploads.rows_corrected IS 'Số bản ghi đính chính (thay bản trước) / Corrections of earlier records';
COMMENT ON COLUMN uploads.extra_columns IS 'Các cột lạ được để riêng / Unknown columns kept aside';
COMMENT ON COLUMN uploads.period_start IS 'Ngày sớm nhất trong số liệu / Earliest date in the accepted rows';
COMMENT ON COLUMN uploads.period_end IS 'Ngày muộn nhất trong số liệu / Latest date in the accepted rows';
COMMENT ON COLUMN uploads.report_months IS 'Các tháng có số liệu trong tệp (đầu tháng) / Months the accepted rows fall in (first days)';
COMMENT ON COLUMN uploads.validation_result IS 'Kết quả kiểm tra Great Expectations / Great Expectations validation summary';
COMMENT ON COLUMN uploads.nothing_to_report IS 'Khai báo «Không có số liệu phát sinh» cho tháng trong report_months (không có dòng; tính là đã nhận báo cáo) / A nothing-to-report declaration for the month in report_months (zero rows; counts as received)';

CREATE OR REPLACE VIEW rejected_rows AS
SELECT r.upload_id, u.feed, u.unit_code, u.file_name, r.line, r.column_name, r.value, r.rule, r.message, r.suggestion
FROM raw.rejected_rows AS r
JOIN raw.uploads AS u USING (upload_id);

COMMENT ON VIEW rejected_rows IS 'Các dòng bị loại và lý do / Rejected rows with their reasons';
COMMENT ON COLUMN rejected_rows.upload_id IS 'Mã lần gửi / Upload id';
COMMENT ON COLUMN rejected_rows.feed IS 'Loại dữ liệu / Feed';
COMMENT ON COLUMN rejected_rows.unit_code IS 'Đơn vị gửi / Sending unit';
COMMENT ON COLUMN rejected_rows.file_name IS 'Tên tệp gốc / Original file name';
COMMENT ON COLUMN rejected_rows.line IS 'Số dòng trong tệp (dòng tiêu đề là 1) / Line in the file (header = 1)';
COMMENT ON COLUMN rejected_rows.column_name IS 'Cột có lỗi / Column at fault';
COMMENT ON COLUMN rejected_rows.value IS 'Giá trị như trong tệp / Value as written';
COMMENT ON COLUMN rejected_rows.rule IS 'Quy tắc bị vi phạm / Rule broken';
COMMENT ON COLUMN rejected_rows.message IS 'Lý do bằng tiếng Việt / Reason in Vietnamese';
COMMENT ON COLUMN rejected_rows.suggestion IS 'Giá trị gần đúng gợi ý / Suggested closest value';
