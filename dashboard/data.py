"""The dashboard's one query layer: named SQL files in warehouse/queries/, bound parameters, cached.

Pages call the functions below and never write SQL. Results are cached per
published snapshot: a load publishes a new snapshot file, the cache key changes,
and every page reads the new figures on its next run.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from warehouse.lineage import records_sql
from warehouse.store import Warehouse

QUERIES = Path(__file__).resolve().parent.parent / "warehouse" / "queries"
_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


@functools.cache
def _sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def warehouse() -> Warehouse:
    return Warehouse()


def snapshot_version() -> str | None:
    """Name of the published snapshot file; part of every cache key."""
    return warehouse().snapshot_version()


def _connection(version: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per snapshot file, shared by sessions (each query uses a cursor)."""
    with _lock:
        con = _connections.get(version)
        if con is None:
            con = warehouse().connect_reader()
            for old in list(_connections):
                _connections.pop(old)  # readers still holding cursors keep the old file alive
            _connections[version] = con
        return con


def _run(version: str, name: str, params: dict) -> pl.DataFrame:
    cursor = _connection(version).cursor()
    try:
        return cursor.sql(_sql(name), params=params or None).pl()
    finally:
        cursor.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(version: str, name: str, params: tuple) -> pl.DataFrame:
    return _run(version, name, dict(params))


def query(name: str, **params) -> pl.DataFrame:
    """Run warehouse/queries/<name>.sql with named parameters against the current snapshot."""
    version = snapshot_version()
    return _cached(version, name, tuple(sorted(params.items())))


def periods() -> pl.DataFrame:
    return query("periods")


def evaluations() -> pl.DataFrame:
    return query("evaluations")


def indicators() -> pl.DataFrame:
    return query("indicators")


def groups() -> pl.DataFrame:
    return query("residential_groups")


def ward_indicators(period: str) -> pl.DataFrame:
    return query("ward_indicators", period=period)


def indicator_trend(indicator: str, group: str | None = None) -> pl.DataFrame:
    return query("indicator_trend", indicator=indicator, group=group)


def group_indicators(period: str, group: str) -> pl.DataFrame:
    return query("group_indicators", period=period, group=group)


def laggards(period: str, limit: int = 5) -> pl.DataFrame:
    return query("laggards", period=period, limit=limit)


def freshness() -> pl.DataFrame:
    return query("freshness")


def reporting_summary(period: str) -> pl.DataFrame:
    return query("reporting_summary", period=period)


def completeness_grid(period_start, period_end) -> pl.DataFrame:
    return query("completeness_grid", period_start=period_start, period_end=period_end)


def league_table(evaluation: str) -> pl.DataFrame:
    return query("league_table", evaluation=evaluation)


def league_components(evaluation: str, group: str | None = None) -> pl.DataFrame:
    return query("league_components", evaluation=evaluation, group=group)


def snapshots(evaluation: str) -> pl.DataFrame:
    return query("snapshots", evaluation=evaluation)


def snapshot_changes(snapshot: int) -> pl.DataFrame:
    return query("snapshot_changes", snapshot=snapshot)


def rank_history(group: str) -> pl.DataFrame:
    return query("rank_history", group=group)


@st.cache_data(show_spinner=False, max_entries=256)
def _records(version: str, feed: str, params: tuple) -> pl.DataFrame:
    params = dict(params)
    cursor = _connection(version).cursor()
    try:
        return cursor.sql(records_sql(feed, limit="limit" in params), params=params).pl()
    finally:
        cursor.close()


def records(feed: str, group: str | None, start, end, limit: int | None = None) -> pl.DataFrame:
    """Records behind a figure: one feed, one group (or the ward), one date range."""
    params = {"group": group, "start": start, "end": end}
    if limit:
        params["limit"] = limit
    return _records(snapshot_version(), feed, tuple(sorted(params.items())))


def original_file(upload_id: int) -> bytes:
    """The bytes of an uploaded file, exactly as received."""
    stored = query("upload_file", upload=upload_id)["stored_path"][0]
    return warehouse().original_file(stored)


def report_bytes(evaluation: str, file_format: str, language: str) -> bytes:
    """The evaluation report (xlsx or pdf) built from the current snapshot."""
    return _report(snapshot_version(), evaluation, file_format, language)


@st.cache_data(show_spinner=False, max_entries=16)
def _report(version: str, evaluation: str, file_format: str, language: str) -> bytes:
    from dashboard import reports

    cursor = _connection(version).cursor()
    try:
        content = reports.evaluation_report_data(cursor, evaluation)
    finally:
        cursor.close()
    return (
        reports.to_xlsx(content, lang=language)
        if file_format == "xlsx"
        else reports.to_pdf(content, lang=language)
    )
