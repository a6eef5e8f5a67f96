"""Benchmark: validated ingest of a 1,000,000-row violations file against DuckDB's raw load.

Prints, from the same run: the time of `CREATE TABLE AS SELECT * FROM read_csv(...)`
into a file database (the baseline), the time of `dothixanh ingest` of the same
file (read, type, Great Expectations validation, load in one transaction,
publish the snapshot), their ratio, and each one's peak memory; then, apart,
the marts refresh that follows every load in production (ingest runs it
itself unless told `refresh=False`), and the ratio of both together. Each measurement runs in its own process so peaks
do not mix. Target (issue 2): ingest within 2.5× of the raw load, peak < 2 GB.

    python benchmarks/ingest_1m.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUPS = [f"TDP{i:02d}" for i in range(1, 41)]
CATEGORIES = [
    "Lấn chiếm vỉa hè", "roadway_encroachment", "Quảng cáo, rao vặt trái phép", "Xả rác, đổ trộm phế thải",
    "waste_sorting", "public_order", "Trật tự xây dựng", "food_safety", "fire_safety", "Khác",
]  # fmt: skip
STREETS = ["Tô Hiệu", "Hai Bà Trưng", "Trần Nguyên Hãn", "Cát Cụt", "Lạch Tray", "Mê Linh", "Hàng Kênh"]


def write_inputs(
    folder: Path,
    rows: int,
    *,
    start: dt.date = dt.date(2026, 5, 1),
    days: int = 200,
    name: str = "violations_1m.csv",
) -> Path:
    """A ward with 40 groups, one unit, and a violations file of `rows` rows (0.1 % dirty), dated
    over `days` days from `start`."""
    import polars as pl

    (folder / "groups.csv").write_text(
        "group_code,group_name,households,population\n"
        + "".join(f"{g},Tổ dân phố số {i + 1},400,1500\n" for i, g in enumerate(GROUPS)),
        encoding="utf-8",
    )
    (folder / "units.csv").write_text(
        "unit_code,unit_name,feeds\nCAP,Công an phường,violations\n", encoding="utf-8"
    )
    rng = random.Random(1)
    n = rows
    # Realistic spread: any day since May, any group, any category, fines of a few sizes,
    # two in three resolved within ten days. 0.1 % dirty rows (impossible dates).
    day = [rng.randrange(0, days) for _ in range(n)]
    detected = [(start + dt.timedelta(days=d)).strftime("%d/%m/%Y") for d in day]
    resolved = [
        (start + dt.timedelta(days=d + rng.randrange(0, 10))).strftime("%d/%m/%Y")
        if rng.random() < 0.66
        else ""
        for d in day
    ]
    action = [rng.choice(("fine", "reminder", "record")) for _ in range(n)]
    fine = [f"{rng.choice((5, 10, 15, 20, 30, 50, 75)) * 100}.000" if a == "fine" else "" for a in action]
    for i in range(0, n, 1000):
        detected[i] = "31/02/2026"
    frame = pl.DataFrame(
        {
            "Số hồ sơ": [f"VP-{i:07d}" for i in range(n)],
            "Mã đơn vị": ["CAP"] * n,
            "Ngày phát hiện": detected,
            "Mã tổ dân phố": [rng.choice(GROUPS) for _ in range(n)],
            "Loại vi phạm": [rng.choice(CATEGORIES) for _ in range(n)],
            "Hình thức xử lý": action,
            "Số tiền phạt": fine,
            "Ngày khắc phục": resolved,
            "Địa chỉ": [f"{rng.randrange(1, 300)} {rng.choice(STREETS)}" for _ in range(n)],
            "Ghi chú": [""] * n,
        }
    )
    path = folder / name
    frame.write_csv(path)
    return path


RAW = """
import duckdb, resource, sys, time, json
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE v AS SELECT * FROM read_csv(?)", [sys.argv[1]])
con.close()
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

INGEST = """
import json, resource, sys, time, datetime as dt
sys.path.insert(0, sys.argv[4])
from pipelines.ingest import ingest, init_ward
from pipelines.validation import _context
from warehouse.store import Warehouse
from pathlib import Path
folder = Path(sys.argv[2])
w = Warehouse(sys.argv[3])
init_ward(w, ((folder / "groups.csv").read_bytes(), "groups.csv"), ((folder / "units.csv").read_bytes(), "units.csv"))
data = Path(sys.argv[1]).read_bytes()
steps = {}
last = [time.perf_counter()]
def progress(name):
    now = time.perf_counter(); steps[name] = now; last[0] = now
t = time.perf_counter()
r = ingest(w, data, feed="violations", unit_code="CAP", file_name="v.csv", today=dt.date(2026, 11, 29),
           progress=progress, refresh=False)
total = time.perf_counter() - t
names = list(steps)
marks = [steps[n] for n in names] + [t + total]
from warehouse.refresh import refresh_marts
t = time.perf_counter()
with w.writing() as con:
    refresh_marts(con, w.home, today=dt.date(2026, 11, 29))
marts = time.perf_counter() - t
print(json.dumps({"seconds": total, "marts_seconds": marts, "status": r.status, "accepted": r.rows_accepted,
                  "rejected": r.rows_rejected, "steps": {n: marks[i + 1] - marks[i] for i, n in enumerate(names)},
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from services.cli.common import Parser  # argparse in Vietnamese (headings, errors)

    parser = Parser(description="Đo thời gian nạp 1 triệu dòng vi phạm so với DuckDB nạp thô.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="số dòng (mặc định 1.000.000)")
    parser.add_argument("--keep", help="giữ các tệp sinh ra trong thư mục này")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dothixanh-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Sinh tệp {args.rows:,} dòng ...".replace(",", "."), flush=True)
    path = write_inputs(folder, args.rows)
    size_mb = path.stat().st_size / 1e6
    import shutil

    (folder / "raw.duckdb").unlink(missing_ok=True)
    shutil.rmtree(folder / "home", ignore_errors=True)
    raw = run(RAW, str(path), str(folder / "raw.duckdb"))
    ingest = run(INGEST, str(path), str(folder), str(folder / "home"), str(ROOT))
    ratio = ingest["seconds"] / raw["seconds"]
    print(f"Tệp: {path.name}, {size_mb:.0f} MB, {args.rows} dòng")
    print(
        f"DuckDB CREATE TABLE AS read_csv (cơ sở):  {raw['seconds']:.2f} s, đỉnh bộ nhớ {raw['peak_mb']:.0f} MB"
    )
    print(
        f"dothixanh ingest (đọc+kiểm tra+nạp):       {ingest['seconds']:.2f} s, đỉnh bộ nhớ {ingest['peak_mb']:.0f} MB"
        f"  [{ingest['status']}: nhận {ingest['accepted']}, loại {ingest['rejected']}]"
    )
    for name, seconds in ingest["steps"].items():
        print(f"    {name:<45} {seconds:.2f} s")
    print(f"Tỉ lệ ingest / nạp thô: {ratio:.2f}×  (mục tiêu ≤ 2,5×)")
    both = (ingest["seconds"] + ingest["marts_seconds"]) / raw["seconds"]
    print(
        f"Làm mới các bảng chỉ tiêu (marts) sau khi nạp, đo riêng: {ingest['marts_seconds']:.2f} s; "
        f"ingest + làm mới / nạp thô: {both:.2f}×"
    )
    print(f"Đỉnh bộ nhớ ingest: {ingest['peak_mb'] / 1024:.2f} GB (mục tiêu < 2 GB)")


if __name__ == "__main__":
    main()
