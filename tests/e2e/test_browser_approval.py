"""The approval buttons in the browser: a clerk submits at 1366 px, the leader approves on a phone, and an
admin's lock is refused while another unit's report of the month is not yet approved.

Uses the marts ward's September violations: CAP's arrived 03/10/2026 ("đã nhận"); KTHT's arrived 04/10/2026
and nobody approves it here, so it stays "đã nhận".
"""

from __future__ import annotations

from conftest import PHONE, _signed_in

from warehouse.accounts import Accounts

LAPTOP = {"width": 1366, "height": 768}
ADMIN = {"username": "quantri.e2e", "password": "mat-khau-qt-2026", "full_name": "Quản trị phường"}
PAGE = "/bao-cao"
PERIOD = {"period": "2026-09"}


def buttons(tab) -> set[str]:
    found = set()
    for action in ("submit", "approve", "return", "lock", "reopen"):
        if tab.page.locator(f".st-key-approval_{action} button").count():
            found.add(action)
    return found


def state(tab) -> str:
    return tab.page.get_by_text("Trạng thái báo cáo:").first.inner_text()


def click(tab, action: str) -> None:
    tab.wait_idle()
    button = tab.page.locator(f".st-key-approval_{action} button")
    button.scroll_into_view_if_needed()
    tab.rerun_after(button.click)
    tab.wait_idle()


def test_submit_approve_and_lock_from_the_completeness_page(ward_home, people, other_browser, server):
    accounts = Accounts(ward_home)
    if accounts.get(ADMIN["username"]) is None:
        accounts.add_user(ADMIN["username"], ADMIN["password"], "admin", full_name=ADMIN["full_name"])

    clerk = _signed_in(other_browser(LAPTOP), server, user=people["clerks"]["CAP"], lands_on="Gửi số liệu")
    clerk.open(PAGE, **PERIOD)
    clerk.assert_no_error()
    assert buttons(clerk) == {"submit"}
    assert "Đã nhận" in state(clerk)
    click(clerk, "submit")
    clerk.assert_no_error()
    assert clerk.page.get_by_text("Đã gửi duyệt báo cáo tháng 09/2026").count() == 1
    assert "Đã gửi duyệt" in state(clerk)
    clerk.screenshot("duyet-don-vi-gui-1366")

    leader = _signed_in(other_browser(PHONE), server, user=people["leader"])
    leader.open(PAGE, **PERIOD)
    assert buttons(leader) == {"approve", "return"}
    click(leader, "approve")
    leader.assert_no_error()
    assert "Đã duyệt" in state(leader)
    width = leader.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width} px"
    leader.screenshot("duyet-lanh-dao-390")

    admin = _signed_in(other_browser(LAPTOP), server, user=ADMIN)
    admin.open(PAGE, **PERIOD)
    assert buttons(admin) == {"submit", "approve", "return", "lock", "reopen"}
    click(admin, "reopen")  # no reason given: refused, said plainly
    assert admin.page.get_by_text("Hãy ghi lý do mở khóa").count() >= 1
    click(admin, "lock")  # KTHT's September report is received, not approved: no lock yet
    assert admin.page.get_by_text("KTHT (đã nhận)").count() >= 1
    assert "Đã duyệt" in state(admin)
    admin.screenshot("duyet-quan-tri-1366")
