"""Append one JSON line to a log file; a log that cannot be written never fails the work it records."""

from __future__ import annotations

import json
from pathlib import Path


def append_line(path: Path, record: dict) -> bool:
    """Append `record` as one JSON line; return False (and drop the line) when the disk refuses it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line)
        return True
    except OSError:
        return False
