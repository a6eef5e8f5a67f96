-- The comments of the league marts (a report prints how the score is computed from them).
SELECT table_name, comment FROM duckdb_tables()
WHERE schema_name = 'marts' AND table_name IN ('league_components', 'league_table')
