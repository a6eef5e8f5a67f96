-- The sha256 and as-of date of the settings the marts were last computed with.
SELECT sha256, as_of FROM marts.settings_source
