"""The dashboard's one query layer: named SQL files in warehouse/queries/, bound parameters, cached.

Pages call the functions below and never write SQL. Results are cached per
published snapshot: a load publishes a new snapshot file, the cache key changes,
and every page reads the new figures on its next run.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import duckdb
import polars as pl
import streamlit as st

from services import ingest as ingest_service
from warehouse import named
from warehouse.lineage import records_sql
from warehouse.store import Warehouse

_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


_sql = named.sql  # warehouse/queries/NAME.sql


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


@contextlib.contextmanager
def _cursor(version: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the shared read-only connection to one snapshot (one per unit of work)."""
    cursor = _connection(version).cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _run(version: str, name: str, params: dict) -> pl.DataFrame:
    with _cursor(version) as cursor:
        return cursor.sql(_sql(name), params=params or None).pl()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(version: str, name: str, params: tuple) -> pl.DataFrame:
    return _run(version, name, dict(params))


def query(name: str, **params) -> pl.DataFrame:
    """Run warehouse/queries/<name>.sql with named parameters against the current snapshot."""
    return _query_at(snapshot_version(), name, **params)


def _query_at(version: str | None, name: str, **params) -> pl.DataFrame:
    """The same, against the snapshot `version` (for caches kept per snapshot)."""
    return _cached(version, name, tuple(sorted(params.items())))


def periods() -> pl.DataFrame:
    return query("periods")


def evaluations() -> pl.DataFrame:
    return query("evaluations")


def indicators() -> pl.DataFrame:
    return query("indicators")


def indicator_kinds() -> dict[str, str]:
    """indicator_id → kind (count, ratio, median): a count's target is shown as a whole number.

    Asked once per card: kept per snapshot as a small dict, not rebuilt from the indicators' frame."""
    return _indicator_kinds(snapshot_version())


# Small read-only dicts asked for once per card (30 a page): kept as one shared object per snapshot
# (st.cache_resource: no copy per call, as st.cache_data would make). Nobody changes them.
@st.cache_resource(show_spinner=False, max_entries=8)
def _indicator_kinds(version: str | None) -> dict[str, str]:
    frame = _query_at(version, "indicators")
    return dict(zip(frame["indicator_id"].to_list(), frame["kind"].to_list(), strict=True))


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


def approval_log(feed: str, month: str) -> pl.DataFrame:
    return query("approval_log", feed=feed, month=month)


def approval_action(
    action: str, *, feed: str, month: str, username: str, unit: str | None, comment: str | None
):
    """One approval action by the logged-in account (warehouse/approvals.py checks its role)."""
    from warehouse.approvals import act

    return act(warehouse(), action, feed=feed, month=month, by=username, unit_code=unit, comment=comment)


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
    with _cursor(version) as cursor:
        return cursor.sql(records_sql(feed, limit="limit" in params), params=params).pl()


def records(feed: str, group: str | None, start, end, limit: int | None = None) -> pl.DataFrame:
    """Records behind a figure: one feed, one group (or the ward), one date range; codes shown by their labels."""
    from kernel import contracts as c

    params = {"group": group, "start": start, "end": end}
    if limit:
        params["limit"] = limit
    frame = _records(snapshot_version(), feed, tuple(sorted(params.items())))
    english = st.session_state.get("lang") == "en"
    return frame.with_columns(
        pl.col(col.name).replace_strict(
            {ch.code: ch.label_en if english else ch.label_vi for ch in col.choices},
            default=pl.col(col.name),
            return_dtype=pl.String,
        )
        for col in c.feed(feed).columns
        if col.choices
    )


def contributions(indicator: str, period: str, group: str | None, start=None, end=None) -> pl.DataFrame:
    """Exactly the records one figure counts (indicator_contributions), parts and feeds by their labels.

    Given the period's dates, each counted row also carries its record's own fields (address, note, …),
    matched by upload and line, so the reader sees what was counted and not only where it came from.
    """
    from dashboard.i18n import t
    from kernel import contracts as c

    frame = query("figure_contributions", indicator=indicator, period=period, group=group)
    if start is not None and end is not None and frame.height:
        keys = ["upload_id", "source_line"]
        clashing = {"file_name", "sent_by", "received_at", "sha256", "uploaded_account"}
        own = []
        for feed in frame["feed"].unique().to_list():
            if feed not in c.FEEDS:  # the groups list: its denominator rows have no record fields
                continue
            found = records(feed, group, start, end)
            if found.height:
                found = found.drop([n for n in clashing if n in found.columns])
                own.append(found.with_columns(pl.col(k).cast(pl.Int64) for k in keys))
        if own:
            fields = pl.concat(own, how="diagonal_relaxed").unique(subset=keys, keep="first")
            fields = fields.drop([n for n in fields.columns if n in frame.columns and n not in keys])
            frame = frame.with_columns(pl.col(k).cast(pl.Int64) for k in keys).join(
                fields, on=keys, how="left", maintain_order="left"
            )
    english = st.session_state.get("lang") == "en"
    feeds = {name: (ct.label_en if english else ct.label_vi) for name, ct in c.FEEDS.items()}
    feeds["residential_groups"] = t("feed_groups_list")
    parts = {"numerator": t("part_numerator"), "denominator": t("part_denominator")}
    return frame.with_columns(
        pl.col("part").replace_strict(parts, default=pl.col("part"), return_dtype=pl.String),
        pl.col("feed").replace_strict(feeds, default=pl.col("feed"), return_dtype=pl.String),
        pl.col("uploaded_account").fill_null(t("not_recorded")),
    )


def target_notes(period: str) -> dict[str, tuple[str, str]]:
    """indicator_id → (status, Vietnamese note) of the targets a period's figures are compared with.

    Asked once per card: built once per snapshot and period (it was a query and a dict per card)."""
    return _target_notes(snapshot_version(), period)


@st.cache_resource(show_spinner=False, max_entries=64)
def _target_notes(version: str | None, period: str) -> dict[str, tuple[str, str]]:
    try:
        frame = _query_at(version, "target_notes", period=period)
    except duckdb.CatalogException:  # a warehouse refreshed before target provenance existed
        return {}
    return {r["indicator_id"]: (r["status"], r["note_vi"]) for r in frame.iter_rows(named=True)}


def period_reference(period: str, group: str) -> dict | None:
    """The groups-list version a period's denominators come from, and the group's figures in it."""
    found = query("period_reference", period=period, group=group)
    return found.row(0, named=True) if found.height else None


def original_file(upload_id: int) -> bytes:
    """The bytes of an uploaded file, exactly as received."""
    stored = query("upload_file", upload=upload_id)["stored_path"][0]
    return warehouse().original_file(stored)


def report_bytes(evaluation: str, file_format: str, language: str) -> bytes:
    """The evaluation report (xlsx or pdf) built from the current snapshot."""
    return _report(snapshot_version(), evaluation, file_format, language)


@st.cache_data(show_spinner=False, max_entries=16)
def _report(version: str, evaluation: str, file_format: str, language: str) -> bytes:
    from services.reports.files import report_bytes

    with _cursor(version) as cursor:
        return report_bytes(cursor, evaluation, file_format, language)[1]


# -- sending files -------------------------------------------------------------------
def reference():
    """The ward's current groups and units (from the published snapshot)."""
    return _reference(snapshot_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _reference(version: str):
    from warehouse.load import read_reference

    with _cursor(version) as cursor:
        return read_reference(cursor)


def template(feed: str, file_format: str) -> bytes:
    return ingest_service.template(feed, file_format)


def max_upload_mb() -> int:
    return ingest_service.max_upload_mb()


def loaded_upload(sha: str, feed: str, unit: str) -> dict | None:
    found = query("loaded_upload", sha=sha, feed=feed, unit=unit)
    return found.row(0, named=True) if found.height else None


def upload_history(unit: str | None) -> pl.DataFrame:
    return query("upload_history", unit=unit)


def upload_rejected(upload_id: int) -> pl.DataFrame:
    return query("upload_rejected", upload=upload_id)


def reference_versions() -> pl.DataFrame:
    return query("reference_versions")


Preview = ingest_service.Preview


def preview(content: bytes, feed: str, unit: str, file_name: str, date_order: str | None = None) -> Preview:
    """Judge a file without storing anything (kept for this browser session while it is on screen)."""
    from warehouse.store import sha256_of

    key = (snapshot_version(), sha256_of(content), feed, unit, date_order)
    cache = st.session_state.setdefault("_previews", {})
    if key not in cache:
        cache.clear()
        cache[key] = _make_preview(key[0], content, feed, unit, file_name, date_order=date_order)
    return cache[key]


def _make_preview(
    version: str, content: bytes, feed: str, unit: str, file_name: str, date_order: str | None = None
) -> Preview:
    ref = _reference(version)
    with _cursor(version) as cursor:
        return ingest_service.preview(cursor, ref, content, feed, unit, file_name, date_order=date_order)


def load(*args, **kwargs):
    """Load through the same pipeline, sandbox and writer lock as the command line (services/ingest.load)."""
    return ingest_service.load(warehouse(), *args, **kwargs)


def declare_nothing(feed: str, unit: str, month, user):
    """«Không có số liệu phát sinh» for the unit, feed and month; the function checks the account's role."""
    return ingest_service.declare_nothing(warehouse(), feed, unit, month, user)


def report_months() -> tuple[list, int]:
    """The months a unit may report on (campaign start to this month, newest first) and the index of
    the default: the latest month already over (a month just begun is rarely the one meant)."""
    periods = query("periods")
    months = periods.filter((pl.col("period_type") == "month") & (pl.col("status") != "not_started"))
    months = months.sort("period_start", descending=True)
    ended = [i for i, status in enumerate(months["status"].to_list()) if status == "complete"]
    return months["period_start"].to_list(), (ended[0] if ended else 0)


def window_note(evaluation: str) -> str | None:
    """Whether the evaluation's window is still running or its reports incomplete, with the dates."""
    return _window_note(snapshot_version(), evaluation)


@st.cache_data(show_spinner=False, max_entries=16)
def _window_note(version: str, evaluation: str) -> str | None:
    from warehouse.completeness import window_note_vi

    with _cursor(version) as cursor:
        return window_note_vi(cursor, evaluation)


def catalogue() -> pl.DataFrame:
    """Views and marts with their columns and comments (schema browser, data dictionary)."""
    return _catalogue(snapshot_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _catalogue(version: str) -> pl.DataFrame:
    from warehouse.dictionary import catalogue as read_catalogue

    with _cursor(version) as cursor:
        return read_catalogue(cursor)


def freeze(evaluation: str, username: str, note: str | None, role: str | None = None):
    """Freeze an evaluation's figures as they are now (through the writer; readers see it at once).

    The role is checked by warehouse.evaluation.freeze itself (leader or admin only).
    """
    from services.evaluation import freeze as freeze_evaluation

    return freeze_evaluation(warehouse(), evaluation, user=username, role=role, note=note)


def verify_snapshot(snapshot: int):
    """Recompute a frozen snapshot from the warehouse as it was and compare (not cached: it is the check)."""
    from warehouse.verification import verify_snapshot as verify

    with _cursor(snapshot_version()) as cursor:
        return verify(cursor, snapshot)


# -- issue 10: the scorecard, one indicator across the groups, the one-page PDF -------------------
def scorecard(period: str) -> pl.DataFrame:
    """Every group and the ward × every headline indicator for one period (indicator_values rows)."""
    return query("scorecard", period=period)


def indicator_groups(indicator: str, period: str) -> pl.DataFrame:
    """One indicator for the ward and every group in one period, with the previous period and last year."""
    return query("indicator_groups", indicator=indicator, period=period)


def scorecard_pdf(evaluation: str, language: str) -> bytes:
    """The one-page A4 landscape scorecard of an evaluation, from the current snapshot."""
    return _scorecard_pdf(snapshot_version(), evaluation, language)


@st.cache_data(show_spinner=False, max_entries=16)
def _scorecard_pdf(version: str, evaluation: str, language: str) -> bytes:
    from services import reports
    from services.reports import onepage

    with _cursor(version) as cursor:
        content = reports.evaluation_report_data(cursor, evaluation)
    return onepage.to_pdf(content, lang=language)


def ward_cards(period: str) -> pl.DataFrame:
    """The ward's headline indicators with the previous period, last year and the monthly values."""
    return query("ward_cards", period=period)


def ward() -> tuple[str, str] | None:
    """The ward's (code, name) from its settings as the marts were built; None before any snapshot."""
    version = snapshot_version()
    return None if version is None else _ward(version)


@st.cache_data(show_spinner=False, max_entries=4)
def _ward(version: str) -> tuple[str, str] | None:
    from warehouse.ward_identity import ward_of

    try:
        with _cursor(version) as cursor:
            return tuple(ward_of(cursor))
    except duckdb.Error:
        return None  # a snapshot without marts yet: the files simply carry no ward column
