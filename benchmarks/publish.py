"""Benchmark: snapshot disk during the demo build, and what publishing costs at 100× the demo ward.

Not a test: it prints figures, each beside a baseline measured in the same run.

    .venv/bin/python benchmarks/publish.py [--scale 100] [--until 2026-11-29] [--skip-demo]

1. `dothixanh demo` into a temporary home, with snapshots/ sampled every 20 ms from this
   process: the peak and the final size against the master's size (the bound is 3×), and
   how many versions were published.
2. A warehouse of `--scale` × the demo ward (built as benchmarks/marts.py builds it): one
   publish (copy of the master, link moved, pruning) against a plain `shutil.copyfile` of
   the same file, and against a whole load of one more file through `ingest` (its marts
   refresh and publish included), to show what share of a load the full copy is.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from marts import TODAY, bulk_load, generate, one_more_file, reference_files, send_one_more, timed  # noqa: E402

from pipelines.ingest import init_ward  # noqa: E402
from warehouse import store  # noqa: E402
from warehouse.store import Warehouse  # noqa: E402

MB = 2**20


def folder_bytes(folder: Path) -> int:
    total = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    for entry in entries:
        with contextlib.suppress(FileNotFoundError):  # pruned while we looked
            total += entry.stat(follow_symlinks=False).st_size
    return total


def demo_build(until: str) -> None:
    base = Path(tempfile.mkdtemp(prefix="dothixanh-publish-demo-"))
    home = base / "home"
    snapshots = home / "snapshots"
    peak = {"bytes": 0, "versions": 0, "master": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            used = folder_bytes(snapshots)
            if used > peak["bytes"]:
                peak["bytes"] = used
                peak["master"] = folder_bytes_of(home / "warehouse.duckdb")
            peak["versions"] = max(
                peak["versions"], len(list(snapshots.glob("*"))) if snapshots.exists() else 0
            )
            time.sleep(0.02)

    env = {**os.environ, "DOTHIXANH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "services.cli", "demo", "--until", until],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    master = folder_bytes_of(home / "warehouse.duckdb")
    final = folder_bytes(snapshots)
    versions = len(list(snapshots.glob("snapshot-*.duckdb")))
    print(f"1. Dựng phường mẫu (dothixanh demo --until {until}): {seconds:.0f} s")
    print(f"   kho chính (warehouse.duckdb)          {master / MB:8.1f} MB  (mốc so sánh)")
    print(
        f"   snapshots/ lúc lớn nhất (lấy mẫu 20 ms) {peak['bytes'] / MB:8.1f} MB  {peak['bytes'] / master:5.2f}× kho"
    )
    print(f"   snapshots/ khi xong                   {final / MB:8.1f} MB  {final / master:5.2f}× kho")
    print(f"   số bản công bố còn giữ: {versions} (nhiều nhất cùng lúc: {peak['versions']} tệp)")
    shutil.rmtree(base, ignore_errors=True)


def folder_bytes_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def at_scale(scale: int, rows: int) -> None:
    base = Path(tempfile.mkdtemp(prefix="dothixanh-publish-"))
    home = base / "home"
    rng = np.random.default_rng(2026)
    warehouse = Warehouse(home)
    groups_csv, units_csv = reference_files(rng)
    init_ward(warehouse, (groups_csv, "groups.csv"), (units_csv, "units.csv"))
    facts = generate(rng, pl.read_csv(groups_csv), scale)
    bulk_load(warehouse, facts)
    from warehouse.refresh import refresh_marts

    with warehouse.writing(catch_up=False) as con:
        refresh_marts(con, home, today=TODAY)
    size = warehouse.master_path.stat().st_size
    records = sum(f.height for f in facts.values())

    plain_target = base / "plain-copy.duckdb"

    def plain() -> None:
        shutil.copyfile(warehouse.master_path, plain_target)
        plain_target.unlink()

    how = {}

    def ours() -> None:
        original = store.copy_file

        def recording(source, target):
            how["method"] = original(source, target)
            return how["method"]

        store.copy_file = recording
        try:
            warehouse._publish()
        finally:
            store.copy_file = original

    plain_s = timed(plain, 3)
    publish_s = timed(ours, 3)

    publish_times: list[float] = []
    original_publish = Warehouse._publish

    def timed_publish(self) -> None:
        start = time.perf_counter()
        original_publish(self)
        publish_times.append(time.perf_counter() - start)

    Warehouse._publish = timed_publish
    try:
        result, load_s = send_one_more(warehouse, one_more_file(rng, facts, rows))
    finally:
        Warehouse._publish = original_publish
    assert result.status == "loaded", result.to_json()
    snapshots = folder_bytes(warehouse.snapshots_dir)
    master = warehouse.master_path.stat().st_size  # after the load
    print(
        f"2. Kho gấp {scale} lần phường mẫu: {records:,} bản ghi, kho chính {size / MB:.1f} MB".replace(
            ",", "."
        )
    )
    print(f"   {'phép đo':<58} {'giây':>7} {'tỉ lệ':>10}")
    print(f"   {'shutil.copyfile cả kho (mốc so sánh)':<58} {plain_s:7.2f} {1:9.2f}×")
    print(
        f"   {'một lần công bố (' + how.get('method', '?') + ', đổi liên kết, dọn bản cũ)':<58} {publish_s:7.2f} {publish_s / plain_s:9.2f}×"
    )
    print(
        f"   {f'nạp thêm một tệp {rows} dòng qua ingest (cả làm mới marts, công bố)':<58} {load_s:7.2f}"
        f" {load_s / plain_s:9.2f}×"
    )
    print(
        f"   {'   trong đó công bố':<58} {publish_times[0]:7.2f} {publish_times[0] / load_s:9.0%} của lần nạp"
    )
    print(
        f"   snapshots/ sau đó: {snapshots / MB:.1f} MB = {snapshots / master:.2f}× kho chính sau lần nạp "
        f"({master / MB:.1f} MB)"
    )
    shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from services.cli.common import Parser  # argparse in Vietnamese (headings, errors)

    parser = Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1000, help="rows in the one more file")
    parser.add_argument("--until", default=dt.date(2026, 11, 29).isoformat(), help="the demo ward's last day")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    if not args.skip_demo:
        demo_build(args.until)
        print()
    at_scale(args.scale, args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
