"""`dothixanh serve` as a service manager runs it: it becomes Streamlit, and SIGTERM stops it.

The server is started the way systemd starts it (`python -m services.cli serve`, from another
working directory), sessions sign in and open pages with tables, then it gets SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import _free_port, _healthy

from warehouse.accounts import Accounts

ROOT = Path(__file__).resolve().parents[2]
LEADER = ("lanhdao", "mat-khau-serve-2026")
STARTUP_S = 120  # generous: the first start imports Streamlit, Polars and DuckDB on a busy machine
STOP_S = 10  # a service manager's stop: measured 1-5 s with six busy sessions on two cores
OPEN_CLIENT_STOP_S = 10


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _wait_exit(process: subprocess.Popen, seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    return process.poll()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(c) for c in children)
    return found


@pytest.fixture
def served(warehouse, ingest_fixture, tmp_path):
    """`dothixanh serve` on a free port over the fixture ward (one violations file, a leader)."""
    assert ingest_fixture(warehouse, "violations/utf8_comma.csv", feed="violations", unit_code="CAP").ok
    Accounts(warehouse.home).add_user(*LEADER, "leader", full_name="Lãnh đạo phường")
    port = _free_port()
    elsewhere = tmp_path / "cwd"  # systemd starts it from / ; the config must not depend on the cwd
    elsewhere.mkdir()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "--home",
                str(warehouse.home),
                "serve",
                "--port",
                str(port),
            ],
            cwd=elsewhere,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _healthy(url, timeout=2):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start:\n{log_path.read_text(errors='replace')}", pytrace=False)
            time.sleep(0.2)
        yield process, url, port, log_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# serve runs dashboard/server.py (st.App) under uvicorn, which shuts down gracefully on SIGTERM and then
# re-raises the signal: the exit status is "terminated by SIGTERM", which systemd counts as a clean stop
# (Restart=on-failure does not restart it). 0 is what the plain Streamlit server returned.
CLEAN_STOP = (0, -signal.SIGTERM)


def _sign_in(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(url)
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=60_000)
    form.get_by_label("Tên đăng nhập").fill(LEADER[0])
    form.get_by_label("Mật khẩu", exact=True).fill(LEADER[1])
    form.locator('[data-testid="stFormSubmitButton"] button').click()
    page.get_by_role("heading", name="Tổng quan phường").wait_for(timeout=60_000)
    return context, page


def _open(page, path: str) -> None:
    """Open a page of the app in the same session (as the browser's Back/Forward does)."""
    page.evaluate(
        "u => { history.pushState({}, '', u); dispatchEvent(new PopStateEvent('popstate', {state: {}})); }",
        path,
    )


def test_serve_is_streamlit_and_stops_on_sigterm_after_sessions(served, browser):
    process, url, port, log_path = served
    # The PID a service manager started is the Streamlit server itself, with no server child.
    cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
    assert b"streamlit" in cmdline and b"run" in cmdline, cmdline
    # Its only children are the warm sandbox workers that read uploads (started with the server).
    others = [
        child
        for child in _children(process.pid)
        if b"pipelines.sandbox_worker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]
    assert others == []

    contexts = []
    for _ in range(3):  # several sessions, each with pages whose tables are formatted
        context, page = _sign_in(browser, url)
        contexts.append(context)
        # The dashboard's config (dashboard/.streamlit/config.toml) is in force: no Deploy button.
        assert page.get_by_role("button", name="Deploy").count() == 0
        for path in ("/to-dan-pho", "/bao-cao", "/tong-quan"):
            _open(page, path)
    # Sessions are still connected (and possibly running) when the stop comes.
    process.send_signal(signal.SIGTERM)
    code = _wait_exit(process, STOP_S)
    log = log_path.read_text(errors="replace")
    assert code is not None, f"still running {STOP_S} s after SIGTERM:\n{log[-3000:]}"
    assert code in CLEAN_STOP, log[-3000:]
    assert _port_free(port)
    assert "missing ScriptRunContext" not in log  # nothing calls Streamlit from Polars' thread pool
    for context in contexts:
        context.close()


def test_serve_stops_on_sigterm_right_after_start(served):
    process, _, port, log_path = served
    process.send_signal(signal.SIGTERM)
    code = _wait_exit(process, OPEN_CLIENT_STOP_S)
    assert code in CLEAN_STOP, log_path.read_text(errors="replace")[-3000:]
    assert _port_free(port)
