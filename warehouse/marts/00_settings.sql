-- The ward's settings (settings.toml) as small tables the marts join; rewritten at every refresh.
-- comments: marts.settings_params

-- comments: marts.indicators

-- comments: marts.settings_targets

-- comments: marts.evaluation_windows

-- comments: marts.settings_tiers

-- comments: marts.settings_source
-- comments: marts.evaluation_snapshots
