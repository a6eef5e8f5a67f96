"""Benchmark: each dashboard page's script run time, on the demo ward and on one 100× its size.

For each ward, every page is run once to warm the caches (the first load), then
`--runs` more times; the median of those is printed, with the first load beside
it. Target (issue 4): under 0.3 s per page on the demo ward, under 1 s at 100×.

    python benchmarks/pages.py [--scales 1 100] [--runs 5] [--until 2026-11-29]

Wards are built with `dothixanh demo --scale N` into benchmarks/out/ward-xN
(kept between runs; delete the folder to rebuild).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
APP = str(ROOT / "dashboard" / "app.py")
PAGES = {
    "Tổng quan": "views/overview.py",
    "Tổ dân phố": "views/group.py",
    "Đánh giá": "views/evaluations.py",
    "Báo cáo": "views/completeness.py",
    "Truy nguyên": "views/trace.py",
}


def build(scale: int, until: str) -> Path:
    home = OUT / f"ward-x{scale}"
    if not (home / "snapshot.duckdb").exists():
        print(f"Tạo phường mẫu ×{scale} trong {home} ...", flush=True)
        env = {**os.environ, "DOTHIXANH_HOME": str(home)}
        cmd = [
            sys.executable,
            "-m",
            "services.cli",
            "demo",
            "--scale",
            str(scale),
            "--until",
            until,
            "--force",
        ]
        subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    return home


def time_pages(home: Path, runs: int) -> dict[str, tuple[float, float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["DOTHIXANH_HOME"] = str(home)
    results = {}
    import datetime as dt

    from warehouse.accounts import User

    for name, page in PAGES.items():
        at = AppTest.from_file(APP, default_timeout=300)
        # Signed in as leadership (the login form itself is not what is measured).
        at.session_state["user"] = User("benchmark", "leader", None, None)
        at.session_state["expires_at"] = dt.datetime.now() + dt.timedelta(hours=1)
        started = time.perf_counter()
        at.run()  # opens the default page, the overview
        first = time.perf_counter() - started
        if page != PAGES["Tổng quan"]:
            started = time.perf_counter()
            at.switch_page(page).run()
            first = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"{name}: {at.exception[0].value}")
        if any(x.value == "Đăng nhập" for x in at.title):
            raise SystemExit(f"{name}: the page did not open")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        results[name] = (first, statistics.median(times))
    return results


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from services.cli.common import Parser  # argparse in Vietnamese (headings, errors)

    parser = Parser(description="Đo thời gian chạy từng trang của bảng điều khiển.")
    parser.add_argument(
        "--scales", type=int, nargs="+", default=[1, 100], help="các cỡ phường (mặc định 1 100)"
    )
    parser.add_argument("--runs", type=int, default=5, help="số lần đo sau lần tải đầu (mặc định 5)")
    parser.add_argument("--until", default="2026-11-29", help="ngày cuối số liệu của phường mẫu")
    args = parser.parse_args()
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    table = {}
    for scale in args.scales:
        table[scale] = time_pages(build(scale, args.until), args.runs)
    head = "".join(f"   ×{s}: lần đầu / trung vị" for s in args.scales)
    print(f"\n{'Trang':<14}{head}")
    for name in PAGES:
        cells = "".join(f"   {table[s][name][0]:>8.3f} s / {table[s][name][1]:.3f} s" for s in args.scales)
        print(f"{name:<14}{cells}")
    print("\nMục tiêu: < 0,3 s mỗi trang với phường mẫu, < 1 s với phường ×100 (sau lần tải đầu).")


if __name__ == "__main__":
    main()
