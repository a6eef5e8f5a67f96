-- A report's frozen snapshots of one evaluation, oldest first, with how many groups changed since each.
SELECT s.snapshot_id, s.frozen_at, s.frozen_by, s.note, s.as_of, s.settings_sha256, s.content_sha256,
    s.groups_ranked,
    (SELECT count(*) FROM evaluation_changes AS ch WHERE ch.snapshot_id = s.snapshot_id AND ch.changed)
        AS groups_changed
FROM marts.evaluation_snapshots AS s
WHERE s.evaluation = $evaluation
ORDER BY s.snapshot_id
