-- The ward's residential groups.
SELECT group_code, group_name, households, population FROM residential_groups ORDER BY group_code
