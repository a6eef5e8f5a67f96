"""Evaluating a period: the marts follow the ward's settings.toml before anyone reads or freezes them."""

from __future__ import annotations

import duckdb

from warehouse import evaluation as ev
from warehouse import named
from warehouse.refresh import refresh_marts


def stored_settings(con) -> tuple[str, object] | None:
    """The sha256 and as-of date of the settings the marts were last computed with (None: never)."""
    try:
        stored = named.rows(con, "settings_source")
    except duckdb.CatalogException:
        return None
    return stored[0] if stored else None


def settings_changed(warehouse, settings) -> tuple[bool, object | None]:
    """Whether settings.toml changed since the marts were computed, and the as-of date they were computed to."""
    with warehouse.reading() as con:
        stored = stored_settings(con)
    return (stored is None or stored[0] != settings.sha256), (stored[1] if stored else None)


def evaluate(
    warehouse,
    settings,
    evaluation: str,
    *,
    refresh: bool = False,
    freeze: bool = False,
    user: str | None = None,
    role: str | None = None,
    note: str | None = None,
):
    """Recompute the marts when the settings changed (same as-of date) or `refresh` asks (to today),
    then freeze `evaluation` when asked; return the snapshot frozen, or None.

    Raises warehouse.evaluation.UnknownEvaluation for a name the settings do not know."""
    stale, as_of = settings_changed(warehouse, settings)
    if not (stale or refresh or freeze):
        return None
    snap = None
    with warehouse.writing() as con:
        if stale or refresh:
            refresh_marts(con, warehouse.home, today=None if refresh else as_of, settings=settings)
        if freeze:
            snap = ev.freeze(con, evaluation, frozen_by=user, role=role, note=note)
    return snap


def freeze(warehouse, evaluation: str, *, user: str, role: str | None, note: str | None = None):
    """Freeze an evaluation's figures as they are now (the dashboard's button; the role is checked by
    warehouse.evaluation.freeze itself: leader or admin only)."""
    with warehouse.writing() as con:
        return ev.freeze(con, evaluation, frozen_by=user, role=role, note=note or None)
