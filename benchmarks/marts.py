"""Benchmark: refreshing the marts after one more file, and the evaluation queries, at 100× the demo ward.

Not a test: it prints timings, each beside a plain `SELECT count(*)` over the
same facts in the same run, so a slow machine shows as slow everywhere.

    .venv/bin/python benchmarks/marts.py [--scale 100] [--home DIR] [--keep]

Setting up a warehouse of 100× the demo ward through the upload path would
validate some 450.000 rows with Great Expectations file by file (the upload
benchmark, benchmarks/ingest_1m.py, measures that path). So this benchmark
puts the bulk of the facts straight into `core` and `raw.uploads` with its
own vectorised generator, shaped like the demo ward (40 groups, May to
November 2026, per month and feed about as many rows as pipelines/demo/
makes, times --scale); then it loads ONE more file through
`pipelines.ingest.ingest` — the real path, corrections included — and times
the marts refresh inside that load, then the evaluation queries on the
published read-only snapshot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pipelines.ingest as ingest_module
from kernel import contracts as c
from pipelines.ingest import ingest, init_ward
from services.cli.common import Parser  # argparse in Vietnamese (headings, errors)
from warehouse import evaluation as ev
from warehouse import refresh as refresh_module
from warehouse.store import Warehouse

START, TODAY = dt.date(2026, 5, 1), dt.date(2026, 11, 29)
N_GROUPS = 40
# Rows per feed in the demo ward from May to 29 November 2026 (pipelines/demo/, seed 2026).
DEMO_ROWS = {"violations": 1861, "cleanups": 949, "sorting_inspections": 730, "lighting_repairs": 939}
UNITS = {
    "CAP": ("Công an phường Lê Chân", ["violations"]),
    "KTHT": ("Phòng Kinh tế, Hạ tầng và Đô thị", ["violations"]),
    "VHXH": ("Phòng Văn hóa và Xã hội", ["violations"]),
    "BQLDA": ("Ban Quản lý dự án Lê Chân", ["violations", "sorting_inspections"]),
    "MTDT": (
        "Công ty TNHH MTV Môi trường đô thị Hải Phòng",
        ["violations", "cleanups", "sorting_inspections"],
    ),
    "TTBT": ("Trung tâm quản lý, bảo trì các công trình", ["lighting_repairs"]),
    "DLLC": ("Điện lực Lê Chân", ["lighting_repairs"]),
    "MTTQ": ("Ủy ban MTTQ và Đoàn Thanh niên phường", ["cleanups"]),
}


def reference_files(rng: np.random.Generator) -> tuple[bytes, bytes]:
    households = rng.integers(150, 601, N_GROUPS)
    groups = pl.DataFrame(
        {
            "group_code": [f"TDP{i + 1:02d}" for i in range(N_GROUPS)],
            "group_name": [f"Tổ dân phố số {i + 1}" for i in range(N_GROUPS)],
            "households": households,
            "population": (households * rng.uniform(3.2, 3.9, N_GROUPS)).astype(int),
        }
    )
    units = pl.DataFrame(
        {
            "unit_code": list(UNITS),
            "unit_name": [name for name, _ in UNITS.values()],
            "feeds": [";".join(feeds) for _, feeds in UNITS.values()],
        }
    )
    return groups.write_csv().encode(), units.write_csv().encode()


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.datetime64(START) + rng.integers(0, (TODAY - START).days, n).astype("timedelta64[D]")


def _units_for(feed: str) -> list[str]:
    return [code for code, (_, feeds) in UNITS.items() if feed in feeds]


def generate(rng: np.random.Generator, groups: pl.DataFrame, scale: int) -> dict[str, pl.DataFrame]:
    """Facts shaped like the demo ward's, `scale` times as many."""
    codes = groups["group_code"].to_numpy()
    households = dict(zip(groups["group_code"], groups["households"], strict=True))
    out = {}
    n = DEMO_ROWS["violations"] * scale
    detected = _dates(rng, n)
    resolved_after = rng.integers(0, 15, n).astype("timedelta64[D]")
    resolved = np.where(rng.random(n) < 0.75, detected + resolved_after, np.datetime64("NaT"))
    resolved = np.where(resolved > np.datetime64(TODAY), np.datetime64("NaT"), resolved)
    action = rng.choice(["reminder", "record", "fine"], n, p=[0.5, 0.3, 0.2])
    group = rng.choice(codes, n)
    out["violations"] = pl.DataFrame(
        {
            "record_id": [f"B-{i:07d}" for i in range(n)],
            "unit_code": rng.choice(_units_for("violations"), n),
            "detected_on": detected,
            "group_code": group,
            "category": rng.choice([ch.code for ch in c.VIOLATIONS.column("category").choices], n),
            "action": action,
            "fine_vnd": rng.integers(1, 40, n) * 100_000,
            "resolved_on": resolved,
            "address": [f"Số {k} phố {g}" for k, g in zip(rng.integers(1, 300, n), group, strict=True)],
            "note": pl.Series([None] * n, dtype=pl.String),
        }
    ).with_columns(
        pl.col("detected_on", "resolved_on").cast(pl.Date),
        pl.when(pl.col("action") == "fine").then(pl.col("fine_vnd")).alias("fine_vnd"),
    )
    n = DEMO_ROWS["cleanups"] * scale
    held = _dates(rng, n)
    out["cleanups"] = pl.DataFrame(
        {
            "event_id": [f"B-{i:07d}" for i in range(n)],
            "unit_code": rng.choice(_units_for("cleanups"), n),
            "held_on": held,
            "group_code": rng.choice(codes, n),
            "kind": rng.choice([ch.code for ch in c.CLEANUPS.column("kind").choices], n),
            "participants": rng.integers(5, 80, n),
            "waste_kg": np.where(rng.random(n) < 0.6, rng.uniform(5, 300, n).round(1), np.nan),
            "trees_planted": pl.Series([None] * n, dtype=pl.Int64),
            "location": pl.Series([None] * n, dtype=pl.String),
        }
    ).with_columns(pl.col("held_on").cast(pl.Date), pl.col("waste_kg").fill_nan(None))
    n = DEMO_ROWS["sorting_inspections"] * scale
    group = rng.choice(codes, n)
    cap = np.array([min(60, households[g]) for g in group])
    checked = rng.integers(10, cap + 1)
    out["sorting_inspections"] = pl.DataFrame(
        {
            "inspection_id": [f"B-{i:07d}" for i in range(n)],
            "unit_code": rng.choice(_units_for("sorting_inspections"), n),
            "inspected_on": _dates(rng, n),
            "group_code": group,
            "households_checked": checked,
            "households_compliant": (checked * rng.uniform(0.4, 1.0, n)).astype(int),
            "note": pl.Series([None] * n, dtype=pl.String),
        }
    ).with_columns(pl.col("inspected_on").cast(pl.Date))
    n = DEMO_ROWS["lighting_repairs"] * scale
    reported = _dates(rng, n)
    status = rng.choice(["repaired", "open", "cancelled"], n, p=[0.85, 0.1, 0.05])
    repaired = reported + rng.integers(0, 12, n).astype("timedelta64[D]")
    repaired = np.minimum(repaired, np.datetime64(TODAY))
    out["lighting_repairs"] = pl.DataFrame(
        {
            "ticket_id": [f"B-{i:07d}" for i in range(n)],
            "unit_code": rng.choice(_units_for("lighting_repairs"), n),
            "group_code": rng.choice(codes, n),
            "street": pl.Series([None] * n, dtype=pl.String),
            "lamp_id": pl.Series([None] * n, dtype=pl.String),
            "reported_on": reported,
            "repaired_on": np.where(status == "repaired", repaired, np.datetime64("NaT")),
            "cause": rng.choice([ch.code for ch in c.LIGHTING_REPAIRS.column("cause").choices], n),
            "status": status,
        }
    ).with_columns(pl.col("reported_on", "repaired_on").cast(pl.Date))
    return out


def bulk_load(warehouse: Warehouse, facts: dict[str, pl.DataFrame]) -> None:
    """Put the facts into core with one raw.uploads row per unit, feed and month (set-up only)."""
    with warehouse.writing() as con:
        next_id = con.sql("SELECT coalesce(max(upload_id), 0) + 1 FROM raw.uploads").fetchall()[0][0]
        for feed, frame in facts.items():
            contract = c.FEEDS[feed]
            date_col = contract.date_column
            frame = frame.with_columns(pl.col(date_col).dt.truncate("1mo").alias("_month"))
            files = frame.select("unit_code", "_month").unique().sort("unit_code", "_month")
            files = files.with_columns(
                (pl.int_range(pl.len()) + next_id).alias("upload_id"),
                (pl.col("_month").dt.month_end().cast(pl.Datetime) + pl.duration(days=3, hours=9)).alias(
                    "received_at"
                ),
            )
            next_id += files.height
            uploads = files.select(  # noqa: F841 (scanned by DuckDB)
                "upload_id",
                pl.lit(feed).alias("feed"),
                "unit_code",
                pl.format("{}_{}.csv", pl.col("unit_code"), pl.col("_month")).alias("file_name"),
                pl.lit("0" * 64).alias("sha256"),
                pl.lit(0).alias("size_bytes"),
                pl.lit("files/benchmark").alias("stored_path"),
                "received_at",
                pl.lit("loaded").alias("status"),
                pl.col("_month").alias("period_start"),
                pl.col("_month").dt.month_end().alias("period_end"),
            )
            con.execute("INSERT INTO raw.uploads BY NAME SELECT * FROM uploads")
            rows = frame.join(files.select("unit_code", "_month", "upload_id"), on=["unit_code", "_month"])
            rows = rows.with_columns(pl.int_range(pl.len()).alias("source_line") + 2)
            columns = ", ".join(contract.column_names)
            con.execute(
                f"INSERT INTO core.{feed} ({columns}, upload_id, source_line) "
                f"SELECT {columns}, upload_id, source_line FROM rows"
            )
        con.execute("CHECKPOINT")


def send_one_more(warehouse: Warehouse, data: bytes):
    """Load CAP's November file (one_more_file) the way CAP sends it: (the result, seconds it took)."""
    start = time.perf_counter()
    sent_by = {"feed": "violations", "unit_code": "CAP", "file_name": "CAP_2026-11.csv"}
    result = ingest(warehouse, data, **sent_by, today=TODAY)
    return result, time.perf_counter() - start


def one_more_file(rng: np.random.Generator, facts: dict[str, pl.DataFrame], rows: int) -> bytes:
    """CAP's November file: new violations plus corrections of a few it sent before."""
    previous = facts["violations"].filter(
        (pl.col("unit_code") == "CAP") & (pl.col("detected_on") >= dt.date(2026, 11, 1))
    )
    corrections = previous.head(rows // 10).with_columns(pl.col("detected_on").alias("resolved_on"))
    days = (
        np.datetime64("2026-11-01") + rng.integers(0, 28, rows - corrections.height).astype("timedelta64[D]")
    ).astype("datetime64[D]")
    new = corrections.head(0).vstack(
        pl.DataFrame(
            {
                "record_id": [f"N-{i:06d}" for i in range(rows - corrections.height)],
                "unit_code": "CAP",
                "detected_on": pl.Series(days).cast(pl.Date),
                "group_code": rng.choice(facts["violations"]["group_code"].unique().to_numpy(), len(days)),
                "category": "sidewalk_encroachment",
                "action": "reminder",
                "fine_vnd": None,
                "resolved_on": None,
                "address": "Số 1 Tô Hiệu",
                "note": None,
            },
            schema=corrections.schema,
        )
    )
    return pl.concat([corrections, new]).write_csv(date_format="%d/%m/%Y").encode("utf-8")


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of `fn` over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1000, help="rows in the one more file")
    parser.add_argument("--home", help="warehouse folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the warehouse folder")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="dothixanh-bench-")) / "home"
    if home.exists():
        shutil.rmtree(home)
    rng = np.random.default_rng(2026)
    warehouse = Warehouse(home)
    groups_csv, units_csv = reference_files(rng)
    (home.parent).mkdir(parents=True, exist_ok=True)
    print(f"Kho thử: {home} (gấp {args.scale} lần phường mẫu)")
    start = time.perf_counter()
    init_ward(warehouse, (groups_csv, "groups.csv"), (units_csv, "units.csv"))
    groups = pl.read_csv(groups_csv)
    facts = generate(rng, groups, args.scale)
    bulk_load(warehouse, facts)
    total_rows = sum(f.height for f in facts.values())
    print(f"Dựng kho: {total_rows:,} bản ghi trong {time.perf_counter() - start:.1f} s".replace(",", "."))

    with warehouse.writing() as con:
        full = timed(lambda: refresh_module.refresh_marts(con, home, today=TODAY), repeat=3)

    # One more file through the real upload path; time the refresh it triggers.
    refresh_times: list[float] = []
    original = ingest_module.refresh_marts

    def timed_refresh(*a, **kw):
        t0 = time.perf_counter()
        original(*a, **kw)
        refresh_times.append(time.perf_counter() - t0)

    ingest_module.refresh_marts = timed_refresh
    try:
        result, load_total = send_one_more(warehouse, one_more_file(rng, facts, args.rows))
    finally:
        ingest_module.refresh_marts = original
    assert result.status == "loaded", result.to_json()

    with warehouse.reading() as con:
        facts_sql = " UNION ALL ".join(
            f"SELECT {c.FEEDS[f].date_column} AS day FROM core.{f}" for f in c.FEEDS
        )
        baseline = timed(lambda: con.sql(f"SELECT count(*) FROM ({facts_sql})").fetchall())
        evaluations = ev.evaluation_names(con)
        league = timed(lambda: [ev.league_json(con, name) for name in evaluations])
        values = timed(
            lambda: con.sql(
                "SELECT * FROM indicator_values WHERE period_key = 'conference-2026' ORDER BY indicator_order"
            ).pl()
        )
        changes = timed(lambda: con.sql("SELECT * FROM evaluation_changes").pl())
        n_values = con.sql("SELECT count(*) FROM marts.indicator_values").fetchall()[0][0]

    print(
        f"Tệp thêm: {result.rows_accepted} dòng ({result.rows_new} mới, {result.rows_corrected} đính chính), "
        f"nạp cả tệp {load_total:.2f} s"
    )
    print(f"marts.indicator_values: {n_values:,} dòng".replace(",", "."))
    print()
    print(f"{'phép đo':<66} {'giây':>8} {'× count(*)':>11}")
    rows = [
        ("SELECT count(*) trên 4 bảng core (mốc so sánh)", baseline),
        ("làm mới toàn bộ marts (refresh_marts)", full),
        ("làm mới marts sau khi nạp thêm một tệp (trong lần nạp)", refresh_times[0]),
        (f"bảng xếp hạng + điểm thành phần, {len(evaluations)} kỳ đánh giá", league),
        ("giá trị mọi chỉ tiêu của một kỳ đánh giá", values),
        ("thay đổi kể từ khi chốt (evaluation_changes)", changes),
    ]
    for label, seconds in rows:
        print(f"{label:<66} {seconds:>8.3f} {seconds / baseline:>10.0f}×")
    if not args.keep and not args.home:
        shutil.rmtree(home.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
