"""Rebuilding the marts inside the writer, so every published snapshot carries fresh marts.

`refresh_marts(con, home)` runs after every load and after `init`: it reads the
ward's settings file into small `marts.settings_*` tables (so the SQL joins
them rather than having values pasted in), then runs the `.sql` files of
`warehouse/marts/` in order, each a chain of CTEs ending in `select * from
final`, and (re)creates the analysts' views in `main`. It runs in one
transaction: readers see the old marts or the new ones, never half.

Incremental only where it pays, and here it does not. Two incremental schemes
were built and measured with benchmarks/marts.py at 100× the demo ward
(450.000 records): recomputing the per-violation repeat flags only for the
addresses a new file touches, and keeping tables, comments and views between
refreshes to refill only their rows. Neither beat one full pass (about 0,7 s,
mostly the repeat-flag window and the indicator grid): DuckDB's deletes and
re-inserts inside the transaction cost more than the scans they save. So
every refresh is one full pass over the data, which also guarantees that the
as-of date and the settings apply to every period; `marts.refresh_state`
records its time.

That was measured when the facts were tables of every record. They are views
now, and the marts' tables are sized by periods × groups × measures, so
emptying and refilling them is cheap: what a refresh need not redo is the
marts' shape. When it is that of the last refresh, the tables are refilled
and the views and comments kept (warehouse/refill.py).

Catching up after a crash: `marts.refresh_state` also records what the marts
were built from (the last loaded upload, the last reference version, the hash
of the settings file, the as-of date and whether it was pinned). A process
killed between a load's COMMIT and the refresh, or in the middle of the
refresh (which then rolls back), leaves the marts behind those inputs;
`marts_behind` sees it and `catch_up_marts`, run by the next writer, rebuilds
them with the same as-of rule.

A settings file that does not validate never blocks a clerk's upload: the
refresh keeps the last settings that did validate (or the defaults) and
records the error in `marts.settings_source`, which `dothixanh evaluate`
reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import duckdb
import polars as pl

from kernel import contracts as c
from warehouse import indicator_sql, refill, ward_identity
from warehouse import indicators as ind
from warehouse.comments import read_model
from warehouse.faults import fault_point
from warehouse.settings import (
    FILE_NAME,
    IndicatorSettings,
    Settings,
    SettingsError,
    default_settings,
    load_settings,
    parse_settings,
)
from warehouse.targets import write_target_provenance

MARTS = Path(__file__).parent / "marts"
REPEAT_WINDOW_DAYS = 90

# Analysts' stable names in main → the mart behind them.
VIEWS = {
    "indicators": "indicators",
    "periods": "periods",
    "evaluation_windows": "evaluation_windows",
    "indicator_values": "indicator_values",
    "league_table": "league_table",
    "league_components": "league_components",
    "reporting_completeness": "reporting_completeness",
    "reporting_summary": "reporting_summary",
    "evaluation_snapshots": "evaluation_snapshots",
}


def refresh_marts(
    con: duckdb.DuckDBPyConnection,
    home: Path | str | None = None,
    *,
    today: dt.date | None = None,
    settings: Settings | None = None,
) -> None:
    """Rebuild every mart from core and the ward's settings (one transaction)."""
    from warehouse.store import now_vietnam

    started = time.perf_counter()
    as_of = today or now_vietnam().date()
    con.execute("BEGIN TRANSACTION")
    try:
        error = None
        if settings is None:
            settings, error = _active_settings(con, home)
        write_settings_tables(con, settings, as_of=as_of, error=error, home=home)
        write_target_provenance(con, home, settings)
        models = mart_models(home)
        shape = refill.shape_sha256(models, settings, views=VIEWS)
        state = refresh_state(con)
        same = (
            bool(state)
            and state.get("shape_sha256") == shape
            and ward_identity.settings_code(con) is not None
        )
        plan = refill.plan(con, models, views=VIEWS) if same else None
        indicator_sql.drop_fact_tables(con)
        for name, sql in [m for m in models if not m[0].startswith("9")]:
            refill.run(con, name, sql, plan)
        fault_point("refresh")
        ensure_snapshot_tables(con)
        if plan is None:
            _create_views(con)
        for name, sql in [m for m in models if m[0].startswith("9")]:
            refill.run(con, name, sql, plan)
        latest_upload = con.sql("SELECT coalesce(max(upload_id), 0) FROM raw.uploads").fetchall()[0][0]
        inputs = build_inputs(con, home)
        seconds = time.perf_counter() - started
        _save_state(con, latest_upload, inputs, as_of, today is not None, seconds, shape)
        ward_identity.stamp(con)  # ward_code in every mart table and analysts' view
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def mart_models(home: Path | str | None = None) -> list[tuple[str, str]]:
    """Every mart model in the order the refresh runs them: the files of warehouse/marts/ and the
    models compiled from the indicator declarations (facts per feed, one model per measure)."""
    files = [(path.stem, read_model(path)) for path in MARTS.glob("*.sql")]
    return sorted([*files, *indicator_sql.models(ind.measures_for(home))])


# What the marts are built from; a change in any of them makes the marts behind.
INPUTS = (
    "last_loaded_upload_id",
    "last_reference_version",
    "settings_file_sha256",
    "last_approval_action_id",
)


def settings_file_sha256(home: Path | str | None) -> str:
    """Hash of the ward's settings file as it is on disk ("" when there is none)."""
    from warehouse.store import default_home

    path = (Path(home) if home else default_home()) / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError):
        return ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_inputs(con: duckdb.DuckDBPyConnection, home: Path | str | None) -> dict:
    """The current inputs of the marts: last loaded upload, last reference version, settings file."""
    loaded = con.sql(
        "SELECT coalesce(max(upload_id), 0) FROM raw.uploads WHERE status = 'loaded'"
    ).fetchall()[0][0]
    reference = con.sql("SELECT coalesce(max(version), 0) FROM ref.versions").fetchall()[0][0]
    approval = con.sql("SELECT coalesce(max(action_id), 0) FROM raw.approval_actions").fetchall()[0][0]
    return {
        "last_loaded_upload_id": loaded,
        "last_reference_version": reference,
        "settings_file_sha256": settings_file_sha256(home),
        "last_approval_action_id": approval,
    }


def refresh_state(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The last committed refresh (None before the first one)."""
    if not _exists(con, "refresh_state"):
        return None
    cursor = con.cursor()
    try:
        cursor.execute("SELECT * FROM marts.refresh_state")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return dict(zip(names, rows[0], strict=True)) if rows else None


def marts_behind(con: duckdb.DuckDBPyConnection, home: Path | str | None) -> bool:
    """True when core data, reference lists or settings changed after the last committed refresh."""
    inputs = build_inputs(con, home)
    if not inputs["last_reference_version"]:
        return False  # no ward yet (init not done): nothing to build
    state = refresh_state(con)
    if state is None or ward_identity.settings_code(con) is None:
        return True  # never built, or built before every mart carried the ward's code
    return any(state.get(name) != value for name, value in inputs.items())


def catch_up_marts(con: duckdb.DuckDBPyConnection, home: Path | str | None) -> bool:
    """Finish a refresh that a crash left undone; return whether one was needed.

    The as-of date follows the last refresh: a pinned date (the demo's, `evaluate`'s) is kept,
    otherwise today, as the interrupted refresh would have used.
    """
    if not marts_behind(con, home):
        return False
    state = refresh_state(con) or {}
    today = state.get("as_of") if state.get("as_of_pinned") else None
    refresh_marts(con, home, today=today)
    return True


def _save_state(
    con: duckdb.DuckDBPyConnection,
    last_upload: int,
    inputs: dict,
    as_of: dt.date,
    pinned: bool,
    seconds: float,
    shape: str,
) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE marts.refresh_state AS SELECT ?::BIGINT AS last_upload_id, "
        "?::BIGINT AS last_loaded_upload_id, ?::BIGINT AS last_reference_version, "
        "?::VARCHAR AS settings_file_sha256, ?::BIGINT AS last_approval_action_id, ?::DATE AS as_of, ?::BOOLEAN AS as_of_pinned, "
        "?::DOUBLE AS seconds, now()::TIMESTAMP AS refreshed_at, ?::VARCHAR AS shape_sha256",
        [last_upload, *(inputs[name] for name in INPUTS), as_of, pinned, seconds, shape],
    )
    con.execute(
        "COMMENT ON TABLE marts.refresh_state IS 'Lần làm mới marts gần nhất / The last marts refresh'"
    )
    for column, text in (
        ("last_upload_id", "Lần gửi mới nhất đã tính / Latest upload included"),
        ("last_loaded_upload_id", "Lần gửi đã nạp mới nhất đã tính / Latest loaded upload included"),
        ("last_reference_version", "Phiên bản danh mục mới nhất đã tính / Latest reference version"),
        ("settings_file_sha256", "Mã băm tệp thiết lập đã dùng / Hash of the settings file used"),
        ("last_approval_action_id", "Thao tác duyệt mới nhất đã tính / Latest approval action included"),
        ("as_of", "Ngày tính số liệu / As-of date"),
        ("as_of_pinned", "Ngày tính được chỉ định (không phải hôm nay) / As-of date was given"),
        ("seconds", "Thời gian làm mới (giây) / Refresh time (s)"),
        ("refreshed_at", "Thời điểm làm mới (giờ máy chủ) / When (server clock)"),
        ("shape_sha256", "Mã băm hình dạng marts (mô hình, mã, thiết lập) / Hash of the marts' shape"),
    ):
        con.execute(f"COMMENT ON COLUMN marts.refresh_state.{column} IS {_literal(text)}")


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.sql(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?",
            params=[table],
        ).fetchall()[0][0]
    )


def _active_settings(con: duckdb.DuckDBPyConnection, home) -> tuple[Settings, str | None]:
    try:
        return load_settings(Path(home) if home else None), None
    except SettingsError as exc:
        previous = _stored_settings_text(con)
        if previous is not None:
            try:
                known = ind.indicators_for(home)
                return parse_settings(previous, "bản thiết lập hợp lệ gần nhất", indicators=known), str(exc)
            except SettingsError:
                pass
        return default_settings(), str(exc)


def _stored_settings_text(con: duckdb.DuckDBPyConnection) -> str | None:
    if not _exists(con, "settings_source"):
        return None
    rows = con.sql("SELECT toml_text FROM marts.settings_source").fetchall()
    return rows[0][0] if rows else None


def settings_frames(
    settings: Settings, *, as_of: dt.date, indicators: tuple[ind.Indicator, ...] | None = None
) -> dict[str, pl.DataFrame]:
    """The settings as the small tables the marts join."""
    known = ind.INDICATORS if indicators is None else indicators
    params = pl.DataFrame(
        {
            "campaign_start": [settings.campaign_start],
            "as_of": [as_of],
            "lighting_repair_days": [settings.lighting_repair_days],
            "old_open_fault_days": [settings.old_open_fault_days],
            "repeat_window_days": [REPEAT_WINDOW_DAYS],
            "report_due_day": [settings.report_due_day],
            "min_weight_share": [settings.min_weight_share],
            "rank_requires_all_weighted": [settings.rank_requires_all_weighted],
            "rank_requires_reports": [settings.rank_requires_reports],
            "settings_sha256": [settings.sha256],
            "ward_name": [settings.ward_name],
            "ward_code": [settings.ward_code],  # last, as in every mart (warehouse/ward_identity.py)
        },
        schema_overrides={"lighting_repair_days": pl.Int64, "old_open_fault_days": pl.Int64},
    )
    rows = []
    for position, item in enumerate(known, start=1):
        # An indicator the settings do not know (declared after they were read) counts with weight 0.
        active = settings.indicators.get(item.id) or IndicatorSettings(
            item.direction, 0.0, item.min_sample, {}
        )
        rows.append(
            {
                "indicator_id": item.id,
                "position": position,
                "name_vi": item.name_vi,
                "name_en": item.name_en,
                "unit_vi": item.unit_vi,
                "unit_en": item.unit_en,
                "feed": item.feed,
                "feed_label_vi": c.FEEDS[item.feed].label_vi,
                "kind": item.kind,
                "numerator_measure": item.numerator,
                "denominator_measure": item.denominator,
                "sample_measure": item.sample,
                "scale": float(item.scale),
                "numerator_vi": item.numerator_vi,
                "numerator_en": item.numerator_en,
                "denominator_vi": item.denominator_vi,
                "denominator_en": item.denominator_en,
                "formula_vi": item.formula_vi,
                "formula_en": item.formula_en,
                "target_mode": item.target_mode,
                "ward_target": item.ward_target,
                "category": item.category,
                "sample_vi": item.sample_vi,
                "zero_reason_vi": (
                    "Không tính được: không có phiếu nào đã sửa trong kỳ"
                    if item.kind == "median"
                    else f"Không tính được: mẫu số ({item.denominator_vi}) bằng 0"
                ),
                "direction": active.direction,
                "weight": float(active.weight),
                "min_sample": active.min_sample,
            }
        )
    indicators = pl.DataFrame(rows, infer_schema_length=None)
    first_year = min([settings.campaign_start.year, *(e.start.year for e in settings.evaluations.values())])
    last_year = max(
        [
            as_of.year,
            settings.campaign_start.year,
            ind.YEARS[-1],
            *(e.end.year for e in settings.evaluations.values()),
        ]
    )
    targets = pl.DataFrame(
        [
            {
                "indicator_id": item.id,
                "year": year,
                "target": settings.target(item.id, year) if item.id in settings.indicators else None,
            }
            for item in known
            for year in range(first_year, last_year + 1)
        ],
        schema={"indicator_id": pl.String, "year": pl.Int64, "target": pl.Float64},
    )
    windows = pl.DataFrame(
        [
            {
                "evaluation": e.name,
                "label_vi": e.label_vi,
                "label_en": e.label_en,
                "window_start": e.start,
                "window_end": e.end,
                "position": e.position,
            }
            for e in settings.evaluations.values()
        ],
        schema={
            "evaluation": pl.String,
            "label_vi": pl.String,
            "label_en": pl.String,
            "window_start": pl.Date,
            "window_end": pl.Date,
            "position": pl.Int64,
        },
    )
    tiers = pl.DataFrame(
        [{"min_score": score, "label_vi": label} for score, label in settings.tiers],
        schema={"min_score": pl.Float64, "label_vi": pl.String},
    )
    return {
        "settings_params": params,
        "indicators": indicators,
        "settings_targets": targets,
        "evaluation_windows": windows,
        "settings_tiers": tiers,
    }


def write_settings_tables(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    *,
    as_of: dt.date,
    error: str | None = None,
    home: Path | str | None = None,
) -> None:
    """Replace marts.settings_* with the active settings (and keep their text and any error)."""
    from warehouse.store import now_vietnam

    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    source = pl.DataFrame(
        {
            "path": [settings.path],
            "sha256": [settings.sha256],
            "toml_text": [settings.text],
            "as_of": [as_of],
            "refreshed_at": [now_vietnam()],
            "error": [error],
        },
        schema={
            "path": pl.String,
            "sha256": pl.String,
            "toml_text": pl.String,
            "as_of": pl.Date,
            "refreshed_at": pl.Datetime("us"),
            "error": pl.String,
        },
    )
    if settings.sha256:
        con.execute(
            "INSERT INTO ref.settings_versions VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [settings.sha256, now_vietnam(), settings.text],
        )
    frames = {
        **settings_frames(settings, as_of=as_of, indicators=ind.indicators_for(home)),
        "settings_source": source,
    }
    for name, frame in frames.items():
        con.register("settings_frame", frame)
        try:
            con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS SELECT * FROM settings_frame")
        finally:
            con.unregister("settings_frame")


def ensure_snapshot_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Rows tables of the frozen evaluations: created once, empty, shaped like the live marts."""
    for table, source, where in (
        ("evaluation_snapshot_league", "league_table", "TRUE"),
        ("evaluation_snapshot_components", "league_components", "TRUE"),
        ("evaluation_snapshot_indicators", "indicator_values", "period_type = 'evaluation'"),
    ):
        if not _exists(con, source):
            continue
        if _exists(con, table):
            _add_missing_columns(con, table, source)
            continue
        con.execute(
            f"CREATE TABLE marts.{table} AS SELECT NULL::BIGINT AS snapshot_id, * "
            f"FROM marts.{source} WHERE {where} LIMIT 0"
        )
        _copy_comments(con, f"marts.{table}", source)
        con.execute(
            f"COMMENT ON TABLE marts.{table} IS "
            + _literal(
                f"Bản chốt của {source} theo từng lần chốt kỳ đánh giá / Frozen copy of {source}, per snapshot"
            )
        )
        con.execute(
            f"COMMENT ON COLUMN marts.{table}.snapshot_id IS "
            + _literal("Mã lần chốt (xem evaluation_snapshots) / Snapshot id")
        )


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, source: str) -> None:
    """A mart that gained columns: its frozen copy gains them too (empty for older freezes)."""
    query = (
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = 'marts' AND table_name = ? ORDER BY column_index"
    )
    have = {row[0] for row in con.sql(query, params=[table]).fetchall()}
    for column, data_type, comment in con.sql(query, params=[source]).fetchall():
        if column not in have:
            con.execute(f'ALTER TABLE marts.{table} ADD COLUMN "{column}" {data_type}')
            if comment:
                con.execute(f'COMMENT ON COLUMN marts.{table}."{column}" IS {_literal(comment)}')


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Analysts' stable names in main, carrying the marts' comments."""
    for view, table in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM marts.{table}")
        comment = con.sql(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?",
            params=[table],
        ).fetchall()
        if comment and comment[0][0]:
            con.execute(f"COMMENT ON VIEW {view} IS {_literal(comment[0][0])}")
        _copy_comments(con, view, table)


def _copy_comments(con: duckdb.DuckDBPyConnection, target: str, table: str) -> None:
    """Column comments of marts.<table> onto the same columns of `target`."""
    for column, text in con.sql(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = ?",
        params=[table],
    ).fetchall():
        if text:
            con.execute(f'COMMENT ON COLUMN {target}."{column}" IS {_literal(text)}')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
