"""A clerk declares «Không có số liệu phát sinh» on the upload page, in a real browser (issue 9, item 1).

The clerk of DTN (Đoàn Thanh niên, sends cleanups only) never sent September 2026 on the session's
ward: at 1366 px and at 390 px the clerk picks September in «Tháng báo cáo» and presses the button;
the month counts as received. The second press, on the phone, is told it was already declared.
Nothing else in the ward changes (no other test reads DTN's September).
"""

from __future__ import annotations

import duckdb
import pytest

from warehouse.accounts import Accounts

UPLOAD_PAGE = "Gửi số liệu"
CLERK = {"username": "vanthu.dtn", "password": "mat-khau-dtn-2026", "full_name": "Văn thư Đoàn Thanh niên"}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _received(ward_home) -> tuple:
    con = duckdb.connect(str((ward_home / "snapshot.duckdb").resolve()), read_only=True)
    try:
        return con.sql(
            "SELECT received, nothing_to_report FROM reporting_completeness "
            "WHERE unit_code = 'DTN' AND feed = 'cleanups' AND month_key = '2026-09'"
        ).fetchall()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def dtn_clerk(ward_home) -> dict:
    Accounts(ward_home).add_user(
        CLERK["username"], CLERK["password"], "unit", unit_code="DTN", full_name=CLERK["full_name"]
    )
    return CLERK


def _pick_september(tab) -> None:
    page = tab.page
    box = page.locator(".st-key-nothing_box")
    box.scroll_into_view_if_needed()
    page.locator(".st-key-report_month input").click()  # opens the list; no rerun yet
    option = page.get_by_role("option", name="09/2026", exact=True)
    option.wait_for()
    tab.rerun_after(lambda: option.click())
    assert tab.selected("report_month") == "09/2026"


def _fits(tab, selector: str) -> None:
    """The element is inside the window's width, its text not cut off."""
    sizes = tab.page.evaluate(
        """s => { const e = document.querySelector(s); const r = e.getBoundingClientRect();
            return {right: r.right, width: innerWidth, scroll: e.scrollWidth, client: e.clientWidth}; }""",
        selector,
    )
    assert sizes["right"] <= sizes["width"] + 1 and sizes["scroll"] <= sizes["client"] + 1, sizes


def test_clerk_declares_nothing_to_report_at_1366_and_390(dtn_clerk, ward_home, sign_in_as, other_browser):
    assert _received(ward_home) == (False, False)
    laptop = sign_in_as(dtn_clerk, lands_on=UPLOAD_PAGE, context=other_browser(LAPTOP))
    box = laptop.page.locator(".st-key-nothing_box")
    assert "Không có số liệu phát sinh?" in box.inner_text()
    assert "«Ra quân vệ sinh môi trường»" in box.inner_text()  # the clerk's only feed
    _pick_september(laptop)
    _fits(laptop, ".st-key-nothing_box")
    laptop.screenshot("khong-co-so-lieu-1366")
    laptop.rerun_after(lambda: laptop.page.locator(".st-key-nothing_to_report button").click())
    laptop.assert_no_error()
    done = laptop.page.locator('[data-testid="stAlertContentSuccess"]')
    assert "Đã ghi nhận «Không có số liệu phát sinh» tháng 09/2026" in done.inner_text()
    laptop.screenshot("khong-co-so-lieu-da-ghi-nhan-1366")
    # The published snapshot follows the load; poll for it rather than for the clock.
    deadline = laptop.page.evaluate("() => Date.now()") + laptop.load_patience * 1000
    while _received(ward_home) != (True, True):
        assert laptop.page.evaluate("() => Date.now()") < deadline, _received(ward_home)
        laptop.page.wait_for_timeout(200)

    phone = sign_in_as(dtn_clerk, lands_on=UPLOAD_PAGE, context=other_browser(PHONE))
    _pick_september(phone)
    _fits(phone, ".st-key-nothing_box")
    _fits(phone, ".st-key-nothing_to_report")
    phone.rerun_after(lambda: phone.page.locator(".st-key-nothing_to_report button").click())
    phone.assert_no_error()
    again = phone.page.locator('[data-testid="stAlertContentInfo"]').last
    assert "đã được khai báo «Không có số liệu phát sinh» trước đây" in again.inner_text()
    phone.screenshot("khong-co-so-lieu-390")
