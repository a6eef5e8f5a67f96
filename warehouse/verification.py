"""A freeze anyone can check: what it was computed from, and recomputing it from the warehouse as it was.

At a freeze (warehouse/evaluation.py) the snapshot keeps, besides its rows and
their SHA-256: the last upload included, the last reference-list version, the
groups- and units-list versions the window used, the number of input records
and a SHA-256 fingerprint of them.

`verify_snapshot` rebuilds the warehouse as it was at the freeze in memory:
the records valid then (the current version of a record if its upload came no
later than the freeze, otherwise the version `core.<feed>_history` kept of it),
the uploads and reference versions that existed, the settings text and the
as-of date the snapshot stored; it recomputes every mart there and compares.
Three checks, all must hold: the stored rows still hash to the stored content
hash (nobody edited them), the input records hash to the stored fingerprint,
and the recomputed rows hash to the stored content hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import duckdb

from kernel import contracts as c

# Tables rebuilt "as they were" by a filter on the freeze's last upload / reference version.
_AS_OF_UPLOAD = {("raw", "uploads"), ("raw", "rejected_rows")}
_AS_OF_REFERENCE = {("ref", "versions"), ("ref", "groups"), ("ref", "units")}
# Tables of actions kept with their time: as of a freeze, the actions taken until it.
_AS_OF_TIME = {("raw", "approval_actions"): "acted_at"}


@dataclass(frozen=True)
class Inputs:
    """What a freeze was computed from."""

    last_upload_id: int
    reference_version: int
    groups_versions: list[int]
    units_versions: list[int]
    input_records: int
    input_sha256: str


@dataclass(frozen=True)
class Verification:
    """The outcome of `verify_snapshot`, with a Vietnamese sentence per check."""

    snapshot_id: int
    stored_rows_intact: bool
    inputs_match: bool
    recomputed_match: bool
    messages: list[str]

    @property
    def matches(self) -> bool:
        return self.stored_rows_intact and self.inputs_match and self.recomputed_match


def records_as_of_sql(feed: str) -> str:
    """The versions of a feed's records valid just after upload $upload (current or kept in history)."""
    contract = c.feed(feed)
    columns = ", ".join([*contract.column_names, "upload_id", "source_line"])
    return (
        f"SELECT {columns} FROM core.{contract.name} WHERE upload_id <= $upload "
        f"UNION ALL SELECT {columns} FROM core.{contract.name}_history "
        f"WHERE upload_id <= $upload AND superseded_by > $upload"
    )


def _canonical(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def input_fingerprint(con: duckdb.DuckDBPyConnection, last_upload_id: int) -> tuple[int, str]:
    """(count, SHA-256) of every feed's records valid just after upload `last_upload_id`."""
    digest = hashlib.sha256()
    total = 0
    for feed, contract in sorted(c.FEEDS.items()):
        order = ", ".join(contract.key)
        frame = con.sql(
            f"SELECT * FROM ({records_as_of_sql(feed)}) ORDER BY {order}", params={"upload": last_upload_id}
        ).pl()
        if contract.source == c.WARD and frame.is_empty():
            continue  # a feed added after this freeze changes nothing of what it counted
        digest.update(feed.encode("utf-8"))
        for row in frame.rows(named=True):
            digest.update(
                json.dumps(row, sort_keys=True, ensure_ascii=False, default=_canonical).encode("utf-8")
            )
            digest.update(b"\n")
        total += frame.height
    return total, digest.hexdigest()


def freeze_inputs(con: duckdb.DuckDBPyConnection, evaluation: str) -> Inputs:
    """The inputs of the marts as they are now, for a freeze of `evaluation`."""
    last_upload = con.sql("SELECT coalesce(max(upload_id), 0) FROM raw.uploads").fetchall()[0][0]
    reference = con.sql("SELECT coalesce(max(version), 0) FROM ref.versions").fetchall()[0][0]
    used = con.sql(
        "SELECT r.kind, list(DISTINCT r.version ORDER BY r.version) FROM marts.period_reference AS r "
        "JOIN marts.periods AS p USING (period_key) "
        "JOIN marts.evaluation_windows AS w ON w.evaluation = ? "
        "WHERE p.period_key = w.evaluation OR (p.period_type = 'month' "
        "AND p.period_start <= w.window_end AND p.period_end >= w.window_start) GROUP BY r.kind",
        params=[evaluation],
    ).fetchall()
    versions = {kind: list(found) for kind, found in used}
    count, sha = input_fingerprint(con, last_upload)
    return Inputs(last_upload, reference, versions.get("groups", []), versions.get("units", []), count, sha)


def warehouse_as_of(
    source: duckdb.DuckDBPyConnection, last_upload_id: int, reference_version: int, frozen_at=None
) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding what `source` held just after the given upload and reference
    version (and, for approvals and locks, the actions taken until `frozen_at`)."""
    from warehouse.schema import migrate

    mem = duckdb.connect(":memory:")
    migrate(mem)
    tables = mem.sql(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'ref', 'core') "
        "AND NOT table_name LIKE '%\\_history' ESCAPE '\\' ORDER BY ALL"
    ).fetchall()
    present = set(
        source.sql(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'ref', 'core')"
        ).fetchall()
    )
    feeds = {contract.name for contract in c.FEEDS.values()}
    for schema, table in tables:
        if (schema, table) not in present:
            continue
        if schema == "core" and table in feeds:
            frame = source.sql(records_as_of_sql(table), params={"upload": last_upload_id}).pl()
        elif (schema, table) in _AS_OF_UPLOAD:
            frame = source.sql(
                f"SELECT * FROM {schema}.{table} WHERE upload_id <= ?", params=[last_upload_id]
            ).pl()
        elif (schema, table) in _AS_OF_TIME and frozen_at is not None:
            frame = source.sql(
                f"SELECT * FROM {schema}.{table} WHERE {_AS_OF_TIME[(schema, table)]} <= ?",
                params=[frozen_at],
            ).pl()
        elif (schema, table) in _AS_OF_REFERENCE:
            frame = source.sql(
                f"SELECT * FROM {schema}.{table} WHERE version <= ?", params=[reference_version]
            ).pl()
        else:
            frame = source.sql(f"SELECT * FROM {schema}.{table}").pl()
        if frame.is_empty():
            continue
        mem.register("as_of_rows", frame)
        try:
            mem.execute(f"INSERT INTO {schema}.{table} BY NAME SELECT * FROM as_of_rows")
        finally:
            mem.unregister("as_of_rows")
    return mem


def verify_snapshot(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> Verification:
    """Recompute snapshot `snapshot_id` from the warehouse as it was at the freeze and compare."""
    from warehouse import evaluation as ev
    from warehouse.refresh import refresh_marts
    from warehouse.settings import SettingsError, parse_settings

    rows = con.sql(
        "SELECT evaluation, as_of, settings_toml, content_sha256, last_upload_id, reference_version, "
        "input_sha256, frozen_at FROM marts.evaluation_snapshots WHERE snapshot_id = ?",
        params=[snapshot_id],
    ).fetchall()
    if not rows:
        raise ev.UnknownSnapshot(f"Không có bản chốt số {snapshot_id}.")
    evaluation, as_of, toml_text, content_sha, last_upload, reference, input_sha, frozen_at = rows[0]
    messages = []
    intact = ev.verify(con, evaluation, snapshot_id)
    messages.append(
        "Nội dung đã lưu của bản chốt còn nguyên (khớp mã băm lúc chốt)."
        if intact
        else "Nội dung đã lưu của bản chốt đã bị sửa: không còn khớp mã băm lúc chốt."
    )
    if last_upload is None or input_sha is None:
        messages.append(
            "Bản chốt này được tạo trước khi hệ thống ghi dấu vân tay đầu vào: không tính lại được."
        )
        return Verification(snapshot_id, intact, False, False, messages)
    _, found_sha = input_fingerprint(con, last_upload)
    inputs_ok = found_sha == input_sha
    messages.append(
        "Các bản ghi đầu vào lúc chốt vẫn còn đủ trong kho (khớp dấu vân tay SHA-256)."
        if inputs_ok
        else "Các bản ghi đầu vào lúc chốt không còn như cũ (dấu vân tay SHA-256 khác)."
    )
    try:
        settings = parse_settings(toml_text, "thiết lập lưu trong bản chốt")
    except SettingsError as exc:
        messages.append(f"Không đọc được thiết lập lưu trong bản chốt: {exc}")
        return Verification(snapshot_id, intact, inputs_ok, False, messages)
    mem = warehouse_as_of(con, last_upload, reference, frozen_at)
    try:
        refresh_marts(mem, None, today=as_of, settings=settings)
        recomputed = ev.content_hash(toml_text or "", ev.snapshot_frames(mem, evaluation))
    finally:
        mem.close()
    same = recomputed == content_sha
    messages.append(
        f"Tính lại từ kho dữ liệu như lúc chốt (số liệu tính đến {as_of:%d/%m/%Y}): kết quả khớp bản chốt."
        if same
        else f"Tính lại từ kho dữ liệu như lúc chốt (số liệu tính đến {as_of:%d/%m/%Y}): kết quả KHÔNG khớp bản chốt."
    )
    return Verification(snapshot_id, intact, inputs_ok, same, messages)


def snapshot_evaluation(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> str | None:
    rows = con.sql(
        "SELECT evaluation FROM marts.evaluation_snapshots WHERE snapshot_id = ?", params=[snapshot_id]
    ).fetchall()
    return rows[0][0] if rows else None


__all__ = ["Inputs", "Verification", "freeze_inputs", "input_fingerprint", "verify_snapshot"]
