-- The rejected rows of one upload, with their reasons.
SELECT line, column_name, value, message, suggestion
FROM rejected_rows
WHERE upload_id = $upload
ORDER BY line, column_name
