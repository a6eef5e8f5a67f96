-- Every version of the ward's settings file (settings.toml) that the marts were computed with.
CREATE TABLE IF NOT EXISTS ref.settings_versions (
    sha256 VARCHAR PRIMARY KEY,
    first_used_at TIMESTAMP NOT NULL,
    toml_text VARCHAR NOT NULL
);

COMMENT ON TABLE ref.settings_versions IS 'Các phiên bản tệp thiết lập của phường (settings.toml) đã được dùng để tính chỉ tiêu / Every version of the ward settings file the marts were computed with';
COMMENT ON COLUMN ref.settings_versions.sha256 IS 'Mã băm SHA-256 của nội dung / SHA-256 of the text';
COMMENT ON COLUMN ref.settings_versions.first_used_at IS 'Lần đầu được dùng (giờ Việt Nam) / First used (Vietnam time)';
COMMENT ON COLUMN ref.settings_versions.toml_text IS 'Nội dung tệp thiết lập / The settings text';
