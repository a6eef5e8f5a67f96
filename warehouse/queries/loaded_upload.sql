-- The upload that already loaded these exact bytes for this feed and unit, if any.
SELECT upload_id, received_at, file_name, uploaded_by
FROM uploads
WHERE sha256 = $sha AND feed = $feed AND unit_code = $unit AND status = 'loaded'
  AND NOT nothing_to_report  -- a header-only file declared for one month may be sent for another
ORDER BY upload_id
LIMIT 1
