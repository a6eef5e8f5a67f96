"""Files generated from the code (docs, the data dictionary): written whole, and stale when they differ."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def write(path: Path, render: Callable[[], str]) -> Path:
    """Write what `render` gives to `path` (its folder made if needed)."""
    path.parent.mkdir(exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


def is_stale(path: Path, render: Callable[[], str]) -> bool:
    """True when `path` is missing or is not what `render` gives now."""
    return not path.exists() or path.read_text(encoding="utf-8") != render()
