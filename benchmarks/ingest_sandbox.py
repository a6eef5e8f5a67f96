"""Benchmark: what the sandbox costs a clerk, as ratios against DuckDB's raw load in the same run.

Three figures, each from its own process so that peaks do not mix:

- 5.000 rows, dashboard path: `judge` (preview) then `ingest` (load, marts refresh, publish)
  through a warm pool in one long-lived process (target ≤ 0,5 s for the preview);
- 5.000 rows through `dothixanh ingest` as a whole process, the home's sandbox service warm
  (target ≤ 2 s), and the same with no service (a fresh sandboxed child: what a cold command pays);
- 1.000.000 rows through `dothixanh ingest` as a whole process, marts refresh and publish
  included (target ≤ 2,0× the raw load, peak memory ≤ 1 GB; the worker's peak reported apart).

    python benchmarks/ingest_sandbox.py [--rows 1000000] [--small 5000] [--keep DIR]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest_1m import RAW, write_inputs  # noqa: E402

WARM = """
import json, sys, time, datetime as dt
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from pipelines.ingest import ingest
from pipelines.sandbox import default_sandbox, judge
from warehouse.load import read_reference
from warehouse.store import Warehouse
w = Warehouse(sys.argv[2])
data = Path(sys.argv[1]).read_bytes()
pool = default_sandbox()
with w.reading() as con:
    ref = read_reference(con)
# Wait until the pool is warm (as a server is, long before a clerk's first file).
while len(pool.pids()) < pool.limits.workers:
    time.sleep(0.2)
previews = []
for _ in range(3):
    t = time.perf_counter()
    judge(data, feed="violations", unit_code="CAP", file_name="v.csv", reference=ref, error_file=True,
          today=dt.date(2026, 11, 29), sandbox=pool)
    previews.append(time.perf_counter() - t)
t = time.perf_counter()
r = ingest(w, data, feed="violations", unit_code="CAP", file_name="v.csv", today=dt.date(2026, 11, 29), sandbox=pool)
load = time.perf_counter() - t
print(json.dumps({"preview": min(previews), "previews": previews, "load": load, "status": r.status}))
"""


def cli(home: Path, path: Path, idle: str) -> dict:
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "DOTHIXANH_SANDBOX_IDLE": idle, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "pipelines.cli", "ingest", str(path),
         "--feed", "violations", "--unit", "CAP", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    seconds = time.perf_counter() - t
    report = json.loads(out.stdout)
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "status": report["status"],
        "accepted": report["rows_accepted"],
        "peak_mb": peak_kb / 1024,
    }


def service_peak_mb(home: Path) -> float:
    """Largest resident size among the service's workers now (their high-water mark, VmHWM)."""
    best = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if b"pipelines.sandbox_worker" in cmdline:
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) / 1024)
    return best


def fresh_home(folder: Path, name: str) -> Path:
    home = folder / name
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "DOTHIXANH_SANDBOX_IDLE": "0", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "init", "--groups", str(folder / "groups.csv"),
         "--units", str(folder / "units.csv")],
        check=True, capture_output=True, env=env, cwd=ROOT,
    )  # fmt: skip
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo chi phí của bộ đọc tệp an toàn so với DuckDB nạp thô.")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="số dòng của tệp lớn (mặc định 1.000.000)"
    )
    parser.add_argument("--small", type=int, default=5_000, help="số dòng của tệp thường (mặc định 5.000)")
    parser.add_argument("--keep", help="giữ các tệp sinh ra trong thư mục này")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dothixanh-sandbox-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    from pipelines.sandbox_service import ServiceClient

    small_dir, big_dir = folder / "small", folder / "big"
    for d in (small_dir, big_dir):
        d.mkdir(exist_ok=True)
    small = write_inputs(small_dir, args.small)
    big = write_inputs(big_dir, args.rows)

    def raw(path: Path) -> dict:
        target = path.with_suffix(".raw.duckdb")
        target.unlink(missing_ok=True)
        out = subprocess.run(
            [sys.executable, "-c", RAW, str(path), str(target)], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    raw_small, raw_big = raw(small), raw(big)
    print(
        f"Nạp thô DuckDB (cơ sở): {args.small} dòng {raw_small['seconds']:.2f} s; {args.rows} dòng {raw_big['seconds']:.2f} s"
    )

    home = fresh_home(small_dir, "home-warm")
    out = subprocess.run(
        [sys.executable, "-c", WARM, str(small), str(home), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    warm = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"Bảng điều khiển, {args.small} dòng, bộ đọc ấm: xem trước {warm['preview']:.2f} s (mục tiêu ≤ 0,5 s; "
        f"{warm['preview'] / raw_small['seconds']:.1f}× nạp thô), nạp + làm mới + công bố {warm['load']:.2f} s"
    )

    home = fresh_home(small_dir, "home-cold")
    cold = cli(home, small, "0")
    print(
        f"dothixanh ingest, {args.small} dòng, không có dịch vụ (tiến trình con mới): {cold['seconds']:.2f} s"
    )

    home = fresh_home(small_dir, "home-cli")
    first = cli(home, small, "300")  # starts the service, which stays warm
    shutil.copy(small, small_dir / "again.csv")
    with open(small_dir / "again.csv", "a", encoding="utf-8") as f:
        f.write("VP-9999999,CAP,05/11/2026,TDP01,Khác,record,,,1 Tô Hiệu,\n")
    warm_cli = cli(home, small_dir / "again.csv", "300")
    print(
        f"dothixanh ingest, {args.small} dòng, dịch vụ ấm: {warm_cli['seconds']:.2f} s (mục tiêu ≤ 2 s; lần đầu "
        f"khởi động dịch vụ {first['seconds']:.2f} s), đỉnh bộ nhớ lệnh {warm_cli['peak_mb']:.0f} MB"
    )

    home = fresh_home(big_dir, "home")
    cli(home, small, "300")  # warm this home's service first, as a ward server's would be
    big_run = cli(home, big, "300")
    worker_peak = service_peak_mb(home)
    ratio = big_run["seconds"] / raw_big["seconds"]
    print(
        f"dothixanh ingest, {args.rows} dòng (đọc, kiểm tra, nạp, làm mới, công bố; cả tiến trình): "
        f"{big_run['seconds']:.2f} s = {ratio:.2f}× nạp thô (mục tiêu ≤ 2,0×) "
        f"[{big_run['status']}: nhận {big_run['accepted']}]"
    )
    print(
        f"Đỉnh bộ nhớ: lệnh {big_run['peak_mb']:.0f} MB, tiến trình đọc tệp {worker_peak:.0f} MB "
        f"(mục tiêu ≤ 1 GB; nạp thô {raw_big['peak_mb']:.0f} MB)"
    )
    for d in (small_dir / "home-cli", home):
        ServiceClient(d).stop()


if __name__ == "__main__":
    main()
