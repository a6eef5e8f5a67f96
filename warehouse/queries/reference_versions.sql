-- Every version of the ward's reference lists, newest first, with the date each applies from.
SELECT version, kind, valid_from, created_at, file_name, created_by, sha256
FROM ref.versions
ORDER BY version DESC
