"""The city view's query layer: named SQL (warehouse/city/queries/*.sql) over the city's Parquet marts
(the `city refresh` output) and the wards' published marts and lists in the city store.

A query names the tables it reads as list parameters (`read_parquet($league)`): the files are bound,
never pasted into the SQL, like every other parameter. A ward's own tables (`$ward_values`,
`$ward_league`) are that one ward's files only. The store's record tables (violations, clean-ups…)
are never read here: the city sees marts and lists, not a ward's raw records.
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

import duckdb
import polars as pl

from warehouse.city.publish import PART, current_wards

QUERIES = Path(__file__).resolve().parent / "queries"
# Parameter → the city mart (a folder of the refresh output) it names.
MARTS = {
    "values": "city_indicator_values",
    "completeness": "city_reporting_completeness",
    "indicators": "city_indicators",
    "league": "city_league_table",
    "components": "city_league_components",
    "wards": "city_wards",
}
# Parameter → the store table, of every ward.
STORE = {"periods": "periods", "ward_indicators": "indicators"}
# Parameter → the store table, of the one ward named by `ward=`.
WARD = {"ward_values": "indicator_values", "ward_league": "league_table"}
_PARAM = re.compile(r"\$(\w+)")


class CityViewMissing(Exception):
    """The city's marts or store are not there; the message says what to run, in Vietnamese."""


@functools.cache
def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


class CityView:
    """Read-only queries on one city: `city` = the refresh output, `store` = the city store."""

    def __init__(self, city: Path | str, store: Path | str):
        self.city, self.store = Path(city), Path(store)
        self._con = duckdb.connect()
        self._lock = threading.Lock()

    def version(self) -> str:
        """Changes when the marts are refreshed or a ward publishes again (the pages' cache key)."""
        parts = []
        for mart in MARTS.values():
            files = sorted((self.city / mart).glob("*.parquet"))
            parts += [f"{p}:{p.stat().st_mtime_ns}" for p in files]
        parts += [f"{code}:{path.name}" for code, path in current_wards(self.store).items()]
        return "|".join(parts)

    def check(self) -> None:
        """Raise CityViewMissing unless the marts and at least one ward are there."""
        missing = [m for m in MARTS.values() if not list((self.city / m).glob("*.parquet"))]
        if missing:
            raise CityViewMissing(
                f"Thư mục {self.city} chưa có số liệu của thành phố: chạy "
                f"'dothixanh city refresh --store {self.store} --output {self.city}'."
            )
        if not current_wards(self.store):
            raise CityViewMissing(f"Kho chung {self.store} chưa có phường nào.")

    def _files(self, param: str, ward: str | None) -> list[str]:
        if param in MARTS:
            return [str(p) for p in sorted((self.city / MARTS[param]).glob("*.parquet"))]
        wards = current_wards(self.store)
        if param in STORE:
            return [
                str(v / STORE[param] / PART)
                for _, v in sorted(wards.items())
                if (v / STORE[param] / PART).exists()
            ]
        if param in WARD:
            if ward not in wards:
                return []
            path = wards[ward] / WARD[param] / PART
            return [str(path)] if path.exists() else []
        raise KeyError(param)

    def query(self, name: str, **params) -> pl.DataFrame:
        """The rows of warehouse/city/queries/NAME.sql, tables and values bound as parameters."""
        text = sql(name)
        bound = {}
        for param in dict.fromkeys(_PARAM.findall(text)):
            if param in MARTS or param in STORE or param in WARD:
                files = self._files(param, params.get("ward"))
                if not files:
                    return pl.DataFrame()
                bound[param] = files
            else:
                bound[param] = params[param]
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.sql(text, params=bound).pl()
        finally:
            cursor.close()
