-- Frozen snapshots of one evaluation, newest first.
SELECT snapshot_id, evaluation, frozen_at, frozen_by, as_of, content_sha256, settings_sha256, groups_ranked, note
FROM marts.evaluation_snapshots
WHERE evaluation = $evaluation
ORDER BY frozen_at DESC
