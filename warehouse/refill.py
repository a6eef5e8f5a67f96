"""A refresh that keeps the marts' shape: refill the tables, keep the views and comments.

Of a refresh on a small ward (5.000 records, about 2 s on a slow 2-core machine) a good part went to
catalog work that comes out the same every time: replacing the analysts' views, wrapping them with
`ward_code` (warehouse/ward_identity.py), some 400 COMMENT statements, and committing all of it.
When the models, the code that writes them, DuckDB and the settings are those of the last refresh
(`shape_sha256` in `marts.refresh_state`) and every table and view is in place, `plan` turns each
model into its refill: a replaced table is emptied and filled again from the same query (DELETE, then
INSERT BY NAME, so its comments and its ward_code column stay), a replaced view and the comments are
kept, everything else runs as written. Anything else takes the full pass. Both give the same rows,
columns, types and comments (tests/warehouse/test_refresh_refill.py).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from pathlib import Path

import duckdb

from warehouse.settings import Settings

# The code that decides the marts' tables, columns, views and comments beside the models' SQL.
_SHAPE_SOURCES = tuple(
    Path(__file__).parent / name
    for name in ("refresh.py", "refill.py", "ward_identity.py", "comments.py", "comments.toml")
)
# A model's statements a refill keeps (the tables' own shape, views, comments) or turns into a refill.
_LEADING_COMMENTS = re.compile(r"\A(?:\s*--[^\n]*\n)*\s*")
_REPLACE_TABLE_AS = re.compile(
    r"CREATE\s+OR\s+REPLACE\s+TABLE\s+(marts\.\w+)\s+AS\s+(.*?);?\s*\Z", re.I | re.S
)
_REPLACE_TABLE = re.compile(r"CREATE\s+OR\s+REPLACE\s+TABLE\s+(marts\.\w+)\s*\(", re.I)
_REPLACE_VIEW = re.compile(r"CREATE\s+OR\s+REPLACE\s+VIEW\s+([\w.\"]+)\s+AS", re.I)
_ADD_COLUMN = re.compile(r"(ALTER\s+TABLE\s+marts\.\w+\s+ADD\s+COLUMN)\s+(?!IF\s)", re.I)
_COMMENT = re.compile(r"COMMENT\s+ON\s", re.I)
# A kept table has its ward_code column already (ward_identity): rows go in by name, not position.
_INSERT = re.compile(r"(INSERT\s+INTO\s+marts\.\w+)\s+(?!BY\s|\()", re.I)
# The models whose tables a refresh rewrites from frames (settings): always run as written.
_ALWAYS_FULL = ("00_settings",)


def shape_sha256(models: list[tuple[str, str]], settings: Settings, *, views: dict[str, str]) -> str:
    """What the marts' shape follows: the models' SQL, the code writing them, DuckDB, the settings."""
    digest = hashlib.sha256()
    for name, sql in models:
        digest.update(f"{name}\0{sql}\0".encode())
    digest.update(_sources_sha256().encode())
    digest.update(
        f"{duckdb.__version__}\0{sorted(views.items())}\0{settings.sha256}\0{settings.ward_code}".encode()
    )
    return digest.hexdigest()


@functools.cache
def _sources_sha256() -> str:
    """The code's part of the shape, read once per process (it cannot change under a running one)."""
    return hashlib.sha256(b"\0".join(path.read_bytes() for path in _SHAPE_SOURCES)).hexdigest()


def plan(
    con: duckdb.DuckDBPyConnection, models: list[tuple[str, str]], *, views: dict[str, str]
) -> dict[str, list[str]] | None:
    """Each model's statements as a refill runs them (None when a table or view it needs is missing:
    the refresh then takes the full pass)."""
    tables = {
        f"marts.{name}"
        for (name,) in con.sql(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND NOT temporary"
        ).fetchall()
    }
    present = {
        f"{schema}.{name}"
        for schema, name in con.sql(
            "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary"
        ).fetchall()
    }
    if not {f"main.{view}" for view in views} <= present:
        return None
    out: dict[str, list[str]] = {}
    for name, sql in models:
        if name.startswith(_ALWAYS_FULL):
            continue
        steps = _refill_steps(sql)
        if any(target not in (tables if kind == "table" else present) for kind, target, _ in steps if target):
            return None
        out[name] = [statement for _kind, _target, statement in steps if statement]
    return out


_PARSER: duckdb.DuckDBPyConnection | None = None
_PARSER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=512)
def _refill_steps(sql: str) -> tuple[tuple[str, str | None, str], ...]:
    """One model's statements for a refill, as (kind, the table or view it needs, statement to run):
    a replaced table is emptied and filled again, a replaced view and comments are kept (statement
    ""), the rest runs as written. Parsed by DuckDB once per text (a tenth of a second for all)."""
    global _PARSER
    with _PARSER_LOCK:
        if _PARSER is None:
            _PARSER = duckdb.connect(":memory:")
        parsed = [statement.query for statement in _PARSER.extract_statements(sql)]
    steps: list[tuple[str, str | None, str]] = []
    for query in parsed:
        text = _LEADING_COMMENTS.sub("", query).strip()
        if as_query := _REPLACE_TABLE_AS.match(text):
            table, body = as_query.groups()
            steps += [
                ("table", table, f"DELETE FROM {table}"),
                ("table", table, f"INSERT INTO {table} BY NAME SELECT * FROM (\n{body}\n)"),
            ]
        elif declared := _REPLACE_TABLE.match(text):
            steps.append(("table", declared.group(1), f"DELETE FROM {declared.group(1)}"))
        elif view := _REPLACE_VIEW.match(text):
            target = view.group(1).replace('"', "")
            steps.append(("view", target if "." in target else f"main.{target}", ""))
        elif text and not _COMMENT.match(text):  # comments are kept with what they describe
            steps.append(
                ("other", None, _INSERT.sub(r"\1 BY NAME ", _ADD_COLUMN.sub(r"\1 IF NOT EXISTS ", text)))
            )
    return tuple(steps)


def run(con: duckdb.DuckDBPyConnection, name: str, sql: str, steps: dict[str, list[str]] | None) -> None:
    """One model: as written (a full pass, `steps` None), or its refill statements from `plan`."""
    if steps is None or name not in steps:
        con.execute(sql)
        return
    for statement in steps[name]:
        con.execute(statement)
