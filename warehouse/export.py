"""Every analyst-facing view and mart written as Parquet, for the tools analysts already use."""

from __future__ import annotations

from pathlib import Path

from warehouse.dictionary import catalogue
from warehouse.store import Warehouse


def export_parquet(warehouse: Warehouse, output: Path, progress=lambda name: None) -> list[Path]:
    """One Parquet file per view (main) and mart table (marts.*), read from the published snapshot."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    written = []
    with warehouse.reading() as con:
        objects = catalogue(con).select("schema_name", "name").unique(maintain_order=True).iter_rows()
        for schema, name in objects:
            progress(name)
            qualified = f'"{schema}"."{name}"'
            target = output / (name if schema == "main" else f"{schema}.{name}")
            target = target.with_suffix(".parquet") if schema == "main" else Path(f"{target}.parquet")
            con.sql(f"SELECT * FROM {qualified}").pl().write_parquet(target)
            written.append(target)
    return written
