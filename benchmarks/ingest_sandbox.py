"""Benchmark: what the sandbox costs a clerk, as ratios against DuckDB's raw load in the same run.

Three figures, each from its own process so that peaks do not mix:

- 5.000 rows, dashboard path: `judge` (preview) then `ingest` (load, marts refresh, publish)
  through a warm pool in one long-lived process (target ≤ 0,5 s for the preview);
- 5.000 rows through `dothixanh ingest` as a whole process, the home's sandbox service warm
  (target ≤ 2 s), and the same with no service (a fresh sandboxed child: what a cold command pays);
- 1.000.000 rows through `dothixanh ingest` as a whole process, marts refresh and publish
  included (target ≤ 2,0× the raw load, peak memory ≤ 1 GB; the worker's peak reported apart).

    python benchmarks/ingest_sandbox.py [--rows 1000000] [--small 5000] [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import datetime as dt
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
months = [Path(p).read_bytes() for p in sys.argv[4:]]  # monthly files: dates the worker has not seen
pool = default_sandbox()
with w.reading() as con:
    ref = read_reference(con)
# Wait until the pool is warm (as a server is, long before a clerk's first file).
while len(pool.pids()) < pool.limits.workers:
    time.sleep(0.2)
previews = []
for month in months:
    t = time.perf_counter()
    judge(month, feed="violations", unit_code="CAP", file_name="v.csv", reference=ref, error_file=True,
          today=dt.date(2026, 11, 29), sandbox=pool)
    previews.append(time.perf_counter() - t)
t = time.perf_counter()
r = ingest(w, data, feed="violations", unit_code="CAP", file_name="v.csv", today=dt.date(2026, 11, 29), sandbox=pool)
load = time.perf_counter() - t
print(json.dumps({"preview": sorted(previews)[len(previews) // 2], "previews": previews, "load": load, "status": r.status}))
"""


def n(x: float, digits: int = 2) -> str:
    """A figure the Vietnamese way: 1.234,56."""
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def cli(home: Path, path: Path, idle: str) -> dict:
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "DOTHIXANH_SANDBOX_IDLE": idle, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "services.cli", "ingest", str(path),
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


def judging_peak_mb(home: Path, file_name: str) -> float | None:
    """The peak memory of the worker that judged `file_name`, as that worker measured it for this file
    alone (the upload's event, logs/events.jsonl): unlike the workers alive afterwards, a worker
    recycled after a large file is counted too."""
    from warehouse.events import read_events

    for event in reversed(read_events(home)):
        if event.get("event") == "upload" and event.get("file_name") == file_name:
            return (event.get("judging") or {}).get("peak_mb")
    return None


def wait_warm(home: Path, timeout: float = 300) -> None:
    """Until every worker of the home's service is warm and idle, as on a server long before a
    clerk's file: a worker still importing Great Expectations would take CPU from the measured run."""
    from pipelines.sandbox_service import ServiceClient

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        greeting = ServiceClient(home).ping() or {}
        if greeting.get("workers") and greeting.get("idle_workers") == greeting["workers"]:
            return
        time.sleep(0.2)


def fresh_home(folder: Path, name: str) -> Path:
    home = folder / name
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "DOTHIXANH_SANDBOX_IDLE": "0", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "services.cli", "init", "--groups", str(folder / "groups.csv"),
         "--units", str(folder / "units.csv")],
        check=True, capture_output=True, env=env, cwd=ROOT,
    )  # fmt: skip
    return home


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from services.cli.common import Parser  # argparse in Vietnamese (headings, errors)

    parser = Parser(description="Đo chi phí của bộ đọc tệp an toàn so với DuckDB nạp thô.")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="số dòng của tệp lớn (mặc định 1.000.000)"
    )
    parser.add_argument("--small", type=int, default=5_000, help="số dòng của tệp thường (mặc định 5.000)")
    parser.add_argument("--keep", help="giữ các tệp sinh ra trong thư mục này")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="số lượt đo tệp lớn, mỗi lượt nạp thô rồi nạp bằng lệnh (mặc định 3)",
    )
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dothixanh-sandbox-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    from pipelines.sandbox_service import ServiceClient

    small_dir, big_dir = folder / "small", folder / "big"
    for d in (small_dir, big_dir):
        d.mkdir(exist_ok=True)
    small = write_inputs(small_dir, args.small)
    # Three monthly files for the previews (a clerk's file brings dates the worker has not judged yet).
    monthly = [
        write_inputs(small_dir, args.small, start=dt.date(2026, m, 1), days=28, name=f"month-{m}.csv")
        for m in (8, 9, 10)
    ]
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
        f"Nạp thô DuckDB (cơ sở): {n(args.small, 0)} dòng {n(raw_small['seconds'], 2)} s; {n(args.rows, 0)} dòng {n(raw_big['seconds'], 2)} s"
    )

    home = fresh_home(small_dir, "home-warm")
    out = subprocess.run(
        [sys.executable, "-c", WARM, str(small), str(home), str(ROOT), *map(str, monthly)],
        capture_output=True,
        text=True,
        check=True,
    )
    warm = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"Bảng điều khiển, {n(args.small, 0)} dòng, bộ đọc ấm: xem trước {n(warm['preview'], 2)} s (mục tiêu ≤ 0,5 s; "
        f"{n(warm['preview'] / raw_small['seconds'], 1)}× nạp thô), nạp + làm mới + công bố {n(warm['load'], 2)} s"
    )

    home = fresh_home(small_dir, "home-cold")
    cold = cli(home, small, "0")
    print(
        f"dothixanh ingest, {n(args.small, 0)} dòng, không có dịch vụ (tiến trình con mới): {n(cold['seconds'], 2)} s"
    )

    home = fresh_home(small_dir, "home-cli")
    first = cli(home, small, "300")  # starts the service, which stays warm
    wait_warm(home)
    # The next file brings a month the worker has not seen (its verdicts are not remembered).
    november = write_inputs(small_dir, args.small, start=dt.date(2026, 11, 1), days=28, name="month-11.csv")
    warm_cli = cli(home, november, "300")
    print(
        f"dothixanh ingest, {n(args.small, 0)} dòng, dịch vụ ấm: {n(warm_cli['seconds'], 2)} s (mục tiêu ≤ 2 s; lần đầu "
        f"khởi động dịch vụ {n(first['seconds'], 2)} s), đỉnh bộ nhớ lệnh {n(warm_cli['peak_mb'], 0)} MB"
    )

    # The large file: --rounds rounds, each the raw load then the whole command on a fresh home whose
    # service is warm; the ratio of each round, and their median (a shared machine's speed drifts
    # from one minute to the next: a round's two runs are seconds apart).
    rounds = []
    for round_ in range(args.rounds):
        raw_round = raw(big) if round_ else raw_big
        home = fresh_home(big_dir, "home")
        # Warm this home's service first, as a ward server's would be, with dates the big file has not.
        late = write_inputs(big_dir, args.small, start=dt.date(2026, 11, 18), days=10, name="late.csv")
        cli(home, late, "300")
        wait_warm(home)
        run = cli(home, big, "300")
        run["raw"] = raw_round["seconds"]
        run["worker_peak_mb"] = judging_peak_mb(home, big.name) or service_peak_mb(home)
        ServiceClient(home).stop()
        rounds.append(run)
        print(
            f"  lượt {round_ + 1}: nạp thô {n(run['raw'], 2)} s, dothixanh ingest {n(run['seconds'], 2)} s "
            f"= {n(run['seconds'] / run['raw'], 2)}×"
        )
    middle = sorted(rounds, key=lambda r: r["seconds"] / r["raw"])[len(rounds) // 2]
    ratio = middle["seconds"] / middle["raw"]
    print(
        f"dothixanh ingest, {n(args.rows, 0)} dòng (đọc, kiểm tra, nạp, làm mới, công bố; cả tiến trình), "
        f"lượt giữa của {len(rounds)}: {n(middle['seconds'], 2)} s = {n(ratio, 2)}× nạp thô "
        f"{n(middle['raw'], 2)} s (mục tiêu ≤ 2,0×) [{middle['status']}: nhận {n(middle['accepted'], 0)}]"
    )
    print(
        f"Đỉnh bộ nhớ: lệnh {n(max(r['peak_mb'] for r in rounds), 0)} MB, tiến trình đọc tệp "
        f"{n(max(r['worker_peak_mb'] for r in rounds), 0)} MB cho tệp này, lớn nhất các lượt "
        f"(mục tiêu ≤ 1 GB; nạp thô {n(raw_big['peak_mb'], 0)} MB)"
    )
    ServiceClient(small_dir / "home-cli").stop()


if __name__ == "__main__":
    main()
