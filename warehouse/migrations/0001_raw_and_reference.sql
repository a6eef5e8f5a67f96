-- raw: files and uploads as received; ref: the ward's versioned reference data.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS core;

CREATE SEQUENCE IF NOT EXISTS raw.upload_id_seq START 1;

CREATE TABLE IF NOT EXISTS raw.uploads (
    upload_id BIGINT PRIMARY KEY,
    feed VARCHAR NOT NULL,
    unit_code VARCHAR,
    file_name VARCHAR,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    stored_path VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    uploaded_by VARCHAR,
    status VARCHAR NOT NULL,
    refusal_reason VARCHAR,
    file_format VARCHAR,
    encoding VARCHAR,
    delimiter VARCHAR,
    rows_total BIGINT,
    rows_accepted BIGINT,
    rows_rejected BIGINT,
    rows_new BIGINT,
    rows_corrected BIGINT,
    extra_columns VARCHAR[],
    period_start DATE,
    period_end DATE,
    validation_result JSON
);

CREATE TABLE IF NOT EXISTS raw.rejected_rows (
    upload_id BIGINT NOT NULL,
    line BIGINT NOT NULL,
    column_name VARCHAR,
    value VARCHAR,
    rule VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    suggestion VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS ref.version_seq START 1;

CREATE TABLE IF NOT EXISTS ref.versions (
    version BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    file_name VARCHAR,
    sha256 VARCHAR,
    stored_path VARCHAR,
    created_by VARCHAR
);

CREATE TABLE IF NOT EXISTS ref.groups (
    version BIGINT NOT NULL,
    group_code VARCHAR NOT NULL,
    group_name VARCHAR NOT NULL,
    households BIGINT NOT NULL,
    population BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ref.units (
    version BIGINT NOT NULL,
    unit_code VARCHAR NOT NULL,
    unit_name VARCHAR NOT NULL,
    feeds VARCHAR[] NOT NULL
);
