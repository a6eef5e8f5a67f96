"""`dothixanh city refresh`: the city's marts from the city store, on DuckDB or on Spark, as Parquet.

The statements are warehouse/city/sql/NN_<mart>.sql, run in order, each one SELECT that reads
the views named in its header (the wards' tables from the store, the city's settings, the marts
built before it), with the parts it shares with the ward's marts (warehouse/sql_parts.py). Both engines
run the same text (see engines.dialect for the one difference).
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.city.engines import make_engine
from warehouse.city.publish import current_wards, table_files
from warehouse.sql_parts import expand

SQL_DIR = Path(__file__).parent / "sql"
# View the SQL reads → table of the store.
INPUTS = {
    "wards": "wards",
    "ward_indicators": "indicators",
    "ward_indicator_values": "indicator_values",
    "ward_reporting_completeness": "reporting_completeness",
    "ward_periods": "periods",
}


class CityError(Exception):
    """The city marts cannot be built; the message says why, in Vietnamese."""


@dataclass
class Refreshed:
    engine: str
    wards: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def statements() -> list[tuple[str, str]]:
    """(mart name, SQL) of every city mart, in order."""
    out = []
    for path in sorted(SQL_DIR.glob("[0-9][0-9]_*.sql")):
        sql = expand(path.read_text(encoding="utf-8")).strip().rstrip(";")
        out.append((path.stem.split("_", 1)[1], sql))
    return out


def write_parameters(settings, folder: Path) -> dict[str, list[str]]:
    """The city's settings as small Parquet tables both engines read (same definitions for every ward)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "city_settings": pa.table(
            {
                "min_weight_share": pa.array([float(settings.min_weight_share)], pa.float64()),
                "rank_requires_all_weighted": pa.array([bool(settings.rank_requires_all_weighted)]),
                "rank_requires_reports": pa.array([settings.rank_requires_reports]),
            }
        ),
        "city_weights": pa.table(
            {
                "indicator_id": pa.array(list(settings.indicators), pa.string()),
                "direction": pa.array([s.direction for s in settings.indicators.values()], pa.string()),
                "weight": pa.array([float(s.weight) for s in settings.indicators.values()], pa.float64()),
                "min_sample": pa.array([int(s.min_sample) for s in settings.indicators.values()], pa.int64()),
            }
        ),
        "city_tiers": pa.table(
            {
                "min_score": pa.array([float(s) for s, _ in settings.tiers], pa.float64()),
                "label_vi": pa.array([label for _, label in settings.tiers], pa.string()),
            }
        ),
    }
    out = {}
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        out[name] = [str(path)]
    return out


def refresh_city(store: Path, out: Path, *, engine: str = "duckdb", settings=None, spark=None) -> Refreshed:
    """Build every city mart from the store's current wards and write them to `out/<mart>/`."""
    from warehouse.settings import default_settings

    started = time.perf_counter()
    store, out = Path(store), Path(out)
    wards = current_wards(store)
    if not wards:
        raise CityError(
            f"Kho chung {store} chưa có phường nào. Mỗi phường chạy 'dothixanh city publish --store {store}'."
        )
    inputs = {}
    for view, table in INPUTS.items():
        files = table_files(store, table, wards)
        if not files:
            raise CityError(
                f"Kho chung {store} thiếu bảng «{table}» của các phường: các phường cần công bố lại."
            )
        inputs[view] = files
    out.mkdir(parents=True, exist_ok=True)
    building = out / f".building-{uuid.uuid4().hex}"
    inputs.update(write_parameters(settings or default_settings(), building / "_parameters"))
    result = Refreshed(engine, sorted(wards))
    runner = make_engine(engine, **({"spark": spark} if engine == "spark" and spark is not None else {}))
    try:
        for view, files in inputs.items():
            runner.register(view, files)
        for mart, sql in statements():
            result.rows[mart] = runner.run(mart, sql, building / mart)
        for mart in result.rows:  # each mart replaced whole: a reader sees the old or the new one
            target = out / mart
            old = out / f".old-{mart}-{uuid.uuid4().hex}"
            if target.exists():
                target.rename(old)
            (building / mart).rename(target)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        runner.close()
        shutil.rmtree(building, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
