"""Writing to the warehouse: one transaction per file, corrections by key, nothing lost."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import polars as pl

from kernel import contracts as c
from kernel.records import LINE, Reference
from warehouse.faults import fault_point


@dataclass
class UploadRecord:
    """What raw.uploads keeps about one file."""

    feed: str
    unit_code: str | None
    file_name: str
    sha256: str
    size_bytes: int
    stored_path: str
    received_at: dt.datetime
    status: str
    uploaded_by: str | None = None
    refusal_reason: str | None = None
    file_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows_total: int | None = None
    rows_accepted: int | None = None
    rows_rejected: int | None = None
    rows_new: int | None = None
    rows_corrected: int | None = None
    extra_columns: list[str] = field(default_factory=list)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    validation_result: dict | None = None
    report_months: list[dt.date] | None = None
    nothing_to_report: bool = False


_UPLOAD_COLUMNS = [
    "feed",
    "unit_code",
    "file_name",
    "sha256",
    "size_bytes",
    "stored_path",
    "received_at",
    "status",
    "uploaded_by",
    "refusal_reason",
    "file_format",
    "encoding",
    "delimiter",
    "rows_total",
    "rows_accepted",
    "rows_rejected",
    "rows_new",
    "rows_corrected",
    "extra_columns",
    "period_start",
    "period_end",
    "report_months",
    "nothing_to_report",
    "validation_result",
]


def insert_upload(con: duckdb.DuckDBPyConnection, record: UploadRecord) -> int:
    upload_id = con.sql("SELECT nextval('raw.upload_id_seq')").fetchall()[0][0]
    values = [getattr(record, name) for name in _UPLOAD_COLUMNS]
    values[-1] = (
        json.dumps(record.validation_result, ensure_ascii=False) if record.validation_result else None
    )
    placeholders = ", ".join("?" for _ in range(len(values) + 1))
    con.execute(
        f"INSERT INTO raw.uploads (upload_id, {', '.join(_UPLOAD_COLUMNS)}) VALUES ({placeholders})",
        [upload_id, *values],
    )
    return upload_id


def find_loaded(con: duckdb.DuckDBPyConnection, sha256: str, feed: str, unit_code: str) -> int | None:
    """The upload that already loaded these exact bytes for this feed and unit, if any."""
    rows = con.sql(
        "SELECT upload_id FROM raw.uploads WHERE sha256 = ? AND feed = ? AND unit_code = ? "
        # A nothing-to-report declaration is one month's: the same header-only bytes may declare another.
        "AND status = 'loaded' AND NOT coalesce(nothing_to_report, FALSE) ORDER BY upload_id LIMIT 1",
        params=[sha256, feed, unit_code],
    ).fetchall()
    return rows[0][0] if rows else None


def load_feed(
    con: duckdb.DuckDBPyConnection,
    contract: c.Contract,
    record: UploadRecord,
    accepted: pl.DataFrame,
    rejected: pl.DataFrame,
    *,
    fail_after_insert: bool = False,
) -> tuple[int, int]:
    """Load one file's accepted rows and rejected rows in one transaction; return (upload_id, corrected)."""
    table = f"core.{contract.name}"
    columns = ", ".join(contract.column_names)
    # Scanned by DuckDB, as Arrow once: each statement given the Polars frames would convert them again.
    incoming = accepted.select([*contract.column_names, LINE]).to_arrow()  # noqa: F841
    errors = rejected.to_arrow()  # noqa: F841
    join = " AND ".join(f"t.{k} = incoming.{k}" for k in contract.key)
    con.execute("BEGIN TRANSACTION")
    try:
        corrected = con.sql(f"SELECT count(*) FROM {table} AS t SEMI JOIN incoming ON {join}").fetchall()[0][
            0
        ]
        record.rows_corrected = corrected
        record.rows_new = accepted.height - corrected
        upload_id = insert_upload(con, record)
        if corrected:
            con.execute(
                f"INSERT INTO {table}_history SELECT t.*, ? AS superseded_by, ? AS superseded_at "
                f"FROM {table} AS t SEMI JOIN incoming ON {join}",
                [upload_id, record.received_at],
            )
            con.execute(f"DELETE FROM {table} AS t USING incoming WHERE {join}")
        con.execute(
            f"INSERT INTO {table} ({columns}, upload_id, source_line) "
            f"SELECT {columns}, ? AS upload_id, {LINE} FROM incoming",
            [upload_id],
        )
        if fail_after_insert:
            raise RuntimeError("simulated failure in the middle of a load")
        con.execute(
            "INSERT INTO raw.rejected_rows "
            'SELECT ? AS upload_id, line, "column", value, rule, message, suggestion FROM errors',
            [upload_id],
        )
        fault_point("loading")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    fault_point("commit")
    return upload_id, corrected


def load_reference(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    frame: pl.DataFrame,
    *,
    file_name: str,
    sha256: str,
    stored_path: str,
    created_at: dt.datetime,
    created_by: str | None = None,
    valid_from: dt.date | None = None,
) -> int:
    """Store a new version of the groups or units list, valid from a date; return its version number."""
    con.execute("BEGIN TRANSACTION")
    try:
        version = con.sql("SELECT nextval('ref.version_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO ref.versions (version, kind, created_at, file_name, sha256, stored_path, "
            "created_by, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                version,
                kind,
                created_at,
                file_name,
                sha256,
                stored_path,
                created_by,
                valid_from or created_at.date(),
            ],
        )
        rows = frame  # noqa: F841 (scanned by DuckDB)
        if kind == "groups":
            con.execute(
                "INSERT INTO ref.groups SELECT ?, group_code, group_name, households, population FROM rows",
                [version],
            )
        else:
            con.execute(
                "INSERT INTO ref.units SELECT ?, unit_code, unit_name, string_split(feeds, ';') FROM rows",
                [version],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return version


REFERENCE_CONTENT = {
    "groups": "SELECT group_code, group_name, households, population FROM ref.groups WHERE version = ?",
    "units": "SELECT unit_code, unit_name, list_sort(feeds) FROM ref.units WHERE version = ?",
}


def latest_reference_version(con: duckdb.DuckDBPyConnection, kind: str) -> int | None:
    """The last stored version of a list (whatever its valid_from), or None."""
    rows = con.sql("SELECT max(version) FROM ref.versions WHERE kind = ?", params=[kind]).fetchall()
    return rows[0][0]


def same_reference(con: duckdb.DuckDBPyConnection, kind: str, frame: pl.DataFrame) -> int | None:
    """The last stored version when `frame` has exactly its content (any row order), else None."""
    version = latest_reference_version(con, kind)
    if version is None:
        return None
    stored = sorted(con.sql(REFERENCE_CONTENT[kind], params=[version]).fetchall())
    if kind == "groups":
        rows = frame.select("group_code", "group_name", "households", "population").rows()
    else:
        rows = [
            (code, name, sorted((feeds or "").split(";")))
            for code, name, feeds in frame.select("unit_code", "unit_name", "feeds").rows()
        ]
        stored = [(code, name, list(feeds)) for code, name, feeds in stored]
    return version if sorted(rows) == stored else None


def read_reference(con: duckdb.DuckDBPyConnection) -> Reference:
    """The ward's current groups and units."""
    groups = {
        code: (name, households)
        for code, name, households in con.sql(
            "SELECT group_code, group_name, households FROM residential_groups"
        ).fetchall()
    }
    units = {
        code: (name, list(feeds))
        for code, name, feeds in con.sql("SELECT unit_code, unit_name, feeds FROM units").fetchall()
    }
    from warehouse.approvals import current_locks

    return Reference(groups, units, current_locks(con))
