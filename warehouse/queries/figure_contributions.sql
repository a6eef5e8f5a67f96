-- The records one figure counts (indicator × period × ward or group), with who uploaded them, the file and line.
SELECT
    c.part,
    c.feed,
    c.record_id AS record_ref,
    c.record_group_code,
    c.amount,
    c.unit_code AS sent_by,
    u.uploaded_by AS uploaded_account,
    u.file_name,
    u.received_at,
    c.upload_id,
    c.source_line
FROM indicator_contributions AS c
LEFT JOIN uploads AS u USING (upload_id)
WHERE c.indicator_id = $indicator
    AND c.period_key = $period
    AND c.scope = CASE WHEN $group IS NULL THEN 'ward' ELSE 'group' END
    AND c.group_code IS NOT DISTINCT FROM $group
ORDER BY c.part DESC, c.upload_id NULLS LAST, c.source_line, c.record_group_code
