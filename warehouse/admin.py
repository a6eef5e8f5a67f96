"""What administrators change: reference lists and the settings file, each kept as a version history."""

from __future__ import annotations

from pathlib import Path

from warehouse.indicators import indicators_for
from warehouse.refresh import refresh_marts
from warehouse.settings import FILE_NAME, SettingsError, ensure_settings, parse_settings
from warehouse.store import Warehouse, now_vietnam

HISTORY = "settings-history"


def settings_text(home: Path) -> str:
    return ensure_settings(home).read_text(encoding="utf-8-sig")


def save_settings(warehouse: Warehouse, text: str, author: str) -> Path:
    """Validate and save a new settings file, keep the version, and recompute the marts with it.

    Raises SettingsError (every key at fault, in Vietnamese) and saves nothing when the text is invalid.
    """
    home = warehouse.home
    parse_settings(text, FILE_NAME, indicators=indicators_for(home))
    history = home / HISTORY
    history.mkdir(parents=True, exist_ok=True)
    stamp = now_vietnam().strftime("%Y%m%d-%H%M%S")
    kept = history / f"settings-{stamp}-{author}.toml"
    kept.write_text(text, encoding="utf-8")
    target = home / FILE_NAME
    tmp = target.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    with warehouse.writing() as con:  # takes effect for every reader at the next publish
        refresh_marts(con, home)
    return kept


def settings_versions(home: Path) -> list[Path]:
    """Saved versions of the settings file, newest first."""
    return sorted((home / HISTORY).glob("settings-*.toml"), reverse=True)


__all__ = ["SettingsError", "save_settings", "settings_text", "settings_versions"]
