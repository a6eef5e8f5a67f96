"""The data dictionary: every view and mart, every column, type and meaning, from the warehouse's COMMENTs.

`docs/data-dictionary.md` is generated from a freshly built warehouse (test
fails when it is out of date); the dashboard's dictionary page reads the same
catalogue from the published snapshot.
"""

from __future__ import annotations

import duckdb
import polars as pl

from kernel import contracts as c

CATALOGUE = """
WITH objects AS (
    SELECT schema_name, view_name AS name, 'view' AS kind, comment FROM duckdb_views()
    WHERE NOT internal AND schema_name IN ('main', 'marts')
    UNION ALL
    SELECT schema_name, table_name, 'table', comment FROM duckdb_tables()
    WHERE schema_name = 'marts'
)
SELECT o.schema_name, o.name, o.kind, o.comment AS object_comment,
       col.column_name, col.data_type, col.comment AS column_comment, col.column_index
FROM objects AS o
JOIN duckdb_columns() AS col ON col.schema_name = o.schema_name AND col.table_name = o.name
ORDER BY o.schema_name, o.name, col.column_index
"""


def catalogue(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every analyst-facing view and mart table with its columns, types and comments."""
    return con.sql(CATALOGUE).pl()


def source_of(schema: str, view: str, column: str) -> str:
    """Where a column comes from: the feed column and rules for feed views, nothing otherwise."""
    return _source(view, column) if schema == "main" else ""


def _source(view: str, column: str) -> str:
    """The feed column (label, rule) a feed view's column comes from."""
    contract = c.FEEDS.get(view)
    if contract is None or column not in contract.column_names:
        return ""
    col = contract.column(column)
    rules = ["bắt buộc"] if col.required else []
    if col.choices:
        rules.append("danh mục: " + ", ".join(ch.code for ch in col.choices))
    if col.minimum is not None:
        rules.append(f"≥ {col.minimum:g}")
    rules += [r.kind for r in contract.rules if r.column == column]
    return f"{contract.label_vi} «{col.label_vi}»" + (f" ({'; '.join(rules)})" if rules else "")


def render(con: duckdb.DuckDBPyConnection) -> str:
    frame = catalogue(con)
    out = [
        "# Từ điển dữ liệu / Data dictionary",
        "",
        "<!-- Sinh tự động từ chú thích (COMMENT) trong kho dữ liệu: `dothixanh dictionary --write`. -->",
        "",
        "Các bảng xem (view) trong `main` và các bảng chỉ tiêu trong `marts`, mở bằng "
        "`dothixanh sql`, trang Truy vấn SQL, hoặc `duckdb -readonly data/snapshot.duckdb`.",
        "",
    ]
    for (schema, name), part in frame.group_by(["schema_name", "name"], maintain_order=True):
        first = part.row(0, named=True)
        qualified = name if schema == "main" else f"{schema}.{name}"
        out += [f"## `{qualified}` ({first['kind']})", "", first["object_comment"] or "", ""]
        out += ["| Cột | Kiểu | Ý nghĩa | Nguồn |", "|---|---|---|---|"]
        for row in part.iter_rows(named=True):
            meaning = (row["column_comment"] or "").replace("|", "\\|")
            source = _source(name, row["column_name"]) if schema == "main" else ""
            out.append(f"| `{row['column_name']}` | {row['data_type']} | {meaning} | {source} |")
        out.append("")
    return "\n".join(out)
