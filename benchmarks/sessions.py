"""Benchmark: many people on the dashboard at once, against a minimal Streamlit app in the same run.

For the minimal app (benchmarks/baseline_app.py: 12 metrics, 2 plotly charts, 1 table per page) and
for the dashboard on a demo ward, N sessions at once (one headless Chromium, one browser context per
session) each open the overview (the dashboard: after signing in as leader/demo, the name and password
typed in `--typing` seconds, 2 by default, timed from the click), then three other
pages. During the dashboard's runs a unit's file is loaded with `dothixanh ingest` in the background.
Printed per view: p50/p95 end to end (action to page drawn, charts included) and on the server (each
script run's duration, from DOTHIXANH_RUN_LOG), errors, the server's CPU seconds per view and its
memory, and the dashboard's ratios to the minimal app. The server (and the ingest) run on core 0, the
browser on core 1 when the machine has two cores or more (taskset).

    python benchmarks/sessions.py [--sessions 1,10,25] [--quick] [--home DIR] [--rounds 1] [--pause 0]
    python benchmarks/sessions.py --capacity   # 25 sessions arriving 4 s apart, a page every 10 s each
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "benchmarks" / "baseline_app.py"
CHROMIUM = "/usr/bin/chromium"
# Chromium's flags here (as tests/e2e/conftest.py): headless, no sandbox, nothing that reaches the network.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The views of one session: (name shown, path). The first is opened by signing in (dashboard).
VIEWS = [
    ("Tổng quan", "/tong-quan"),
    ("Bảng điểm", "/bang-diem"),
    ("Chỉ tiêu", "/chi-tieu"),
    ("Đánh giá", "/danh-gia"),
]
OPEN = "Mở trang"  # a new tab typed in: the app's files, a new session (dashboard: the login form)
SERVER_CORE, BROWSER_CORE = 0, 1
TICK = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && charts.every(c => !!c.querySelector('.js-plotly-plot .main-svg'));
}"""
FAILED = """() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
    .map(e => e.innerText.slice(0, 200))"""


def parse_args(argv=None) -> argparse.Namespace:
    sys.path.insert(0, str(ROOT))
    # argparse with its headings and help option in Vietnamese
    from services.cli.common import Parser as _Parser

    parser = _Parser(
        prog="python benchmarks/sessions.py",
        description="Đo tốc độ khi nhiều người cùng dùng bảng điều khiển, so với một ứng dụng Streamlit tối giản "
        "đo trong cùng lần chạy.",
        epilog="Ví dụ: python benchmarks/sessions.py --quick (1 và 3 phiên, vài phút).",
    )
    parser.add_argument(
        "--sessions",
        default="1,10,25",
        metavar="SỐ,SỐ",
        help="số phiên chạy cùng lúc, cách nhau bằng dấu phẩy (mặc định 1,10,25)",
    )
    parser.add_argument("--quick", action="store_true", help="chạy nhanh: chỉ 1 và 3 phiên")
    parser.add_argument(
        "--home",
        type=Path,
        metavar="THƯ_MỤC",
        help="thư mục phường mẫu có sẵn (mặc định: tạo phường mẫu mới trong thư mục tạm, khoảng 1 phút)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="mỗi phiên đi qua các trang bao nhiêu lượt (mặc định 1)"
    )
    parser.add_argument(
        "--pause", type=float, default=0.0, help="số giây nghỉ giữa hai trang của một phiên (mặc định 0)"
    )
    parser.add_argument(
        "--every",
        type=float,
        default=0.0,
        metavar="GIÂY",
        help="mỗi phiên mở một trang mỗi GIÂY giây, tính từ lúc mở trang trước (mặc định 0: không chờ; "
        "thay cho --pause)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        metavar="GIÂY",
        help="các phiên bắt đầu lệch nhau GIÂY giây, như người vào phòng lần lượt (mặc định 0: cùng lúc)",
    )
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="đo sức chứa: 25 phiên vào lần lượt cách nhau 4 giây, mỗi phiên mở một trang mỗi 10 giây, "
        "3 lượt qua các trang, ứng dụng tối giản rồi bảng điều khiển; đạt khi p95 phía máy chủ không quá 2 giây",
    )
    parser.add_argument(
        "--client",
        choices=["browser", "protocol"],
        help="mỗi phiên là một thẻ Chromium (browser, mặc định) hay một khách nhẹ nói giao thức websocket của "
        "Streamlit mà không vẽ (protocol, mặc định của --capacity: một lõi trình duyệt không chạy nổi 25 thẻ)",
    )
    parser.add_argument(
        "--typing",
        type=float,
        default=2.0,
        help="số giây một người gõ tên và mật khẩu trước khi bấm Đăng nhập (mặc định 2; 0: bấm ngay)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="số giây tối đa chờ một trang (mặc định 120)"
    )
    parser.add_argument(
        "--port", type=int, default=8616, help="cổng đầu tiên dùng cho máy chủ (mặc định 8616)"
    )
    parser.add_argument("--only", choices=["baseline", "dashboard"], help="chỉ đo một trong hai ứng dụng")
    parser.add_argument("--no-upload", action="store_true", help="không nạp tệp nào trong lúc đo")
    args = parser.parse_args(argv)
    if args.capacity:  # issue 10: 25 sessions, each viewing a page every 10 s, server-side p95 <= 2 s
        args.sessions, args.ramp, args.every, args.rounds = "25", args.ramp or 4.0, args.every or 10.0, 3
    args.client = args.client or ("protocol" if args.capacity else "browser")
    args.counts = [1, 3] if args.quick else [int(n) for n in args.sessions.split(",") if n.strip()]
    return args


# ---- the server's processes: CPU and memory from /proc --------------------------------------------


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and its live children (and the children they waited for)."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15]) if p == pid else sum(int(v) for v in fields[11:13])
    return total / TICK


def rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except OSError:
            continue
    return total * PAGE_BYTES / 2**20


class Sampler(threading.Thread):
    """The server tree's peak memory while a phase runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))


def pinned(core: int) -> list[str]:
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(core)]
    return []


# ---- servers ----------------------------------------------------------------------------------------


def free_port(start: int) -> int:
    for port in range(start, start + 50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("Không tìm được cổng trống.")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str
    run_log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(name: str, script: Path, port: int, env: dict, work: Path) -> Server:
    run_log = work / f"{name}-runs.tsv"
    command = [
        *pinned(SERVER_CORE),
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    log = open(work / f"{name}-server.log", "wb")  # noqa: SIM115 (kept open for the server's life)
    env = {**os.environ, **env, "DOTHIXANH_RUN_LOG": str(run_log), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"Máy chủ {name} không khởi động được; xem {work / f'{name}-server.log'}")
        time.sleep(0.2)
    return Server(name, process, url, run_log)


# ---- sessions in the browser ------------------------------------------------------------------------


@dataclass
class Results:
    views: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    received: int = 0  # websocket bytes from the server, all sessions


class Tab:
    def __init__(self, page):
        self.page = page
        self.js_errors: list[str] = []
        self.received = 0  # bytes the server sent over this tab's websocket (the pages' payload)
        page.on("pageerror", lambda error: self.js_errors.append(str(error)[:200]))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.received += len(payload)

    async def settle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2:  # two quiet polls in a row: a rerun queued in between would show
            quiet = quiet + 1 if await self.page.evaluate(SETTLED) else 0
            if time.monotonic() > deadline:
                raise TimeoutError(f"trang không xong sau {timeout:.0f} s")
            await asyncio.sleep(0.05)

    async def check(self, name: str, results: Results) -> None:
        problems = await self.page.evaluate(FAILED)
        problems += self.js_errors
        self.js_errors.clear()
        results.errors.extend(f"{name}: {p}" for p in problems)


def tour(rounds: int) -> list[tuple[str, str]]:
    """The views of a session after its first: the other pages, then each further round all four."""
    return [view for round_ in range(rounds) for view in VIEWS[1:] + (VIEWS[:1] if round_ else [])]


async def rest(args, asked: float) -> None:
    """Before the next view: --every, until that many seconds after the last view was asked for;
    --pause, a rest after it was drawn."""
    await asyncio.sleep(max(0.0, asked + args.every - time.perf_counter()) if args.every else args.pause)


async def goto_in_app(page, path: str) -> None:
    """Another page in the same tab and session, as the sidebar's links (and Back/Forward) do."""
    await page.evaluate(
        "url => { history.pushState({}, '', url); dispatchEvent(new PopStateEvent('popstate', {state: {}})); }",
        path,
    )
    await asyncio.sleep(0.05)  # the rerun's request leaves before the first poll


async def one_session(
    browser, server: Server, sign_in: bool, args, results: Results, start: float = 0
) -> None:
    await asyncio.sleep(start)  # --ramp: people come into the room one after another
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = await context.new_page()
    page.set_default_timeout(args.timeout * 1000)
    tab = Tab(page)
    try:
        first_name, first_path = VIEWS[0]
        began = time.perf_counter()
        await page.goto(server.url + "/")  # a new tab: the app's files, a new session, its first run
        await tab.settle(args.timeout)
        results.views.setdefault(OPEN, []).append(time.perf_counter() - began)
        if sign_in:
            form = page.locator('[data-testid="stForm"]')
            await form.get_by_label("Tên đăng nhập").fill("leader")
            await form.get_by_label("Mật khẩu", exact=True).fill("demo")
            await asyncio.sleep(args.typing)  # a person types: the login page loads the pages' code meanwhile
            began = time.perf_counter()
            await form.locator('[data-testid="stFormSubmitButton"] button').click()
            await page.wait_for_selector(".st-key-login_username", state="detached")
        else:  # the overview again, as a page switch would run it
            began = time.perf_counter()
            await goto_in_app(page, first_path)
        await tab.settle(args.timeout)
        results.views.setdefault(first_name, []).append(time.perf_counter() - began)
        await tab.check(first_name, results)
        for name, path in tour(args.rounds):
            await rest(args, began)
            began = time.perf_counter()
            await goto_in_app(page, path)
            await tab.settle(args.timeout)
            results.views.setdefault(name, []).append(time.perf_counter() - began)
            await tab.check(name, results)
    except Exception as exc:  # a session that never settles counts as an error, the others go on
        results.errors.append(f"phiên dừng: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        results.received += tab.received
        await context.close()


async def one_light_session(server: Server, sign_in: bool, args, results: Results, start: float = 0) -> None:
    """The same session as one_session, over Streamlit's protocol without a browser (st_client): the
    server runs the same scripts and sends the same messages; nothing is drawn."""
    from benchmarks.st_client import Session

    await asyncio.sleep(start)
    session = Session(server.url, timeout=args.timeout)

    asked = [0.0]  # when the last view was asked for (--every counts from it)

    async def view(name: str, action) -> None:
        began = asked[0] = time.perf_counter()
        run = await action
        results.views.setdefault(name, []).append(time.perf_counter() - began)
        results.errors.extend(f"{name}: {e}" for e in run.errors)

    try:
        async with session:
            first_name, first_path = VIEWS[0]
            await view(OPEN, session.open("/"))
            if sign_in:
                await asyncio.sleep(args.typing)
                await view(first_name, session.submit({"Tên đăng nhập": "leader", "Mật khẩu": "demo"}))
            else:
                await view(first_name, session.goto(first_path))
            for name, path in tour(args.rounds):
                await rest(args, asked[0])
                await view(name, session.goto(path))
    except Exception as exc:
        results.errors.append(f"phiên dừng: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        results.received += session.received


async def browse(server: Server, sessions: int, sign_in: bool, args) -> Results:
    results = Results()
    if args.client == "protocol":
        await asyncio.gather(
            *(one_light_session(server, sign_in, args, results, i * args.ramp) for i in range(sessions))
        )
        return results
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            await asyncio.gather(
                *(
                    one_session(browser, server, sign_in, args, results, i * args.ramp)
                    for i in range(sessions)
                )
            )
        finally:
            await browser.close()
    return results


# ---- one phase: N sessions on one server ------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def read_runs(path: Path, since: float, until: float) -> dict[str, list[tuple[float, float]]]:
    runs: dict[str, list[tuple[float, float]]] = {}
    if not path.exists():
        return runs
    for line in path.read_text().splitlines():
        try:
            ended, page, wall, cpu = line.split("\t")
        except ValueError:
            continue
        if since <= float(ended) <= until:
            runs.setdefault(page, []).append((float(wall), float(cpu)))
    return runs


def start_upload(home: Path, work: Path) -> subprocess.Popen | None:
    """A unit's file loaded through the command line (read, validate, commit, refresh, publish).

    The police's October violations moved to November (an open month) under new record numbers,
    so each phase loads new rows instead of a duplicate."""
    source = home / "demo-files" / "don-vi" / "CAP" / "CAP_vi-pham_2026-10.csv"
    if not source.exists():
        return None
    tag = f"B{time.time_ns() % 10**8}"
    rows = []
    for i, line in enumerate(source.read_text(encoding="utf-8-sig").splitlines()):
        if i and "31/10/2026" in line:
            continue  # November has no 31st
        rows.append(
            line if i == 0 else line.replace("/10/2026", "/11/2026").replace("CA-2026-", f"CA-{tag}-")
        )
    copy = work / f"CAP_vi-pham_2026-11-{tag}.csv"
    copy.write_text("\n".join(rows) + "\n", encoding="utf-8")
    command = [*pinned(SERVER_CORE), sys.executable, "-m", "services.cli", "ingest", str(copy), "--feed",
               "violations", "--unit", "CAP", "--json"]  # fmt: skip
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    log = open(work / "upload.log", "ab")  # noqa: SIM115
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def phase(server: Server, sessions: int, sign_in: bool, args, home: Path | None, work: Path) -> dict:
    upload = start_upload(home, work) if home is not None and not args.no_upload else None
    cpu0, began = cpu_seconds(server.process.pid), time.time()
    sampler = Sampler(server.process.pid)
    sampler.start()
    results = asyncio.run(browse(server, sessions, sign_in, args))
    sampler.stopped.set()
    cpu = cpu_seconds(server.process.pid) - cpu0
    ended = time.time()
    upload_status = None
    if upload is not None:
        upload_status = "xong trong lúc đo" if upload.poll() is not None else "còn chạy khi đo xong"
        upload.wait()
    views = sum(len(v) for v in results.views.values())
    runs = read_runs(server.run_log, began, ended)
    all_runs = [wall for values in runs.values() for wall, _ in values]
    return {
        "sessions": sessions,
        "views": results.views,
        "runs": runs,
        "errors": results.errors,
        "cpu_per_view": cpu / views if views else float("nan"),
        "cpu": cpu,
        "view_count": views,
        "rss_mb": max(sampler.peak, rss_mb(server.process.pid)),
        "server_p50": quantile(all_runs, 0.50),
        "server_p95": quantile(all_runs, 0.95),
        "e2e_all": [t for name, v in results.views.items() if name != OPEN for t in v],
        "wall": ended - began,
        "upload": upload_status,
        "kb_per_view": results.received / 1024 / views if views else float("nan"),
    }


def fmt(x: float, digits: int = 2) -> str:
    if x != x:  # NaN
        return "—"
    return f"{x:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")


def report(name: str, p: dict) -> None:
    print(
        f"\n== {name}, {p['sessions']} phiên cùng lúc ({p['view_count']} lượt xem trong {fmt(p['wall'], 1)} s) =="
    )
    print(
        f"  {'Trang':<12} {'lượt':>5} {'p50 (s)':>9} {'p95 (s)':>9}   (đầu cuối: từ thao tác đến khi vẽ xong)"
    )
    for view, times in p["views"].items():
        print(f"  {view:<12} {len(times):>5} {fmt(quantile(times, 0.5)):>9} {fmt(quantile(times, 0.95)):>9}")
    print(
        f"  Phía máy chủ, mỗi lần chạy kịch bản:  {'trang':<14} {'lần':>4} {'p50 (s)':>8} {'p95 (s)':>8} {'CPU p50':>8}"
    )
    for page, values in sorted(p["runs"].items()):
        walls = [w for w, _ in values]
        cpus = [c for _, c in values]
        print(f"  {'':<36}{page:<14} {len(values):>4} {fmt(quantile(walls, .5)):>8} {fmt(quantile(walls, .95)):>8} "
              f"{fmt(quantile(cpus, .5)):>8}")  # fmt: skip
    print(f"  CPU máy chủ mỗi lượt xem: {fmt(p['cpu_per_view'], 3)} s (tổng {fmt(p['cpu'], 1)} s); "
          f"bộ nhớ lớn nhất: {fmt(p['rss_mb'], 0)} MB; gửi qua websocket mỗi lượt xem: {fmt(p['kb_per_view'], 0)} KB")  # fmt: skip
    if p["upload"]:
        print(f"  Nạp tệp song song: {p['upload']}")
    print(f"  Lỗi: {len(p['errors'])}")
    for error in p["errors"][:5]:
        print(f"    - {error}")


def ratios(base: dict, dash: dict) -> None:
    def r(a: float, b: float) -> str:
        return fmt(a / b) + "×" if b and b == b and a == a else "—"

    print(f"\n== Tỉ lệ bảng điều khiển / ứng dụng tối giản, {dash['sessions']} phiên ==")
    be, de = base["e2e_all"], dash["e2e_all"]  # every view but the opening of a new tab
    print(
        f"  Đầu cuối p50: {r(quantile(de, 0.5), quantile(be, 0.5))}   p95: {r(quantile(de, 0.95), quantile(be, 0.95))}"
    )
    switch_b = [t for v, ts in base["views"].items() if v not in (OPEN, VIEWS[0][0]) for t in ts]
    switch_d = [t for v, ts in dash["views"].items() if v not in (OPEN, VIEWS[0][0]) for t in ts]
    print(f"  Chuyển trang p50: {r(quantile(switch_d, .5), quantile(switch_b, .5))}   "
          f"p95: {r(quantile(switch_d, .95), quantile(switch_b, .95))}")  # fmt: skip
    print(
        f"  Phía máy chủ p50: {r(dash['server_p50'], base['server_p50'])}   p95: {r(dash['server_p95'], base['server_p95'])}"
    )
    print(f"  CPU máy chủ mỗi lượt xem: {r(dash['cpu_per_view'], base['cpu_per_view'])}")
    print(f"  Bộ nhớ máy chủ: {r(dash['rss_mb'], base['rss_mb'])}")
    print(f"  Dữ liệu gửi mỗi lượt xem (websocket): {r(dash['kb_per_view'], base['kb_per_view'])}")


def capacity(p: dict, args) -> None:
    """The verdict of --capacity: the load the server actually had, and its p95 per script run."""
    runs = sum(len(v) for v in p["runs"].values())
    verdict = "ĐẠT" if p["server_p95"] <= 2.0 and not p["errors"] else "CHƯA ĐẠT"
    print(f"\n== Sức chứa: {p['sessions']} phiên vào cách nhau {fmt(args.ramp, 0)} s, mỗi phiên một trang "
          f"mỗi {fmt(args.every, 0)} s ==")  # fmt: skip
    print(f"  Máy chủ chạy {runs} lần kịch bản trong {fmt(p['wall'], 0)} s "
          f"({fmt(60 * runs / p['wall'], 0)} lần mỗi phút), CPU {fmt(100 * p['cpu'] / p['wall'], 0)} % một lõi")  # fmt: skip
    print(f"  Phía máy chủ p50 {fmt(p['server_p50'])} s, p95 {fmt(p['server_p95'])} s (mục tiêu ≤ 2 s), "
          f"lỗi {len(p['errors'])}: {verdict}")  # fmt: skip


def build_demo(work: Path) -> Path:
    home = work / "ward"
    print(f"Tạo phường mẫu trong {home} (khoảng một phút)…", flush=True)
    env = {**os.environ, "DOTHIXANH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "services.cli", "demo"], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return home


def warm(server: Server, sign_in: bool, args) -> None:
    """One session first, not measured: the server's imports and first caches are not what people wait for.

    Then wait until the server's processes are idle (the dashboard's sandbox workers warm up Great
    Expectations in the background once, when the server starts): a long-running server has done it."""
    quiet = argparse.Namespace(**{**vars(args), "rounds": 1, "pause": 0.0, "every": 0.0, "ramp": 0.0})
    asyncio.run(browse(server, 1, sign_in, quiet))
    deadline = time.monotonic() + 120
    before = cpu_seconds(server.process.pid)
    while time.monotonic() < deadline:
        time.sleep(2)
        now = cpu_seconds(server.process.pid)
        if now - before < 0.1:  # under 5 % of a core for two seconds
            return
        before = now
    print("  (máy chủ vẫn bận sau 120 s chờ: đo luôn)")


def measure_server(kind: str, title: str, script: Path, env: dict, home, args, work) -> dict[int, dict]:
    """Start one server (the baseline app or the dashboard), warm it, measure each count of sessions."""
    dashboard = kind == "dashboard"
    server = start_server(kind, script, free_port(args.port), env, work)
    results: dict[int, dict] = {}
    try:
        warm(server, dashboard, args)
        for n in args.counts:
            results[n] = phase(server, n, dashboard, args, home, work)
            report(title, results[n])
    finally:
        server.stop()
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the servers are stopped too (finally)
    work = Path(tempfile.mkdtemp(prefix="dothixanh-sessions-"))
    pin = pinned(SERVER_CORE)
    if pin:
        os.sched_setaffinity(0, {BROWSER_CORE})  # this process and the browser it starts
        print(
            f"Máy chủ (và lệnh nạp tệp) chạy trên lõi {SERVER_CORE}, trình duyệt trên lõi {BROWSER_CORE} (taskset)."
        )
    else:
        print("Không ghim lõi CPU (máy một lõi hoặc không có taskset): máy chủ và trình duyệt dùng chung.")
    print(f"Tải hệ thống lúc bắt đầu: {' '.join(fmt(x) for x in os.getloadavg())} (1, 5, 15 phút)")
    print(f"Số liệu tạm và nhật ký: {work}")
    measured: dict[str, dict[int, dict]] = {"baseline": {}, "dashboard": {}}
    if args.only != "dashboard":
        measured["baseline"] = measure_server("baseline", "Ứng dụng tối giản", BASELINE, {}, None, args, work)
    if args.only != "baseline":
        home = args.home or build_demo(work)
        script = ROOT / "dashboard" / "server.py"
        env = {"DOTHIXANH_HOME": str(home)}
        measured["dashboard"] = measure_server("dashboard", "Bảng điều khiển", script, env, home, args, work)
        log = (work / "dashboard-server.log").read_text(errors="replace")
        print(
            f"\nCảnh báo «missing ScriptRunContext» trong nhật ký máy chủ: {log.count('missing ScriptRunContext')}"
        )
    for n in args.counts:
        if n in measured["baseline"] and n in measured["dashboard"]:
            ratios(measured["baseline"][n], measured["dashboard"][n])
    if args.capacity and measured["dashboard"]:
        capacity(measured["dashboard"][max(measured["dashboard"])], args)
    print(f"\nTải hệ thống lúc kết thúc: {' '.join(fmt(x) for x in os.getloadavg())} (1, 5, 15 phút)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
