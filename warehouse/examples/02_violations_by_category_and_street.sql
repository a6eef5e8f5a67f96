-- Vi phạm theo loại và theo tuyến phố
-- Violations by category per street
SELECT
    coalesce(nullif(trim(regexp_replace(address, '^[0-9/ ]*(ngõ|ngách|số)?[0-9/ ]*', '', 'i')), ''), '(không ghi)') AS street,
    category,
    count(*) AS violations,
    count(resolved_on) AS resolved
FROM violations
GROUP BY ALL
ORDER BY violations DESC
LIMIT 200
