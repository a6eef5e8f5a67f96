"""The warehouse's schema: versioned SQL migrations, feed tables derived from the contracts, views.

Layers: `raw` (uploads as received, rejected rows), `ref` (versioned reference
data), `core` (current version of every record with its lineage, and the
superseded versions in `<feed>_history`), and the analysts' views in `main`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from kernel import contracts as c
from warehouse import ward_identity
from warehouse.comments import COMMENTS, read_model

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"

LINEAGE_COLUMNS = (
    ("upload_id", "BIGINT", "Mã lần gửi chứa bản ghi", "Upload the record came from"),
    ("source_line", "BIGINT", "Số dòng trong tệp gốc (tiêu đề là 1)", "Line in the original file"),
)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def feed_table_ddl(contract: c.Contract) -> list[str]:
    """DDL of a feed's core table and its history table, from the contract."""
    cols = [f"{col.name} {col.sql_type}" for col in contract.columns]
    cols += [f"{name} {sql_type}" for name, sql_type, _, _ in LINEAGE_COLUMNS]
    return [
        f"CREATE TABLE IF NOT EXISTS core.{contract.name} ({', '.join(cols)})",
        f"CREATE TABLE IF NOT EXISTS core.{contract.name}_history ("
        f"{', '.join(cols)}, superseded_by BIGINT, superseded_at TIMESTAMP)",
    ]


def feed_view_sql(contract: c.Contract) -> list[str]:
    """The analysts' view of a feed, with Vietnamese/English comments from the contract."""
    names = [col.name for col in contract.columns] + [n for n, *_ in LINEAGE_COLUMNS]
    statements = [
        f"CREATE OR REPLACE VIEW {contract.name} AS SELECT {', '.join(names)} FROM core.{contract.name}",
        f"COMMENT ON VIEW {contract.name} IS "
        + _sql_literal(
            f"{contract.label_vi}: {contract.description_vi} (bản hiện hành của mỗi bản ghi) / "
            f"{contract.label_en}: {contract.description_en} (current version of every record)"
        ),
    ]
    for col in contract.columns:
        text = f"{col.label_vi}: {col.description_vi} / {col.label_en}"
        if col.choices:
            text += " — " + "; ".join(f"{ch.code} = {ch.label_vi}" for ch in col.choices)
        statements.append(f"COMMENT ON COLUMN {contract.name}.{col.name} IS {_sql_literal(text)}")
    for name, _, vi, en in LINEAGE_COLUMNS:
        statements.append(f"COMMENT ON COLUMN {contract.name}.{name} IS {_sql_literal(f'{vi} / {en}')}")
    return statements


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a warehouse to the current schema; safe to run at every start."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    fingerprint = _fingerprint()
    con.execute("CREATE TABLE IF NOT EXISTS schema_fingerprint (fingerprint VARCHAR)")
    if con.sql("SELECT fingerprint FROM schema_fingerprint").fetchall() == [(fingerprint,)]:
        return  # nothing changed since the last start: skip rebuilding tables' columns and views
    applied = {row[0] for row in con.sql("SELECT name FROM schema_migrations").fetchall()}
    for path in sorted(MIGRATIONS.glob("*.sql")):
        if path.name in applied:
            continue
        con.execute(path.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)", [path.name])
    for contract in c.FEEDS.values():
        for statement in feed_table_ddl(contract):
            con.execute(statement)
        _add_new_columns(con, contract)
    refresh_views(con)
    con.execute("DELETE FROM schema_fingerprint")
    con.execute("INSERT INTO schema_fingerprint VALUES (?)", [fingerprint])


def _fingerprint() -> str:
    """Changes whenever a migration, a view or a feed contract changes."""
    digest = hashlib.sha256()
    for path in sorted([*MIGRATIONS.glob("*.sql"), *VIEWS.glob("*.sql")]):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(COMMENTS.read_bytes())
    digest.update(repr(sorted(c.FEEDS.items())).encode())
    return digest.hexdigest()


def _add_new_columns(con: duckdb.DuckDBPyConnection, contract: c.Contract) -> None:
    """A contract that gained optional columns: add them to existing tables."""
    for table in (contract.name, f"{contract.name}_history"):
        existing = {
            row[0]
            for row in con.sql(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'core' AND table_name = ?",
                params=[table],
            ).fetchall()
        }
        for col in contract.columns:
            if col.name not in existing:
                con.execute(f"ALTER TABLE core.{table} ADD COLUMN {col.name} {col.sql_type}")


def refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    for contract in c.FEEDS.values():
        for statement in feed_view_sql(contract):
            con.execute(statement)
    for path in sorted(VIEWS.glob("*.sql")):
        con.execute(read_model(path))
    if ward_identity.settings_code(con):  # a built ward: its views keep their ward_code
        ward_identity.stamp_views(con)
