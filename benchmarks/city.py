"""A synthetic city: `city refresh` timed on DuckDB and on Spark, one ward (the baseline) and N wards.

    python benchmarks/city.py --years 5 --scale 1 --wards 114 --engines duckdb,spark [--work DIR]
    python benchmarks/city.py --source data-city/store --wards 114      # wards already published

1. K distinct demo wards (`--distinct`, Lê Chân, Hồng Bàng, Ngô Quyền with their own seeds) are
   built with `dothixanh demo --ward CODE --seed N --years Y --scale S`: synthetic data over Y
   years of the campaign (5 → 05/2026–12/2030, months after today included), each ward's own as-of
   day the end of its last year. `--work DIR` keeps them: the next run reuses them.
2. They are published (`city publish`) into a source store, then copied round robin under the
   first N official codes of Hải Phòng (warehouse/city/synthetic.py): "114 wards = K distinct
   wards copied". Rows per table are printed.
3. Each engine refreshes the source store (the baseline: K wards) and the city (N wards), each
   in its own process; the figures are wall time (process start included), peak resident memory
   of the whole process tree (Spark's JVM included, sampled from /proc), rows in and out.
Figures, not a test; the machine's load average is printed with them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.cli.common import Parser  # noqa: E402
from warehouse.city.publish import current_wards  # noqa: E402
from warehouse.city.refresh import INPUTS  # noqa: E402
from warehouse.city.synthetic import copy_city, table_rows  # noqa: E402

# The distinct wards a run builds, in order: (code, seed), as `make city-demo` builds them.
DISTINCT = [("11383", 2026), ("11311", 7), ("11341", 13)]
BUILT = ".bench-built"


@dataclass
class Run:
    engine: str
    wards: int
    seconds: float
    peak_mb: float
    rows_in: int
    rows_out: int


def say(message: str) -> None:
    print(message, flush=True)


def number(value: float, digits: int = 0) -> str:
    """1.234.567 / 12,3: the house format."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def cli(*args: str, home: Path | None = None, quiet: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["DOTHIXANH_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if quiet else None,  # the demo's progress lines go to the terminal
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"dothixanh {' '.join(args)} thất bại:\n{result.stdout}\n{result.stderr or ''}")
    return result


def build_wards(work: Path, distinct: int, years: int, scale: int) -> list[Path]:
    """The K distinct five-year (Y-year) wards, built once into `work` and reused afterwards."""
    homes = []
    for k, (code, seed) in enumerate(DISTINCT[:distinct], start=1):
        home = work / f"ward-{code}-{years}y-x{scale}-s{seed}"
        if (home / BUILT).exists():
            say(f"  phường {k}/{distinct} (mã {code}): dùng lại bản đã tạo trong {home}")
        else:
            say(
                f"  phường {k}/{distinct} (mã {code}, hạt giống {seed}): tạo số liệu tổng hợp {years} năm, "
                f"hệ số {scale} (mỗi năm vài phút trên máy này)…"
            )
            started = time.perf_counter()
            cli("demo", "--ward", code, "--seed", str(seed), "--years", str(years), "--scale", str(scale),
                "--force", home=home)  # fmt: skip
            (home / BUILT).write_text(f"{years} năm, hệ số {scale}, hạt giống {seed}\n", encoding="utf-8")
            say(f"    xong trong {number(time.perf_counter() - started, 1)} giây")
        homes.append(home)
    return homes


def tree_rss_kb(pid: int) -> int:
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


def rows_in(store: Path) -> int:
    """Rows of the store's tables that `city refresh` reads (its INPUTS)."""
    rows = table_rows(store)
    return sum(rows.get(table, 0) for table in INPUTS.values())


def rows_out(out: Path) -> int:
    con = duckdb.connect()
    try:
        return sum(
            con.sql("SELECT count(*) FROM read_parquet(?)", params=[str(d / "*.parquet")]).fetchall()[0][0]
            for d in sorted(out.iterdir())
            if d.is_dir() and not d.name.startswith(".")
        )
    finally:
        con.close()


def time_refresh(store: Path, engine: str, master: str | None) -> Run:
    out = Path(tempfile.mkdtemp(prefix=f"city-{engine}-"))
    command = [sys.executable, "-m", "services.cli", "city", "refresh", "--store", str(store)]
    command += ["--engine", engine, "--output", str(out)]
    if engine == "spark" and master:
        command += ["--master", master]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        output = process.stdout.read()
        errors.seek(0)
        if process.returncode:
            shutil.rmtree(out, ignore_errors=True)
            raise SystemExit(f"city refresh --engine {engine} thất bại:\n{output}\n{errors.read()[-3000:]}")
    run = Run(engine, len(current_wards(store)), elapsed, peak / 1024, rows_in(store), rows_out(out))
    shutil.rmtree(out, ignore_errors=True)
    return run


def load() -> str:
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count() or 1
    mark = " — máy đang bận (under load)" if one > cores else ""
    return (
        f"tải trung bình {number(one, 1)} / {number(five, 1)} / {number(fifteen, 1)} trên {cores} lõi{mark}"
    )


def parse_args(argv=None):
    parser = Parser(
        prog="python benchmarks/city.py",
        description="Đo thời gian và bộ nhớ của 'dothixanh city refresh' trên một thành phố tổng hợp "
        "(số liệu giả lập): dựng K phường mẫu khác nhau, mỗi phường Y năm của phong trào, công bố vào kho "
        "chung rồi chép thành N phường (mỗi bản chép mang mã phường riêng); chạy DuckDB và Spark trên một "
        "phường (mốc so sánh) và trên N phường, in thời gian, bộ nhớ lớn nhất (kể cả máy ảo Java của Spark), "
        "số dòng vào và ra, tỉ lệ Spark/DuckDB.",
        epilog="Ví dụ: python benchmarks/city.py --years 1 --wards 6 (chạy thử nhỏ); "
        "python benchmarks/city.py --years 5 --wards 114 --work /tmp/thanh-pho (đủ cỡ, dùng lại phường đã tạo).",
    )
    parser.add_argument(
        "--years",
        metavar="SỐ_NĂM",
        type=int,
        default=5,
        help="số năm số liệu của mỗi phường, 1 đến 5 (mặc định 5)",
    )
    parser.add_argument(
        "--scale",
        metavar="HỆ_SỐ",
        type=int,
        default=1,
        help="nhân số bản ghi của mỗi phường lên N lần (mặc định 1)",
    )
    parser.add_argument(
        "--wards",
        metavar="SỐ_PHƯỜNG",
        type=int,
        default=114,
        help="số phường của thành phố tổng hợp (mặc định 114)",
    )
    parser.add_argument(
        "--distinct",
        metavar="SỐ",
        type=int,
        default=1,
        choices=[1, 2, 3],
        help="số phường khác nhau được tạo thật (mặc định 1)",
    )
    parser.add_argument(
        "--engines",
        metavar="CÔNG_CỤ",
        default="duckdb,spark",
        help="công cụ tính, cách nhau bằng dấu phẩy (mặc định duckdb,spark)",
    )
    parser.add_argument(
        "--master", metavar="ĐỊA_CHỈ", help="Spark master cho --engine spark (mặc định local[2])"
    )
    parser.add_argument(
        "--work", type=Path, metavar="THƯ_MỤC",
        help="nơi giữ các phường đã tạo để lần sau dùng lại (mặc định: thư mục tạm, xóa khi xong)",
    )  # fmt: skip
    parser.add_argument(
        "--source", type=Path, metavar="THƯ_MỤC",
        help="dùng kho chung có sẵn (các phường đã công bố) thay vì tạo phường mẫu",
    )  # fmt: skip
    parser.add_argument(
        "--store", type=Path, metavar="THƯ_MỤC", help="nơi dựng kho chung tổng hợp (mặc định: thư mục tạm)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.years <= 5:
        parser.error("--years phải từ 1 đến 5 (phong trào kéo dài 2026–2030)")
    if args.wards < 1 or args.scale < 1:
        parser.error("--wards và --scale phải từ 1 trở lên")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    temp = Path(tempfile.mkdtemp(prefix="city-bench-"))
    say(
        f"Thành phố tổng hợp (số liệu giả lập, không phải số liệu thật), {dt.date.today():%d/%m/%Y}; {load()}"
    )
    try:
        if args.source:
            source = args.source
            what = f"các phường đã công bố trong {source}"
        else:
            from pipelines.demo.ward import START
            from services.cli.demo import years_until

            span = f"{START:%d/%m/%Y}–{years_until(args.years):%d/%m/%Y}"
            say(f"1/4 Tạo {args.distinct} phường mẫu, {args.years} năm ({span}), hệ số {args.scale}…")
            homes = build_wards(args.work or temp / "wards", args.distinct, args.years, args.scale)
            source = temp / "source"
            say(f"2/4 Công bố {len(homes)} phường vào kho chung nguồn…")
            for home in homes:
                cli("city", "publish", "--store", str(source), home=home, quiet=True)
            what = f"{args.distinct} phường mẫu {args.years} năm {span}, hệ số {args.scale}"
        distinct = len(current_wards(source))
        if not distinct:
            raise SystemExit(f"{source}: chưa có phường nào được công bố (make city-demo)")
        store = args.store or temp / "city"
        say(f"3/4 Chép thành {args.wards} phường (mỗi bản chép mang mã phường riêng)…")
        started = time.perf_counter()

        def progress(i: int, n: int, code: str) -> None:
            if i % 20 == 0 or i == n:
                say(f"  {i}/{n} phường (mã {code})")

        copy_city(source, store, args.wards, progress)
        say(f"  xong trong {number(time.perf_counter() - started, 1)} giây")
        one, city = table_rows(source), table_rows(store)
        say(f"{args.wards} phường = {distinct} phường khác nhau ({what}) chép lại. Số dòng mỗi bảng:")
        for table in city:
            say(
                f"  {table:24s} {number(one.get(table, 0)):>12s} ({distinct} phường) {number(city[table]):>14s}"
            )

        say(
            f"4/4 Chạy city refresh: {', '.join(engines)}, trên {distinct} phường rồi trên {args.wards} phường…"
        )
        runs: dict[tuple[str, int], Run] = {}
        for engine in engines:
            for label, target in (("mốc", source), ("thành phố", store)):
                say(f"  {engine} trên {label} ({len(current_wards(target))} phường)… ({load()})")
                run = time_refresh(target, engine, args.master)
                runs[engine, run.wards] = run
                say(
                    f"    {number(run.seconds, 1)} giây, bộ nhớ lớn nhất {number(run.peak_mb)} MB, "
                    f"{number(run.rows_in)} dòng vào, {number(run.rows_out)} dòng ra"
                )
        report(runs, engines, distinct, args.wards)
        say(f"Kết thúc; {load()}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def report(runs: dict[tuple[str, int], Run], engines: list[str], distinct: int, wards: int) -> None:
    say("")
    say("Kết quả (thời gian tính cả lúc khởi động tiến trình; bộ nhớ: cả cây tiến trình, kể cả JVM):")
    say(f"  {'công cụ':8s} {'phường':>7s} {'giây':>9s} {'MB':>8s} {'dòng vào':>13s} {'dòng ra':>12s}")
    for (engine, n), run in runs.items():
        say(
            f"  {engine:8s} {n:>7d} {number(run.seconds, 1):>9s} {number(run.peak_mb):>8s} "
            f"{number(run.rows_in):>13s} {number(run.rows_out):>12s}"
        )
    for engine in engines:
        base, big = runs.get((engine, distinct)), runs.get((engine, wards))
        if base and big and base.seconds:
            say(
                f"  {engine}: {wards} phường / {distinct} phường: thời gian × {number(big.seconds / base.seconds, 1)}, "
                f"bộ nhớ × {number(big.peak_mb / base.peak_mb, 1)}, dòng vào × {number(big.rows_in / base.rows_in, 1)}"
            )
    if "duckdb" in engines and "spark" in engines:
        for n in (distinct, wards):
            d, s = runs.get(("duckdb", n)), runs.get(("spark", n))
            if d and s:
                say(
                    f"  Spark / DuckDB trên {n} phường: thời gian × {number(s.seconds / d.seconds, 1)}, "
                    f"bộ nhớ × {number(s.peak_mb / d.peak_mb, 1)}"
                )


if __name__ == "__main__":
    main()
