-- A unit's declaration that it had nothing to report for a feed and month ("Không có số liệu
-- phát sinh"): kept as a loaded upload with zero rows, its month in report_months.
ALTER TABLE raw.uploads ADD COLUMN IF NOT EXISTS nothing_to_report BOOLEAN DEFAULT FALSE;
COMMENT ON COLUMN raw.uploads.nothing_to_report IS 'Lần gửi là khai báo «Không có số liệu phát sinh» cho tháng trong report_months (không có dòng dữ liệu) / A declaration of nothing to report for the month in report_months (zero rows)';
