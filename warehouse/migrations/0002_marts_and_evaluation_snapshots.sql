-- marts: indicators, league tables and reporting completeness, rebuilt from core after every load;
-- the frozen evaluation snapshots are kept here too and never rebuilt.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE SEQUENCE IF NOT EXISTS marts.snapshot_id_seq START 1;

CREATE TABLE IF NOT EXISTS marts.evaluation_snapshots (
    snapshot_id BIGINT PRIMARY KEY,
    evaluation VARCHAR NOT NULL,
    evaluation_label_vi VARCHAR,
    frozen_at TIMESTAMP NOT NULL,
    frozen_by VARCHAR,
    note VARCHAR,
    as_of DATE NOT NULL,
    settings_toml VARCHAR NOT NULL,
    settings_sha256 VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    groups_ranked BIGINT
);
