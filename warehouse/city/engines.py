"""The two engines that run the city's mart SQL: DuckDB (one machine) and Apache Spark (local or a cluster).

The SQL in warehouse/city/sql/ is written in the subset both run. The one thing they spell
differently is an ordered string aggregate; the SQL writes it `ordered_concat(value, 'sep', key)`
(plain column names as arguments) and `dialect()` turns it into each engine's form. Everything
else an engine does here is reading Parquet into a named view and writing a result as Parquet.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

_ORDERED_CONCAT = re.compile(r"ordered_concat\(\s*(\w+)\s*,\s*('(?:[^']|'')*')\s*,\s*(\w+)\s*\)")
_FORMS = {
    "duckdb": r"string_agg(\1, \2 ORDER BY \3)",
    "spark": r"listagg(\1, \2) WITHIN GROUP (ORDER BY \3)",
}


def dialect(sql: str, engine: str) -> str:
    """The city SQL in one engine's spelling (the only difference: the ordered string aggregate)."""
    return _ORDERED_CONCAT.sub(_FORMS[engine], sql)


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None):
        self.con = duckdb.connect()
        if threads:
            self.con.sql(f"SET threads = {int(threads)}")

    def register(self, view: str, files: list[str]) -> None:
        paths = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        self.con.sql(
            f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM read_parquet([{paths}], union_by_name = true)"
        )

    def run(self, view: str, sql: str, out: Path) -> int:
        """Build one mart, write it to `out/part-0.parquet`, and keep it as a view for the next ones."""
        self.con.sql(f"CREATE OR REPLACE TABLE {view}__built AS {dialect(sql, self.name)}")
        out.mkdir(parents=True, exist_ok=True)
        self.con.sql(f"SELECT * FROM {view}__built ORDER BY ALL").write_parquet(str(out / "part-0.parquet"))
        self.con.sql(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {view}__built")
        return self.con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0]

    def close(self) -> None:
        self.con.close()


DEFAULT_MASTER = "local[2]"
MASTER_ENV = "DOTHIXANH_SPARK_MASTER"


def spark_master(master: str | None = None) -> str | None:
    """Where Spark runs: `--master`, else $DOTHIXANH_SPARK_MASTER, else spark-submit's, else local[2].

    None means "the master spark-submit was given" (the script runs under spark-submit, which
    starts the JVM first and sets PYSPARK_GATEWAY_PORT): the session must not override it.
    """
    if master:
        return master
    if os.environ.get(MASTER_ENV):
        return os.environ[MASTER_ENV]
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        return None
    return DEFAULT_MASTER


def spark_session(master: str | None = None):
    """A SparkSession for the city marts (no web UI or progress bars, UTC).

    On one machine (local[N]) also: loopback address, 2 shuffle partitions, 2 GB driver. On a
    cluster (spark://…, k8s://…, yarn, or spark-submit's own --master) Spark's defaults and the
    --conf of spark-submit apply (adaptive execution sizes the shuffles).
    """
    import warnings

    master = spark_master(master)
    with warnings.catch_warnings():  # pyspark 4.3 warns that it does not yet know pandas 3 (unused here)
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName("dothixanh-city")
        if master is not None:
            builder = builder.master(master)
        if master is not None and master.startswith("local"):  # no lookup of the host's address
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = (
                builder.config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.memory", "2g")
            )
        spark = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine:
    name = "spark"

    def __init__(self, spark=None, master: str | None = None):
        self.own = spark is None
        self.spark = spark or spark_session(master)

    def register(self, view: str, files: list[str]) -> None:
        self.spark.read.option("mergeSchema", "true").parquet(*files).createOrReplaceTempView(view)

    def run(self, view: str, sql: str, out: Path) -> int:
        """Build one mart, write it under `out/`, and read it back as the view the next marts use."""
        if out.exists():
            shutil.rmtree(out)
        self.spark.sql(dialect(sql, self.name)).coalesce(1).write.mode("overwrite").parquet(str(out))
        self.spark.read.parquet(str(out)).createOrReplaceTempView(view)
        # Rows from the files' footers: no Spark job just to count.
        return sum(pq.ParquetFile(part).metadata.num_rows for part in sorted(out.glob("*.parquet")))

    def close(self) -> None:
        if self.own:
            self.spark.stop()


def make_engine(name: str, **kwargs):
    if name == "duckdb":
        return DuckDBEngine(**kwargs)
    if name == "spark":
        return SparkEngine(**kwargs)
    raise ValueError(name)
