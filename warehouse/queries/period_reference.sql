-- The groups-list version one period uses (the version valid on its last day).
SELECT version, valid_from FROM marts.period_reference WHERE period_key = $period AND kind = 'groups'
