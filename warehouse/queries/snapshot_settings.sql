-- The settings file one snapshot was frozen with.
SELECT settings_toml FROM marts.evaluation_snapshots WHERE snapshot_id = $snapshot
