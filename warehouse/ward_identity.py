"""The ward's identity in every mart table and every analysts' view: a `ward_code` column (issue 13).

One generic step, not an edit of every SQL file: after the marts are built (and after the
migrations recreate the feed and reference views), `stamp(con)` gives

- every table of schema `marts` that lacks it a column `ward_code VARCHAR DEFAULT '<code>'`, filled
  with the settings' `[ward] code` (the marts are rebuilt at every refresh, so a changed code applies
  to all of them; the frozen evaluation tables, kept across refreshes, keep the code their rows were
  frozen with and take the new one as the default of later freezes);
- every view of `main` and `marts` that lacks it a `ward_code` read from `marts.settings_params` (the view is
  rewritten around its own query). Views that are `SELECT * FROM marts.<table>` get it through the
  table.

The column is always the last one, and comes with its Vietnamese/English comment
(warehouse/comments.toml, section "ward_identity"), so the data dictionary lists it. The city store
(warehouse/city/publish.py) moves it first and never duplicates it.
"""

from __future__ import annotations

import functools
import re
import tomllib

import duckdb

from warehouse.comments import COMMENTS

COLUMN = "ward_code"
_SOURCE = "(SELECT ward_code FROM marts.settings_params)"
_CREATE = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+.+?\s+AS\s+(.*?);?\s*$", re.S | re.I)


@functools.cache
def comment() -> str:
    """The column's comment (Vietnamese / English)."""
    with COMMENTS.open("rb") as handle:
        return tomllib.load(handle)["ward_identity"]["*"][COLUMN]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def settings_code(con: duckdb.DuckDBPyConnection) -> str | None:
    """The ward code the marts were built with (None before the first refresh)."""
    found = con.sql(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts' "
        "AND table_name = 'settings_params' AND column_name = ?",
        params=[COLUMN],
    ).fetchall()[0][0]
    if not found:
        return None
    rows = con.sql("SELECT ward_code FROM marts.settings_params").fetchall()
    return rows[0][0] if rows else None


def stamp(con: duckdb.DuckDBPyConnection) -> None:
    """Add `ward_code` to every mart table and analysts' view lacking it (nothing before a refresh)."""
    code = settings_code(con)
    if code is None:
        return
    stamp_tables(con, code)
    stamp_views(con)


def stamp_tables(con: duckdb.DuckDBPyConnection, code: str) -> None:
    """Every table of schema marts gets `ward_code` = `code` (kept tables: `code` as their default)."""
    rows = con.sql(
        "SELECT t.table_name, c.column_name IS NOT NULL, c.column_default FROM duckdb_tables() AS t "
        "LEFT JOIN duckdb_columns() AS c ON c.schema_name = t.schema_name "
        "AND c.table_name = t.table_name AND c.column_name = ? "
        "WHERE t.schema_name = 'marts' AND NOT t.temporary ORDER BY t.table_name",
        params=[COLUMN],
    ).fetchall()
    text = _literal(comment())
    statements = []
    for table, has, default in rows:
        target = f"marts.{_quote(table)}"
        if not has:
            statements.append(f"ALTER TABLE {target} ADD COLUMN {COLUMN} VARCHAR DEFAULT {_literal(code)}")
            statements.append(f"COMMENT ON COLUMN {target}.{COLUMN} IS {text}")
        elif default is not None and default.strip("'") != code:
            statements.append(f"ALTER TABLE {target} ALTER COLUMN {COLUMN} SET DEFAULT {_literal(code)}")
        # A table with a ward_code of its own (from its SQL or its frame) and no default is left as it is.
    _execute_all(con, statements)


def _views(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    return con.sql(
        "SELECT schema_name, view_name, sql, comment FROM duckdb_views() "
        "WHERE NOT internal AND NOT temporary AND schema_name IN ('main', 'marts') ORDER BY view_oid"
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, view: str) -> dict[str, str | None]:
    return dict(
        con.sql(
            "SELECT column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            params=[schema, view],
        ).fetchall()
    )


# The columns of the analysts' views (main and marts), for the two catalog reads below.
_VIEW_COLUMNS = (
    "FROM duckdb_columns() AS c "
    "JOIN duckdb_views() AS v ON v.schema_name = c.schema_name AND v.view_name = c.table_name "
    "WHERE NOT v.internal AND NOT v.temporary AND c.schema_name IN ('main', 'marts') "
)


def _execute_all(con: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
    """The statements in order, in one call (a call per statement cost most of a refresh's stamping)."""
    if statements:
        con.execute(";\n".join(statements))


def _all_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, str | None]]:
    """Every view's columns and their comments, read at once (the catalog costs a query per call)."""
    found: dict[tuple[str, str], dict[str, str | None]] = {}
    for schema, view, column, text in con.sql(
        "SELECT c.schema_name, c.table_name, c.column_name, c.comment "
        + _VIEW_COLUMNS
        + "ORDER BY c.schema_name, c.table_name, c.column_index"
    ).fetchall():
        found.setdefault((schema, view), {})[column] = text
    return found


def _mentions(sql: str, views: set[str]) -> bool:
    lowered = sql.lower()
    return any(name.lower() in lowered for name in views)


def stamp_views(con: duckdb.DuckDBPyConnection) -> None:
    """Every view of main and marts gets `ward_code` as its last column, its comments kept."""
    columns_of = _all_columns(con)
    wrapped: set[str] = set()
    for schema, view, sql, own in _views(con):
        columns = columns_of.get((schema, view), {})
        if wrapped and _mentions(sql or "", wrapped):
            # It reads a view wrapped a moment ago, which may have given it the column: read it again.
            columns = _columns(con, schema, view)
        if COLUMN in columns:
            continue
        match = _CREATE.match(sql or "")
        if match is None:
            raise ValueError(f"view {schema}.{view}: cannot read its query to add {COLUMN}")
        target = f"{schema}.{_quote(view)}"
        # COLUMNS(...) keeps the wrapper right if the query later yields a ward_code of its own.
        statements = [
            f"CREATE OR REPLACE VIEW {target} AS SELECT COLUMNS(lambda c: c <> '{COLUMN}'), "
            f"{_SOURCE} AS {COLUMN} FROM ({match.group(1)}) AS ward_view"
        ]
        if own:
            statements.append(f"COMMENT ON VIEW {target} IS {_literal(own)}")
        statements += [
            f"COMMENT ON COLUMN {target}.{_quote(column)} IS {_literal(text)}"
            for column, text in columns.items()
            if text
        ]
        statements.append(f"COMMENT ON COLUMN {target}.{COLUMN} IS {_literal(comment())}")
        _execute_all(con, statements)
        wrapped.add(view)
    # A view that got the column through another view's wrapper gets its comment too.
    bare = con.sql(
        "SELECT c.schema_name, c.table_name " + _VIEW_COLUMNS + "AND c.column_name = ? AND c.comment IS NULL",
        params=[COLUMN],
    ).fetchall()
    _execute_all(
        con,
        [
            f"COMMENT ON COLUMN {schema}.{_quote(view)}.{COLUMN} IS {_literal(comment())}"
            for schema, view in bare
        ],
    )


def ward_of(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The ward's (code, name) as the marts were built (the defaults before a refresh with them)."""
    from warehouse.settings import DEFAULT_WARD_CODE, DEFAULT_WARD_NAME

    if settings_code(con) is None:
        return DEFAULT_WARD_CODE, DEFAULT_WARD_NAME
    rows = con.sql("SELECT ward_code, ward_name FROM marts.settings_params").fetchall()
    return rows[0] if rows else (DEFAULT_WARD_CODE, DEFAULT_WARD_NAME)
