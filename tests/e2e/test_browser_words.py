"""No English left in Vietnamese mode, in the browser (issue 10, item 8): every page of every role,
read as the user sees it (the page's text with what CSS hides left out), at 1366 px, and the clerk's
upload page at 390 px. AppTest reads every table cell (tests/dashboard/test_plain_vietnamese.py);
this walk sees what only a browser draws: the file uploader's own words, Streamlit's toolbar.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import _context, _signed_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboard"))

from plain_words import leaks

from dashboard.auth import ROLE_PAGES
from warehouse.accounts import Accounts

ADMIN = {"username": "quantri", "password": "mat-khau-qt-2026", "full_name": "Quản trị hệ thống"}
PATHS = {
    "overview": "/tong-quan",
    "group": "/to-dan-pho",
    "evaluations": "/danh-gia",
    "completeness": "/bao-cao",
    "trace": "/truy-nguyen",
    "upload": "/gui-so-lieu",
    "history": "/lich-su",
    "sql": "/sql",
    "dictionary": "/tu-dien",
    "admin": "/quan-tri",
    "scorecard": "/bang-diem",
    "indicator": "/chi-tieu",
}
PAGES_WITH_CODES = {"sql", "dictionary"}
# The uploader's words as drawn: its own spans are hidden and the app's are drawn by CSS (::after).
UPLOADER = """() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')].map(zone => {
    const button = zone.querySelector('button [data-testid="stMarkdownContainer"]');
    const hint = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div');
    return {
        button: button ? getComputedStyle(button, '::after').content : '',
        hint: hint ? getComputedStyle(hint, '::after').content : '',
        text: zone.innerText,
    };
})"""
# Material icons are drawn from their names (ligatures): those names are not words anyone reads.
VISIBLE_TEXT = """() => {
    // An alert's icon (st.warning(icon=":material/…:")) is drawn the same way, under its own test id.
    const icons = new Set([...document.querySelectorAll(
        '[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"]')]
        .map(i => i.innerText.trim()));
    return ['[data-testid="stMain"]', '[data-testid="stSidebar"]', '[data-testid="stHeader"]']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => e.innerText).join('\\n')
        .split('\\n').filter(line => !icons.has(line.trim())).join('\\n');
}"""


@pytest.fixture(scope="module")
def accounts(ward_home, people):
    Accounts(ward_home).add_user(
        ADMIN["username"], ADMIN["password"], "admin", full_name=ADMIN["full_name"], replace=True
    )
    return {
        "leader": (people["leader"], "Tổng quan phường"),
        "unit": (people["clerks"]["CAP"], "Gửi số liệu"),
        "analyst": (people["analyst"], "Tổng quan phường"),
        "admin": (ADMIN, "Tổng quan phường"),
    }


def _check_page(tab, page: str) -> list[str]:
    problems = []
    text = tab.page.evaluate(VISIBLE_TEXT)
    for line in text.splitlines():
        if page in PAGES_WITH_CODES and re.fullmatch(r"[a-z0-9_.]+", line.strip()):
            continue  # a table's name in the schema browser: for analysts writing SQL, the subject
        if bad := leaks(line, codes=page not in PAGES_WITH_CODES):
            problems.append(f"{page}: {bad} in {line[:100]!r}")
    for zone in tab.page.evaluate(UPLOADER):
        if "Chọn tệp" not in zone["button"] or "Kéo thả tệp" not in zone["hint"]:
            problems.append(f"{page}: the uploader's words are not Vietnamese: {zone}")
    if tab.page.get_by_role("button", name="Deploy").count():
        problems.append(f"{page}: Streamlit's Deploy button shows")
    if tab.page.locator('[data-testid="stMainMenu"]').is_visible():
        problems.append(f"{page}: Streamlit's menu shows")
    return problems


@pytest.mark.parametrize("role", ["leader", "unit", "analyst", "admin"])
def test_every_page_of_every_role_is_vietnamese(role, accounts, browser, server):
    user, lands_on = accounts[role]
    context = _context(browser, {"width": 1366, "height": 900})
    try:
        tab = _signed_in(context, server, user=user, lands_on=lands_on)
        problems = []
        for page in ROLE_PAGES[role]:
            tab.open(PATHS[page])
            tab.assert_no_error()
            problems += _check_page(tab, page)
            if page in ("upload", "admin", "history", "sql") or (role, page) == ("leader", "overview"):
                tab.screenshot(f"tieng-viet-{role}-{page}-1366")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_the_clerks_upload_page_on_a_phone(accounts, browser, server):
    user, lands_on = accounts["unit"]
    context = _context(browser, {"width": 390, "height": 844})
    try:
        tab = _signed_in(context, server, user=user, lands_on=lands_on)
        problems = _check_page(tab, "upload")
        tab.screenshot("tieng-viet-unit-upload-390")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
