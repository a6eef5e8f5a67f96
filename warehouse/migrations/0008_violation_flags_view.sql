-- marts.violation_flags becomes a view (computed when read): as a table it copied every violation
-- at each refresh, the largest part of a big load's refresh and checkpoint. The refresh recreates it.
DROP TABLE IF EXISTS marts.violation_flags;
