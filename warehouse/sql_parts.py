"""SQL that the ward's marts and the city's marts share, kept once in warehouse/sql_parts/<NAME>.sql.

A statement takes a part with a line `-- part: NAME key=value ...`: the line becomes the part's text,
each `{{key}}` in it the value given. The ward's marts (warehouse/comments.read_model) and the city's
(warehouse/city/refresh.statements) both expand their parts, so a part is written in the SQL that
DuckDB and Spark both run (see warehouse/city/engines.py).
"""

from __future__ import annotations

import re
from pathlib import Path

PARTS = Path(__file__).parent / "sql_parts"
_LINE = re.compile(r"^[ \t]*-- part: (\w+)((?:[ \t]+\w+=[\w.]+)*)[ \t]*$", re.MULTILINE)
_SLOT = re.compile(r"\{\{(\w+)\}\}")


def _part(match: re.Match) -> str:
    values = dict(pair.split("=", 1) for pair in match.group(2).split())
    text = (PARTS / f"{match.group(1)}.sql").read_text(encoding="utf-8").rstrip("\n")
    return _SLOT.sub(lambda slot: values[slot.group(1)], text)


def expand(sql: str) -> str:
    """`sql` with every `-- part:` line replaced by its part (a part names every slot it needs)."""
    return _LINE.sub(_part, sql)
