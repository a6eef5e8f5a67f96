-- Frozen snapshots of one evaluation, newest first, with what each was computed from.
SELECT snapshot_id, evaluation, frozen_at, frozen_by, as_of, content_sha256, settings_sha256, groups_ranked, note,
    last_upload_id, groups_versions, units_versions, input_records, input_sha256
FROM marts.evaluation_snapshots
WHERE evaluation = $evaluation
ORDER BY frozen_at DESC
