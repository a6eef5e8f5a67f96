"""The city store: every ward's published Parquet in one folder, and the city's marts built from it.

ward warehouse ──publish──► DIR/<table>/ward=<code>/part-0.parquet ──refresh──► OUT/<city mart>/
(its published snapshot)     (one immutable version per ward,            (the same SQL on DuckDB
                              switched in one step)                      or on Apache Spark)
"""
