-- Files received, newest first: one unit's, or every unit's when $unit is NULL.
SELECT
    upload_id, received_at, file_name, uploaded_by, unit_code, feed, status,
    rows_total, rows_accepted, rows_rejected, rows_new, rows_corrected, refusal_reason,
    encoding, extra_columns, validation_result, sha256, size_bytes
FROM uploads
WHERE $unit IS NULL OR unit_code = $unit
ORDER BY upload_id DESC
