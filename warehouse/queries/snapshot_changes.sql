-- What changed in the league table since one freeze.
SELECT *
FROM evaluation_changes
WHERE snapshot_id = $snapshot
ORDER BY changed DESC, live_rank NULLS LAST, group_code
