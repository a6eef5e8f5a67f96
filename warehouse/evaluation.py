"""The evaluations: league tables read from the marts, frozen snapshots, and what changed since.

A frozen snapshot keeps an evaluation's league table, its component scores
and the indicator values of its window, with the settings text used and a
SHA-256 of all of it, so the figures shown at a meeting can be shown again
unchanged after later corrections; `evaluation_changes` and
`evaluation_indicator_changes` (views in main) compare a freeze with the
live marts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import duckdb
import polars as pl

SNAPSHOT_TABLES = {
    "league": ("evaluation_snapshot_league", "league_table", "evaluation = ?"),
    "components": ("evaluation_snapshot_components", "league_components", "evaluation = ?"),
    "indicators": (
        "evaluation_snapshot_indicators",
        "indicator_values",
        "period_type = 'evaluation' AND period_key = ?",
    ),
}


class UnknownEvaluation(Exception):
    """An evaluation name that the settings do not define (message in Vietnamese)."""


class UnknownSnapshot(Exception):
    """A snapshot id that does not exist for this evaluation (message in Vietnamese)."""


# Who may freeze an evaluation: the ward's leaders and administrators (checked here, not only on the page).
FREEZE_ROLES = ("leader", "admin")


class FreezeNotAllowed(Exception):
    """The account may not freeze an evaluation (message in Vietnamese)."""


@dataclass(frozen=True)
class EvaluationInfo:
    name: str
    label_vi: str
    start: dt.date
    end: dt.date
    as_of: dt.date


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int
    evaluation: str
    frozen_at: dt.datetime
    as_of: dt.date
    settings_sha256: str
    content_sha256: str
    note: str | None


def evaluation_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The evaluations the active settings define, in their order."""
    return [
        r[0] for r in con.sql("SELECT evaluation FROM marts.evaluation_windows ORDER BY position").fetchall()
    ]


def evaluation_info(con: duckdb.DuckDBPyConnection, name: str) -> EvaluationInfo:
    """An evaluation's window and the marts' as-of date; UnknownEvaluation if not defined."""
    rows = con.sql(
        "SELECT w.evaluation, w.label_vi, w.window_start, w.window_end, p.as_of "
        "FROM marts.evaluation_windows AS w CROSS JOIN marts.settings_params AS p WHERE w.evaluation = ?",
        params=[name],
    ).fetchall()
    if not rows:
        known = ", ".join(evaluation_names(con)) or "(chưa có)"
        raise UnknownEvaluation(f"Không có kỳ đánh giá «{name}». Các kỳ đánh giá: {known}.")
    return EvaluationInfo(*rows[0])


def league_table(con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int | None = None) -> pl.DataFrame:
    """The league table of an evaluation, live or as frozen, ranked groups first."""
    source, where, params = _source(con, "league", name, snapshot_id)
    frame = con.sql(
        f"SELECT * FROM {source} WHERE {where} ORDER BY ranked DESC, rank NULLS LAST, group_code",
        params=params,
    ).pl()
    return frame.drop("snapshot_id", strict=False)


def league_components(
    con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int | None = None
) -> pl.DataFrame:
    """The component scores behind the league table: raw values, targets, spread, weights."""
    source, where, params = _source(con, "components", name, snapshot_id)
    frame = con.sql(
        f"SELECT * FROM {source} WHERE {where} ORDER BY group_code, indicator_order", params=params
    ).pl()
    return frame.drop("snapshot_id", strict=False)


def league_json(con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int | None = None) -> list[dict]:
    """The league table as plain objects: group, rank, score, tier and each component."""
    table = league_table(con, name, snapshot_id)
    components = league_components(con, name, snapshot_id)
    out = []
    for row in table.iter_rows(named=True):
        mine = components.filter(pl.col("group_code") == row["group_code"])
        out.append(
            {
                "group_code": row["group_code"],
                "group_name": row["group_name"],
                "rank": row["rank"],
                "score": row["score"],
                "tier": row["tier"],
                "ranked": row["ranked"],
                "unranked_reason_vi": row.get("unranked_reason_vi", row.get("note_vi")),
                "components": [
                    {
                        "indicator_id": comp["indicator_id"],
                        "raw_value": comp["raw_value"],
                        "scaled_score": comp["component_score"],
                        "weight": comp["weight"],
                        "target": comp["target"],
                        "status": comp["status"],
                        "data_status": comp.get("data_status"),
                    }
                    for comp in mine.iter_rows(named=True)
                ],
            }
        )
    return out


def _source(
    con: duckdb.DuckDBPyConnection, kind: str, name: str, snapshot_id: int | None
) -> tuple[str, str, list]:
    frozen_table, live_table, where = SNAPSHOT_TABLES[kind]
    if snapshot_id is None:
        evaluation_info(con, name)
        return f"marts.{live_table}", where, [name]
    snapshot(con, name, snapshot_id)
    return f"marts.{frozen_table}", "snapshot_id = ?", [snapshot_id]


def snapshots(con: duckdb.DuckDBPyConnection, name: str | None = None) -> list[Snapshot]:
    """The frozen snapshots (of one evaluation, or all), oldest first."""
    where, params = ("WHERE evaluation = ?", [name]) if name else ("", [])
    rows = con.sql(
        "SELECT snapshot_id, evaluation, frozen_at, as_of, settings_sha256, content_sha256, note "
        f"FROM marts.evaluation_snapshots {where} ORDER BY snapshot_id",
        params=params,
    ).fetchall()
    return [Snapshot(*row) for row in rows]


def snapshot(con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int) -> Snapshot:
    for snap in snapshots(con, name):
        if snap.snapshot_id == snapshot_id:
            return snap
    known = ", ".join(str(s.snapshot_id) for s in snapshots(con, name)) or "(chưa chốt lần nào)"
    raise UnknownSnapshot(f"Kỳ «{name}» không có lần chốt số {snapshot_id}. Các lần chốt: {known}.")


def content_hash(settings_text: str, frames: dict[str, pl.DataFrame]) -> str:
    """SHA-256 over the settings text and the frozen rows (sorted, values in a canonical form)."""
    digest = hashlib.sha256()
    digest.update(settings_text.encode("utf-8"))
    for kind in sorted(frames):
        # The ward's code is the warehouse's identity, not a frozen figure: freezes made before the
        # column existed still verify.
        frame = frames[kind].drop("snapshot_id", "ward_code", strict=False)
        frame = frame.select(sorted(frame.columns))
        rows = [
            json.dumps(row, sort_keys=True, ensure_ascii=False, default=_canonical)
            for row in frame.rows(named=True)
        ]
        digest.update(kind.encode("utf-8"))
        for line in sorted(rows):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def _canonical(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """Floats rounded to 9 decimals, so the hash does not depend on the last bits of a sum."""
    return frame.with_columns(pl.col(pl.Float64).round(9))


def snapshot_frames(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, pl.DataFrame]:
    """The rows a freeze of `name` keeps, from the live marts of `con` (floats rounded)."""
    return {
        kind: _rounded(con.sql(f"SELECT * FROM marts.{live_table} WHERE {where}", params=[name]).pl())
        for kind, (_, live_table, where) in SNAPSHOT_TABLES.items()
    }


def freeze(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    frozen_by: str | None = None,
    role: str | None = None,
    note: str | None = None,
    frozen_at: dt.datetime | None = None,
) -> Snapshot:
    """Store the evaluation's league table, components and indicator values as they are now.

    Only a leader or an administrator may freeze (FreezeNotAllowed otherwise). The snapshot also
    keeps its as-of date, the last upload and reference versions it was computed from and a
    SHA-256 fingerprint of the input records, so `verification.verify_snapshot` can recompute it.
    """
    from warehouse.refresh import ensure_snapshot_tables
    from warehouse.store import now_vietnam
    from warehouse.verification import freeze_inputs

    if role not in FREEZE_ROLES:
        raise FreezeNotAllowed(
            f"Tài khoản «{frozen_by or '(không rõ)'}» không được chốt kỳ đánh giá: chỉ lãnh đạo phường "
            "(leader) hoặc quản trị viên (admin) được chốt."
        )
    info = evaluation_info(con, name)
    ensure_snapshot_tables(con)
    settings_text, settings_sha = con.sql("SELECT toml_text, sha256 FROM marts.settings_source").fetchall()[0]
    frames = snapshot_frames(con, name)
    digest = content_hash(settings_text or "", frames)
    inputs = freeze_inputs(con, name)
    frozen_at = frozen_at or now_vietnam()
    con.execute("BEGIN TRANSACTION")
    try:
        snapshot_id = con.sql("SELECT nextval('marts.snapshot_id_seq')").fetchall()[0][0]
        ranked = frames["league"].filter(pl.col("ranked")).height
        con.execute(
            "INSERT INTO marts.evaluation_snapshots (snapshot_id, evaluation, evaluation_label_vi, frozen_at, "
            "frozen_by, note, as_of, settings_toml, settings_sha256, content_sha256, groups_ranked, "
            "last_upload_id, reference_version, groups_versions, units_versions, input_records, input_sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                snapshot_id,
                name,
                info.label_vi,
                frozen_at,
                frozen_by,
                note,
                info.as_of,
                settings_text or "",
                settings_sha or "",
                digest,
                ranked,
                inputs.last_upload_id,
                inputs.reference_version,
                inputs.groups_versions,
                inputs.units_versions,
                inputs.input_records,
                inputs.input_sha256,
            ],
        )
        for kind, (frozen_table, _, _) in SNAPSHOT_TABLES.items():
            rows = frames[kind].with_columns(pl.lit(snapshot_id, dtype=pl.Int64).alias("snapshot_id"))
            con.register("frozen_rows", rows)
            try:
                con.execute(f"INSERT INTO marts.{frozen_table} BY NAME SELECT * FROM frozen_rows")
            finally:
                con.unregister("frozen_rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return Snapshot(snapshot_id, name, frozen_at, info.as_of, settings_sha or "", digest, note)


def verify(con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int) -> bool:
    """Whether a snapshot's rows still hash to the content hash stored when it was frozen."""
    snap = snapshot(con, name, snapshot_id)
    text = con.sql(
        "SELECT settings_toml FROM marts.evaluation_snapshots WHERE snapshot_id = ?", params=[snapshot_id]
    ).fetchall()[0][0]
    frames = {
        kind: con.sql(f"SELECT * FROM marts.{table} WHERE snapshot_id = ?", params=[snapshot_id]).pl()
        for kind, (table, _, _) in SNAPSHOT_TABLES.items()
    }
    return content_hash(text, frames) == snap.content_sha256


def changes_since(con: duckdb.DuckDBPyConnection, name: str, snapshot_id: int | None = None) -> pl.DataFrame:
    """Groups whose rank, score or tier changed since a freeze (the latest one by default)."""
    snaps = snapshots(con, name)
    if not snaps:
        return pl.DataFrame()
    chosen = snapshot(con, name, snapshot_id) if snapshot_id is not None else snaps[-1]
    return con.sql(
        "SELECT * FROM evaluation_changes WHERE snapshot_id = ? AND changed ORDER BY live_rank NULLS LAST, group_code",
        params=[chosen.snapshot_id],
    ).pl()
