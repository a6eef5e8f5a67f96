-- Every version of the ward's reference lists, newest first.
SELECT version, kind, created_at, file_name, created_by, sha256
FROM ref.versions
ORDER BY version DESC
