"""A synthetic city for measuring: a few published wards copied under many ward codes.

Building 114 demo wards of five years each would take hours; a city's marts only need each
ward's published tables. So K distinct wards (built and published for real) are copied round
robin under N official codes: every copy gets its own `ward_code`, qualified keys and name, and is
written into the store through the same switch as `city publish` (`write_ward`). The copies are
synthetic data, and say so in their name («Phường tổng hợp …»).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse.city.publish import PART, QUALIFIED, current_wards, write_ward

SYNTHETIC_NAME = "Phường tổng hợp {n} (bản sao của {source})"


def ward_codes(n: int) -> list[str]:
    """The first `n` codes of Hải Phòng's commune-level units (vietnam-provinces), then 90001, 90002, …"""
    try:
        import vietnam_provinces as vp

        divisions = json.loads(Path(vp.FLAT_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
        codes = sorted(str(d["code"]) for d in divisions if d["province_codename"] == "hai_phong")
    except ImportError:
        codes = []
    codes += [str(90000 + i) for i in range(1, n + 1) if str(90000 + i) not in codes]
    return codes[:n]


def copy_ward(version: Path, store: Path, code: str, name: str) -> dict[str, int]:
    """Copy one ward's published version into `store` as ward `code`; rows written per table."""
    con = duckdb.connect()
    con.sql("SET threads = 1")

    def write(folder: Path) -> dict[str, int]:
        rows = {}
        for table_dir in sorted(p for p in version.iterdir() if p.is_dir()):
            source = str(table_dir / PART)
            columns = con.sql("SELECT * FROM read_parquet(?) LIMIT 0", params=[source]).columns
            replace = ["CAST(? AS VARCHAR) AS ward_code"]
            params = [code]
            for column, key in QUALIFIED.items():
                if key in columns and column in columns:
                    replace.append(
                        f"CASE WHEN {column} IS NULL THEN NULL ELSE ? || ':' || {column} END AS {key}"
                    )
                    params.append(code)
            if table_dir.name == "wards":
                replace.append("CAST(? AS VARCHAR) AS ward_name")
                params.append(name)
            out = folder / table_dir.name / PART
            out.parent.mkdir(parents=True)
            con.sql(
                f"SELECT * REPLACE ({', '.join(replace)}) FROM read_parquet(?)", params=[*params, source]
            ).write_parquet(str(out))
            rows[table_dir.name] = con.sql(
                "SELECT count(*) FROM read_parquet(?)", params=[str(out)]
            ).fetchall()[0][0]
        return rows

    try:
        return write_ward(Path(store), code, write)[2]
    finally:
        con.close()


def copy_city(
    source: Path, store: Path, n: int, progress: Callable[[int, int, str], None] | None = None
) -> dict[str, str]:
    """Copy the wards of the `source` store round robin under the first `n` codes into `store`.

    Returns {new code: the source ward's code it copies}.
    """
    wards = current_wards(Path(source))
    if not wards:
        raise ValueError(f"{source}: chưa có phường nào được công bố")
    sources = sorted(wards)
    copies = {}
    for i, code in enumerate(ward_codes(n), start=1):
        origin = sources[(i - 1) % len(sources)]
        copy_ward(wards[origin], store, code, SYNTHETIC_NAME.format(n=i, source=origin))
        copies[code] = origin
        if progress:
            progress(i, n, code)
    return copies


def table_rows(store: Path) -> dict[str, int]:
    """Rows of every table of the store, summed over its current wards."""
    wards = current_wards(Path(store))
    tables = sorted({p.name for v in wards.values() for p in v.iterdir() if p.is_dir()})
    con = duckdb.connect()
    try:
        out = {}
        for table in tables:
            files = [str(v / table / PART) for v in wards.values() if (v / table / PART).exists()]
            out[table] = con.sql("SELECT count(*) FROM read_parquet(?)", params=[files]).fetchall()[0][0]
        return out
    finally:
        con.close()
