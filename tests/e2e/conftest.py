"""Browser tests: the dashboard served by `streamlit run`, driven in Debian's headless Chromium by Playwright.

One ward, one server and one browser for the whole session. The ward is the
hand-made marts ward (tests/fixtures/marts/) plus one extra violations file
whose note and address hold HTML, so the pages can be checked for showing
uploaded text as text, and a leader's account.

A sign-in lasts until signing out or idling: the server keeps the session and
the browser a signed HttpOnly cookie, so a reload or a new tab of the same
browser stays signed in (tests/e2e/test_browser_session.py). Each screen size
gets one tab that signs in once through the form; pages are then opened in that
tab the way the browser's own history does it (pushState and popstate, as
Back/Forward), which keeps the Streamlit session and sends the page and its
query string to the app. A tab that must start signed out (`fresh_tab`,
`sign_in_as`) is opened after dropping the browser's session cookie: tabs
already open keep their own sessions.

Chromium comes from Debian (`apt-get install chromium`, see the Makefile's
`browsers` step), never from `playwright install`, which downloads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from marts_ward import TODAY, marts_ward_once

from pipelines.ingest import ingest
from warehouse.accounts import Accounts
from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "server.py"  # the app and the routes of the session cookie, as `serve` runs it
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
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
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}

# How long any wait may last before it is a failure. Every wait polls for its condition and returns as
# soon as it holds, so this ceiling costs nothing on a quiet machine; it is generous because a busy one
# (both cores taken by something else) can make a Streamlit rerun take tens of seconds. It is also
# Playwright's default for every action (click, fill, goto, wait_for) in the session's tabs.
PATIENCE = 120  # seconds
# A load (read, validate, commit, refresh the marts, publish) waits longer still.
LOAD_PATIENCE = 240  # seconds

# The extra violations file: text a careless or malicious clerk could type into a note.
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_NOTE = f"{XSS_SCRIPT} <b>đậm</b>"
XSS_ADDRESS = "<b>đậm</b> 9 Lạch Tray"
XSS_RECORD = {
    "record_id": "X01",
    "unit_code": "KTHT",
    "detected_on": "2026-10-22",
    "group_code": "TDP02",
    "category": "illegal_advertising",
    "action": "reminder",
    "fine_vnd": "",
    "resolved_on": "2026-10-22",
    "address": XSS_ADDRESS,
    "note": XSS_NOTE,
}
XSS_PERIOD = "2026-10"

# The leader who signs in (accounts live in the ward's home; the login form is the front door).
LEADER = {"username": "lanhdao", "password": "mat-khau-e2e-2026", "full_name": "Lãnh đạo phường"}
# Clerks of two units that both send violations (tests/fixtures/marts/units.csv), and an analyst.
CLERKS = {
    "CAP": {"username": "vanthu.cap", "password": "mat-khau-cap-2026", "full_name": "Văn thư Công an phường"},
    "KTHT": {"username": "vanthu.ktht", "password": "mat-khau-ktht-2026", "full_name": "Văn thư Phòng KT-HT"},
}
ANALYST = {"username": "phantich", "password": "mat-khau-pt-2026", "full_name": "Chuyên viên phân tích"}

# What every tab of the session did: pages opened, and requests that tried to leave the machine.
BROWSED: dict[str, list[str]] = {"opened": [], "outside": []}


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _require_browser() -> None:
    """Skip (or, on CI, fail) with a plain reason when Chromium or Playwright is not installed."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing (run `make browsers`, i.e. apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is missing (pip install -r requirements.lock)")
    if problems:
        message = "browser tests need Debian's Chromium and Playwright: " + "; ".join(problems)
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def browser_installed() -> None:
    _require_browser()


@pytest.fixture(scope="session")
def uploaded_html() -> dict:
    """The extra violations row whose note and address hold HTML, and where it shows."""
    return {
        "record": XSS_RECORD,
        "script": XSS_SCRIPT,
        "note": XSS_NOTE,
        "address": XSS_ADDRESS,
        "trace_query": {
            "period": XSS_PERIOD,
            "group": XSS_RECORD["group_code"],
            "indicator": "violations_per_1000_residents",
        },
    }


@pytest.fixture(scope="session")
def ward_home(tmp_path_factory, browser_installed) -> Path:
    """The marts fixture ward, plus one violations file whose note and address hold HTML."""
    home = marts_ward_once(tmp_path_factory, tmp_path_factory.mktemp("e2e") / "home")
    warehouse = Warehouse(home)
    header = ",".join(XSS_RECORD)
    row = ",".join(_quoted(v) if v else "" for v in XSS_RECORD.values())
    result = ingest(
        warehouse,
        f"{header}\n{row}\n".encode(),
        feed="violations",
        unit_code=XSS_RECORD["unit_code"],
        file_name="KTHT_violations_2026-10_bo-sung.csv",
        received_at=dt.datetime(2026, 11, 13, 9, 0),
        today=TODAY,
    )
    assert result.status == "loaded" and result.rows_accepted == 1, result.to_json()
    accounts = Accounts(home)
    accounts.add_user(LEADER["username"], LEADER["password"], "leader", full_name=LEADER["full_name"])
    for unit, clerk in CLERKS.items():
        accounts.add_user(
            clerk["username"], clerk["password"], "unit", unit_code=unit, full_name=clerk["full_name"]
        )
    accounts.add_user(ANALYST["username"], ANALYST["password"], "analyst", full_name=ANALYST["full_name"])
    return home


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str, timeout: float = 10) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serving(home: Path, log_path: Path, **env_overrides: str):
    """`streamlit run dashboard/server.py` on a free local port for the ward in `home`; its base URL."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",  # files edited during the run must not prompt "source changed" in the pages
        "--browser.gatherUsageStats",
        "false",
    ]
    # Analysts' queries: room for a busy machine to start their worker process.
    # One warm sandbox worker (the product starts two): each costs about 11 s of CPU to start, and the
    # browser tests send few files; two files at once still both load, one after the other.
    defaults = {"DOTHIXANH_SQL_TIMEOUT": "300", "DOTHIXANH_SANDBOX_WORKERS": "1"}
    env = {**defaults, **os.environ, "DOTHIXANH_HOME": str(home), **env_overrides}
    with running(command, env, port, log_path) as url:
        yield url


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], port: int, log_path: Path, what: str = "streamlit"):
    """`command` (a Streamlit server on `port`) started from the repository with `env`, its output in
    `log_path`, until its health check answers; its base URL. Stopped at the end."""
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 2 * PATIENCE  # Streamlit imports for seconds; more when busy
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"{what} did not start:\n{log_path.read_text(errors='replace')}", pytrace=False
                    )
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def server(ward_home: Path, tmp_path_factory) -> str:
    """The dashboard served for the whole session; its base URL."""
    with serving(ward_home, tmp_path_factory.mktemp("e2e-server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser(browser_installed):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class Dashboard:
    """One browser tab on the dashboard, with the waits and checks every page needs."""

    patience = PATIENCE  # seconds: the ceiling of a wait (tests read it here, not from conftest)
    load_patience = LOAD_PATIENCE  # seconds: the ceiling of a wait for a load to finish

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []  # uncaught JavaScript errors since the last page opened
        self.outside: list[str] = []  # requests that tried to leave the machine
        # What the server says about this tab's script runs, read from its websocket (the browser's
        # own "running" marks can be skipped when a busy browser renders several messages at once).
        self.runs_finished = 0  # runs that ended for good (not stopped early for a rerun)
        self.running = False  # a run has started, or is about to, and has not ended for good
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("websocket", self._watch_session)

    def _watch_session(self, websocket) -> None:
        self.running = True  # a new session: its first run is coming
        websocket.on("framereceived", self._server_message)

    def _server_message(self, payload) -> None:
        from google.protobuf.message import DecodeError
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        message = ForwardMsg()
        try:
            message.ParseFromString(payload)
        except DecodeError:
            return
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.running = True
        elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.runs_finished += 1
            self.running = False

    def _wait_server(self, finished_before: int, timeout: float) -> None:
        """Until the server has ended, for good, a run that began after `finished_before` runs."""
        deadline = time.monotonic() + timeout
        while self.running or self.runs_finished <= finished_before:
            if time.monotonic() > deadline:
                raise AssertionError(f"the app's script did not finish its run in {timeout} s")
            self.page.wait_for_timeout(100)  # also lets Playwright deliver the websocket's messages

    def load(self, path: str = "/", **query) -> Dashboard:
        """Type the address into a new tab: a new Streamlit session, not signed in."""
        url = self.base_url + path + (f"?{urlencode(query)}" if query else "")
        BROWSED["opened"].append(url)
        self.errors.clear()
        finished = self.runs_finished
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stApp"]')
        self._wait_server(finished, PATIENCE)
        self.wait_idle()
        return self

    def sign_in(self, username: str = LEADER["username"], password: str = LEADER["password"]) -> None:
        """Fill in and send the login form shown now."""
        form = self.page.locator('[data-testid="stForm"]')
        form.get_by_label("Tên đăng nhập").fill(username)
        form.get_by_label("Mật khẩu", exact=True).fill(password)
        self.rerun_after(lambda: form.locator('[data-testid="stFormSubmitButton"] button').click())
        # Signing in ends with a rerun onto the role's page: wait for that page, not for the clock.
        signed_in = """() => !document.querySelector('.st-key-login_username')
            || !!document.querySelector('[data-testid="stAlertContentError"]')"""
        self.page.wait_for_function(signed_in)
        self.wait_idle()

    def open(self, path: str = "/", **query) -> Dashboard:
        """Go to a page of the app in this signed-in tab, as Back/Forward would: same session."""
        url = path + (f"?{urlencode(query)}" if query else "")
        BROWSED["opened"].append(self.base_url + url)
        self.errors.clear()
        self.rerun_after(
            lambda: self.page.evaluate(
                """url => {
                    history.pushState({}, '', url);
                    dispatchEvent(new PopStateEvent('popstate', {state: {}}));
                }""",
                url,
            )
        )
        return self

    def ensure(self, path: str, **query) -> Dashboard:
        """Open that page unless this tab shows it already (with those choices in the address)."""
        here = urlsplit(self.page.url)
        params = dict(parse_qsl(here.query))
        if here.path == path and all(params.get(k) == v for k, v in query.items()):
            return self
        return self.open(path, **query)

    def rerun_after(self, action, timeout: float = PATIENCE) -> None:
        """Do something that makes the app run its script, and wait until that run is over."""
        finished = self.runs_finished
        action()
        self._wait_server(finished, timeout)
        self.wait_idle(timeout)

    def wait_idle(self, timeout: float = PATIENCE) -> None:
        """Until the script has finished its run and nothing shows it running (polled, not slept)."""
        state = """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return {
                script: app ? app.getAttribute('data-test-script-state') : null,
                status: !!document.querySelector('[data-testid="stStatusWidget"]'),
                skeleton: !!document.querySelector('[data-testid="stSkeleton"]'),
            };
        }"""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 3:  # three quiet polls in a row: a rerun queued by a widget would show in between
            now = self.page.evaluate(state)
            idle = (
                not self.running
                and now["script"] == "notRunning"
                and not now["status"]
                and not now["skeleton"]
            )
            quiet = quiet + 1 if idle else 0
            if time.monotonic() > deadline:
                raise AssertionError(f"the page did not settle in {timeout} s: {now}")
            self.page.wait_for_timeout(100)

    def assert_no_error(self) -> None:
        exceptions = self.page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        alerts = self.page.locator('[data-testid="stAlertContentError"]')
        assert alerts.count() == 0, alerts.first.inner_text()
        assert not self.errors, self.errors
        lost = self.page.locator('[role="dialog"]').filter(has_text="Page not found")  # Streamlit's English
        assert lost.count() == 0, f"{self.page.url}: {lost.first.inner_text()}"

    def wait_charts_drawn(self, at_least: int = 1, timeout: float = PATIENCE) -> int:
        """Every plotly chart on the page has drawn its SVG with data in it; how many there are."""
        drawn = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
            const plot = chart.querySelector('.js-plotly-plot');
            const svg = plot && plot.querySelector('.main-svg');
            const data = svg && plot.querySelector('.main-svg .trace, .main-svg .hm');
            return !!(svg && data && svg.getBoundingClientRect().width > 0);
        })"""
        deadline = time.monotonic() + timeout
        while True:
            charts = self.page.evaluate(drawn)
            if len(charts) >= at_least and all(charts):
                return len(charts)
            if time.monotonic() > deadline:
                raise AssertionError(f"charts not drawn (need {at_least}): {charts}")
            self.page.wait_for_timeout(100)

    def next_frame(self) -> None:
        """Until the browser has painted what changed (two animation frames)."""
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def screenshot(self, name: str) -> Path:
        """The whole page as a user scrolls through it: Streamlit scrolls inside its main element,
        so the viewport is made as tall as that content for the picture, then put back."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate(
            """() => Math.max(
                ...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]', 'body']
                    .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""
        )
        self.page.set_viewport_size(
            {"width": size["width"], "height": min(max(height, size["height"]), 12000)}
        )
        try:
            self.page.mouse.move(0, 0)  # no hover effects (table toolbars, heading anchors) in the picture
            self.wait_idle()
            self.next_frame()
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)
        return path

    def screenshot_of(self, locator, name: str) -> Path:
        """One element as it shows now."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        locator.screenshot(path=str(path))
        return path

    def title(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    def choose_file(self, name: str, content: bytes, mime: str, uploader: str = "stFileUploader") -> None:
        """Pick a file the way a user does: click the uploader's button, answer the file chooser."""
        button = self.page.locator(f'[data-testid="{uploader}"] [data-testid="stBaseButton-secondary"]')
        with self.page.expect_file_chooser() as chooser:
            button.first.click()
        file = {"name": name, "mimeType": mime, "buffer": content}
        self.rerun_after(lambda: chooser.value.set_files(files=[file]))

    def metrics(self) -> dict[str, str]:
        """Every st.metric on the page: label → value as shown."""
        return self.page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
                m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                m.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
            ]))"""
        )

    def selected(self, key: str) -> str:
        """What the selectbox with that widget key shows."""
        return self.page.locator(f".st-key-{key} input").input_value()

    def download(self, button_key: str):
        """Click the download button with that widget key; the saved file's bytes and its name."""
        self.wait_idle()  # a click during a rerun can land on a button about to be replaced
        with self.page.expect_download(timeout=PATIENCE * 1000) as info:
            self.page.locator(f".st-key-{button_key} button").click()
        download = info.value
        assert download.failure() is None, download.failure()
        data = Path(download.path()).read_bytes()
        self.wait_idle()
        return data, download.suggested_filename


def _context(browser, viewport: dict):
    # One context per screen size for the session: its tabs share the HTTP cache (Streamlit's
    # scripts load once).
    context = browser.new_context(
        viewport=viewport, accept_downloads=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(PATIENCE * 1000)  # every click, fill, goto and wait_for in its tabs
    context.set_default_navigation_timeout(PATIENCE * 1000)
    return context


SESSION_COOKIE = "dothixanh_session"


def _tab(context, server: str, *, signed_out: bool = True) -> Dashboard:
    """A new tab; unless told otherwise, the browser forgets its sign-in first (open tabs keep theirs)."""
    if signed_out:
        context.clear_cookies(name=SESSION_COOKIE)
    page = context.new_page()
    tab = Dashboard(page, server)

    def local_only(route):
        # A ward's office may be offline: note (and refuse) anything the pages fetch from elsewhere.
        if route.request.url.startswith(server):
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            BROWSED["outside"].append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    return tab


def _signed_in(
    context,
    server: str,
    screenshot: str | None = None,
    *,
    user: dict = LEADER,
    lands_on: str = "Tổng quan phường",
) -> Dashboard:
    """A new tab signed in through the form as that user, on the page the role lands on."""
    tab = _tab(context, server).load("/")
    assert tab.title() == "Đăng nhập", tab.title()
    if screenshot:
        tab.screenshot(screenshot)
    tab.sign_in(user["username"], user["password"])
    tab.assert_no_error()
    assert tab.title() == lands_on, tab.title()
    return tab


@pytest.fixture(scope="session")
def browsed() -> dict[str, list[str]]:
    """Every page the session's tabs opened and every request they tried to send elsewhere."""
    return BROWSED


@pytest.fixture(scope="session")
def desktop(browser):
    context = _context(browser, DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="session")
def desktop_tab(desktop, server) -> Dashboard:
    return _signed_in(desktop, server, screenshot="dang-nhap")


@pytest.fixture
def dashboard(desktop_tab) -> Dashboard:
    """The leader's signed-in tab at desktop size (1400 × 900)."""
    return desktop_tab


@pytest.fixture
def fresh_tab(desktop, server):
    """A new tab at desktop size, not signed in."""
    tab = _tab(desktop, server)
    yield tab
    tab.page.close()


@pytest.fixture(scope="session")
def people() -> dict:
    """The accounts of the ward: the leader, the clerks by unit code, the analyst."""
    return {"leader": LEADER, "clerks": CLERKS, "analyst": ANALYST}


@pytest.fixture
def sign_in_as(desktop, server):
    """A new tab signed in through the form as someone: `sign_in_as(user, lands_on, context=None)`.

    Tabs open in the desktop context unless given another (a second browser); they close after the test.
    """
    tabs: list[Dashboard] = []

    def sign_in(user: dict, lands_on: str, context=None, screenshot: str | None = None) -> Dashboard:
        tab = _signed_in(context or desktop, server, screenshot, user=user, lands_on=lands_on)
        tabs.append(tab)
        return tab

    yield sign_in
    for tab in tabs:
        tab.page.close()


@pytest.fixture
def other_browser(browser):
    """Another browser window of its own (cookies, cache, sessions), at desktop size unless given another
    viewport; closed after the test."""
    contexts = []

    def make(viewport: dict = DESKTOP):
        context = _context(browser, viewport)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def phone(browser, server) -> Dashboard:
    """The leader's signed-in tab at phone width (390 px)."""
    context = _context(browser, PHONE)
    yield _signed_in(context, server)
    context.close()
