-- The groups-list version one period uses (valid on its last day), with one group's households and population in it.
SELECT ref_version AS version, valid_from, households, population
FROM marts.period_groups
WHERE period_key = $period AND group_code = $group
