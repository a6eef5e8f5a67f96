"""The COMMENT ON statements of the marts and views, kept as one table in warehouse/comments.toml.

A `.sql` file of warehouse/marts/ or warehouse/views/ marks where an object's comments go with a line
`-- comments: <object>`; `with_comments` puts the statements there, in the file's own order, so a
comment still follows the statement that created (or altered) its object.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

COMMENTS = Path(__file__).parent / "comments.toml"
_MARKER = re.compile(r"^-- comments: ([\w.]+)[ \t]*$", re.MULTILINE)
_OWN = ("TABLE", "VIEW")


@functools.cache
def _table() -> dict[str, dict[str, dict[str, str]]]:
    with COMMENTS.open("rb") as handle:
        return tomllib.load(handle)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def statements(model: str, target: str) -> list[str]:
    """The COMMENT ON statements of one object as the file `model` declares them."""
    entries = _table()[model][target]
    return [
        f"COMMENT ON {key} {target} IS {_literal(text)};"
        if key in _OWN
        else f"COMMENT ON COLUMN {target}.{key} IS {_literal(text)};"
        for key, text in entries.items()
    ]


def with_comments(model: str, sql: str) -> str:
    """The SQL of `model` (a file's name without .sql) with its comment markers replaced."""
    return _MARKER.sub(lambda m: "\n".join(statements(model, m.group(1))), sql)


def read_model(path: Path) -> str:
    """A .sql file of the marts or views, its comments and its shared parts (warehouse/sql_parts.py) in place."""
    from warehouse.sql_parts import expand

    return with_comments(path.stem, expand(path.read_text(encoding="utf-8")))
