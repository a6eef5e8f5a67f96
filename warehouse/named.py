"""The named queries of warehouse/queries/: one .sql file per SELECT that pages, reports and the CLI run.

Parameters are bound by name (`$evaluation` in the file, `evaluation=` here), never pasted into the SQL.
"""

from __future__ import annotations

import functools
from pathlib import Path

import polars as pl

QUERIES = Path(__file__).resolve().parent / "queries"


@functools.cache
def sql(name: str) -> str:
    """The text of warehouse/queries/NAME.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def frame(con, name: str, **params) -> pl.DataFrame:
    """The rows of a named query as a Polars frame."""
    return con.sql(sql(name), params=params or None).pl()


def rows(con, name: str, **params) -> list[tuple]:
    """The rows of a named query as tuples."""
    return con.sql(sql(name), params=params or None).fetchall()
