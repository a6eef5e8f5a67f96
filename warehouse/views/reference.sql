-- The analysts' stable views over reference data and uploads.
-- The version of a reference list valid today (the latest valid_from not after today; the earliest
-- if none is yet).
CREATE OR REPLACE MACRO ref.current_version(list_kind) AS (
    SELECT version FROM ref.versions WHERE kind = list_kind
    ORDER BY valid_from <= current_date DESC,
        CASE WHEN valid_from <= current_date THEN valid_from END DESC NULLS LAST,
        CASE WHEN valid_from <= current_date THEN version END DESC NULLS LAST,
        valid_from, version
    LIMIT 1
);

CREATE OR REPLACE VIEW residential_groups AS
WITH final AS (
    SELECT g.group_code, g.group_name, g.households, g.population, g.version AS ref_version
    FROM ref.groups AS g
    WHERE g.version = ref.current_version('groups')
)
SELECT * FROM final;

-- comments: residential_groups

CREATE OR REPLACE VIEW units AS
WITH final AS (
    SELECT u.unit_code, u.unit_name, u.feeds, u.version AS ref_version
    FROM ref.units AS u
    WHERE u.version = ref.current_version('units')
)
SELECT * FROM final;

-- comments: units

CREATE OR REPLACE VIEW reference_versions AS
SELECT version, kind, valid_from, created_at, created_by, file_name, sha256
FROM ref.versions;

-- comments: reference_versions

CREATE OR REPLACE VIEW uploads AS
SELECT
    upload_id, feed, unit_code, file_name, sha256, size_bytes, stored_path, received_at,
    uploaded_by, status, refusal_reason, file_format, encoding, delimiter,
    rows_total, rows_accepted, rows_rejected, rows_new, rows_corrected,
    extra_columns, period_start, period_end, report_months, validation_result,
    coalesce(nothing_to_report, FALSE) AS nothing_to_report
FROM raw.uploads;

-- comments: uploads

CREATE OR REPLACE VIEW rejected_rows AS
SELECT r.upload_id, u.feed, u.unit_code, u.file_name, r.line, r.column_name, r.value, r.rule, r.message, r.suggestion
FROM raw.rejected_rows AS r
JOIN raw.uploads AS u USING (upload_id);

-- comments: rejected_rows
