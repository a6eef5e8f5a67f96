"""A synthetic city: one ward's published partitions copied under N ward codes; `city refresh` timed on both engines.

    python benchmarks/city.py --source data-city/store [--wards 114] [--engines duckdb,spark]

The source is a city store holding at least one ward (`make city-demo` makes one). Its first
ward's current version is copied under the first N official codes of Hải Phòng's commune-level
units (vietnam-provinces, if installed; else 90001, 90002, …), with `ward_code` and the qualified
keys rewritten, each through the same switch as `city publish`. Each engine then refreshes the
city in its own process; the figures are wall time and the peak resident memory of that process
and its children (Spark's JVM included), sampled from /proc. Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.city.publish import PART, QUALIFIED, current_wards, write_ward


def ward_codes(n: int) -> list[str]:
    try:
        import vietnam_provinces as vp

        divisions = json.loads(Path(vp.FLAT_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
        codes = sorted(str(d["code"]) for d in divisions if d["province_codename"] == "hai_phong")
    except ImportError:
        codes = []
    codes += [str(90000 + i) for i in range(1, n + 1)]
    return codes[:n]


def copy_ward(version: Path, store: Path, code: str, name: str) -> None:
    con = duckdb.connect()

    def write(folder: Path) -> dict[str, int]:
        rows = {}
        for table_dir in sorted(p for p in version.iterdir() if p.is_dir()):
            source = str(table_dir / PART)
            columns = con.sql("SELECT * FROM read_parquet(?) LIMIT 0", params=[source]).columns
            replace = ["CAST(? AS VARCHAR) AS ward_code"]
            params = [code]
            for column, key in QUALIFIED.items():
                if key in columns:
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
            rows[table_dir.name] = 1
        return rows

    write_ward(store, code, write)
    con.close()


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def time_refresh(store: Path, engine: str) -> tuple[float, float, str]:
    out = Path(tempfile.mkdtemp(prefix=f"city-{engine}-"))
    command = [sys.executable, "-m", "services.cli", "city", "refresh", "--store", str(store)]
    command += ["--engine", engine, "--output", str(out)]
    started = time.perf_counter()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    output = process.stdout.read()
    shutil.rmtree(out, ignore_errors=True)
    if process.returncode:
        raise SystemExit(f"{engine} failed:\n{output}")
    return elapsed, peak / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", required=True, type=Path, help="a city store with at least one ward")
    parser.add_argument("--wards", type=int, default=114)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument(
        "--store", type=Path, help="where to build the synthetic city (default: a temp folder)"
    )
    args = parser.parse_args()
    source = current_wards(args.source)
    if not source:
        raise SystemExit(f"{args.source}: no ward published (make city-demo)")
    version = source[sorted(source)[0]]
    store = args.store or Path(tempfile.mkdtemp(prefix="city-store-"))
    started = time.perf_counter()
    for i, code in enumerate(ward_codes(args.wards), start=1):
        copy_ward(version, store, code, f"Phường tổng hợp {i}")
    rows = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{store}/indicator_values/*/*.parquet')"
    ).fetchall()[0][0]
    print(
        f"synthetic city: {args.wards} wards, {rows:,} indicator_values rows, built in "
        f"{time.perf_counter() - started:.1f} s ({store})"
    )
    for engine in args.engines.split(","):
        elapsed, peak_mb, _ = time_refresh(store, engine)
        print(
            f"city refresh --engine {engine:6s}: {elapsed:6.1f} s wall (process start included), "
            f"peak RSS {peak_mb:,.0f} MB"
        )
    if not args.store:
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
