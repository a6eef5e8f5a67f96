"""DuckDB's English error messages explained in Vietnamese for analysts; the original stays as a detail.

DuckDB names its error classes at the start of a message ("Catalog Error: Table with name x does
not exist!"); the common ones get a sentence that says what to do, the rest a general one.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path


def _rules() -> list[tuple[re.Pattern, str]]:
    with (Path(__file__).with_name("query_errors.toml")).open("rb") as handle:
        table = tomllib.load(handle)
    return [(re.compile(rule["pattern"], re.I), rule["sentence"]) for rule in table["rule"]]


_RULES = _rules()  # warehouse/query_errors.toml
GENERAL = "DuckDB không chạy được câu truy vấn này."


def explain(message: str) -> str:
    """A Vietnamese sentence for a DuckDB error message."""
    for pattern, sentence in _RULES:
        if found := pattern.search(message or ""):
            return sentence.format(*(g.strip("!.\"'") for g in found.groups()))
    return GENERAL
