"""The city's view in the browser (issue 13 item 4), served by `dothixanh city serve` as a city office
would run it: a city account signs in; the wards ranked, one indicator across the wards, a ward down to
its groups, at 1366 and 390 px; a ward's account is refused. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import PHONE, ROOT, _context, _free_port, _tab, running

from warehouse.accounts import Accounts

CITY_USER = {"username": "canbo.thongke", "password": "mat-khau-tp-2026"}
WARD_USER = {"username": "lanhdao.phuong", "password": "mat-khau-phuong-2026"}
SIZES = {"1366": {"width": 1366, "height": 900}, "390": PHONE}


@pytest.fixture(scope="module")
def city_url(ward_home, tmp_path_factory):
    """The three-ward fixture city (tests/warehouse/city_ward.py) on the e2e ward, refreshed and served."""
    from city_ward import build_city

    from warehouse.city.refresh import refresh_city

    city = build_city(ward_home, tmp_path_factory.mktemp("e2e-city"))
    marts = city["root"] / "marts"
    refresh_city(city["store"], marts)
    accounts = Accounts(marts)
    accounts.add_user(CITY_USER["username"], CITY_USER["password"], "city")
    accounts.add_user(WARD_USER["username"], WARD_USER["password"], "leader")  # wrongly put there
    port = _free_port()
    command = [sys.executable, "-m", "services.cli", "city", "serve", "--city", str(marts)]
    command += ["--store", str(city["store"]), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with running(command, env, port, city["root"] / "city-serve.log", "city serve") as url:
        yield url


def _no_horizontal_overflow(tab) -> None:
    wide = tab.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"the page is {wide} px wider than the screen"


@pytest.mark.parametrize("size", list(SIZES))
def test_a_city_officer_reads_the_three_pages(browser, city_url, size):
    context = _context(browser, SIZES[size])
    try:
        tab = _tab(context, city_url).load("/")
        assert tab.page.locator(".st-key-login_username").count() == 1  # the login form, nothing else
        tab.sign_in(CITY_USER["username"], CITY_USER["password"])
        tab.assert_no_error()
        tab.open("/xep-hang-phuong", period="conference-2026")
        tab.page.get_by_text("Bảng xếp hạng các phường").first.wait_for()
        body = tab.page.inner_text("body")
        # The tables are drawn on a canvas: the sentences around them are what a test can read.
        for words in ("Vì sao xếp hạng này?", "Tóm tắt:", "Điểm mạnh", "Điểm yếu", "Chưa xếp hạng"):
            assert words in body, words
        tab.assert_no_error()
        _no_horizontal_overflow(tab)
        tab.screenshot(f"city-league-{size}")

        tab.open("/mot-chi-tieu", indicator="cleanup_events", period="2026-10")
        tab.page.get_by_text("Toàn thành phố: 14 đợt").first.wait_for()
        assert "3 phường chưa đạt" in tab.page.inner_text("body")
        tab.assert_no_error()
        _no_horizontal_overflow(tab)
        tab.screenshot(f"city-indicator-{size}")

        tab.open("/phuong", ward="11341", indicator="cleanup_events", period="2026-10")
        tab.page.get_by_text("Các tổ dân phố của phường").first.wait_for()
        assert "Phường Ngô Quyền" in tab.page.inner_text("body")
        tab.assert_no_error()
        _no_horizontal_overflow(tab)
        tab.screenshot(f"city-ward-{size}")
        # A reload keeps the sign-in (the session cookie of the ward's dashboard, here the city's).
        tab.load("/phuong", ward="11341", period="2026-10")
        assert "Các tổ dân phố của phường" in tab.page.inner_text("body")
    finally:
        context.close()


def test_a_ward_account_is_refused(browser, city_url):
    context = _context(browser, SIZES["1366"])
    try:
        tab = _tab(context, city_url).load("/")
        form = tab.page.locator('[data-testid="stForm"]')
        form.get_by_label("Tên đăng nhập").fill(WARD_USER["username"])
        form.get_by_label("Mật khẩu", exact=True).fill(WARD_USER["password"])
        tab.rerun_after(lambda: form.locator('[data-testid="stFormSubmitButton"] button').click())
        tab.page.get_by_text("Trang này chỉ dành cho tài khoản của thành phố.").first.wait_for()
        assert "Bảng xếp hạng các phường" not in tab.page.inner_text("body")
        tab.open("/mot-chi-tieu", indicator="cleanup_events", period="2026-10")
        assert "Toàn thành phố" not in tab.page.inner_text("body")
        tab.screenshot("city-refused-1366")
    finally:
        context.close()
