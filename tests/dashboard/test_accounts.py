"""Logging in, roles and refusals, as each kind of user meets them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from dash_app import APP, PATIENCE, log_in, open_app

from warehouse.accounts import FAILURE_WINDOW, MAX_FAILURES, AccountError, Accounts


@pytest.fixture(scope="module")
def ward_with_accounts(fixture_ward_home, tmp_path_factory):
    """The fixture ward with one account per role (passwords hashed once: argon2 is slow on purpose)."""
    home = tmp_path_factory.mktemp("accounts") / "home"
    shutil.copytree(fixture_ward_home, home, symlinks=True)
    accounts = Accounts(home)
    accounts.add_user("lanh.dao", "mat-khau-1", "leader")
    accounts.add_user("phan.tich", "mat-khau-2", "analyst")
    accounts.add_user("van.thu.cap", "mat-khau-3", "unit", unit_code="CAP")
    accounts.add_user("quan.tri", "mat-khau-4", "admin")
    return home


@pytest.fixture
def ward(ward_with_accounts, tmp_path):
    """This test's private copy of the ward with its accounts."""
    home = tmp_path / "home"
    shutil.copytree(ward_with_accounts, home, symlinks=True)
    return home


def test_nothing_is_reachable_without_logging_in(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role=None).run()
    assert at.title[0].value == "Đăng nhập"
    # No figure and no table before signing in: the only metric and table are the empty, hidden ones
    # that have the browser load their drawing code meanwhile (dashboard/preload.py).
    assert [(m.value, m.label) for m in at.metric] == [("0", "·")]
    assert [list(d.value.columns) for d in at.dataframe] == [["·"]] and at.dataframe[0].value.shape == (1, 1)
    assert "dothixanh" not in " ".join(m.value for m in at.markdown)  # no demo account list on a real ward


def test_right_password_opens_the_dashboard_wrong_one_is_refused(ward, monkeypatch):
    at = log_in(open_app(ward, monkeypatch, role=None).run(), "lanh.dao", "sai")
    assert "Sai tên đăng nhập hoặc mật khẩu" in at.error[0].value
    at = log_in(at, "lanh.dao", "mat-khau-1")
    assert not at.exception
    assert at.title[0].value == "Tổng quan phường"
    assert any("lanh.dao" in c.value for c in at.sidebar.caption)


def test_a_password_hashed_by_an_earlier_release_still_opens_and_is_hashed_again(ward):
    import duckdb
    from argon2 import PasswordHasher

    accounts = Accounts(ward)
    earlier = PasswordHasher()  # argon2-cffi's defaults (64 MiB, 3 passes), as accounts were made before
    with accounts._connect() as con:
        con.execute(
            "UPDATE users SET password_hash = ? WHERE username = 'lanh.dao'", [earlier.hash("mat-khau-1")]
        )
    assert accounts.login("lanh.dao", "mat-khau-1").role == "leader"
    with duckdb.connect(str(accounts.path), read_only=True) as con:
        stored = con.execute("SELECT password_hash FROM users WHERE username = 'lanh.dao'").fetchall()[0][0]
    assert "m=19456,t=2,p=1" in stored  # the current parameters, from this sign-in on
    assert accounts.login("lanh.dao", "mat-khau-1").role == "leader"
    with pytest.raises(AccountError):
        accounts.login("lanh.dao", "sai-mat-khau")


def test_repeated_failures_lock_the_name_for_a_while(ward, monkeypatch):
    # The accounts' clock, set by the test: however slowly the machine hashes passwords, the failures
    # all fall inside the window, and the window ends when the clock says so.
    clock = {"now": dt.datetime(2026, 11, 29, 9, 0)}
    monkeypatch.setattr("warehouse.accounts.now_vietnam", lambda: clock["now"])
    accounts = Accounts(ward)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccountError, match="Sai"):
            accounts.login("phan.tich", "doan-mo")
        clock["now"] += dt.timedelta(seconds=30)
    with pytest.raises(AccountError, match="tạm khóa 5 phút"):
        accounts.login("phan.tich", "mat-khau-2")  # even the right password, for now
    clock["now"] += FAILURE_WINDOW  # the failures are older than the window: the name opens again
    assert accounts.login("phan.tich", "mat-khau-2").username == "phan.tich"


def test_an_idle_session_expires(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="leader")
    at.session_state["expires_at"] = dt.datetime.now() - dt.timedelta(minutes=1)
    at.run()
    assert at.title[0].value == "Đăng nhập"
    assert "hết hạn" in at.warning[0].value


@pytest.mark.parametrize(
    ("role", "unit", "page", "allowed"),
    [
        ("leader", None, "views/evaluations.py", True),
        ("leader", None, "views/upload.py", False),
        ("leader", None, "views/sql.py", False),
        ("leader", None, "views/admin.py", False),
        ("analyst", None, "views/sql.py", True),
        ("analyst", None, "views/upload.py", False),
        ("analyst", None, "views/admin.py", False),
        ("unit", "CAP", "views/upload.py", True),
        ("unit", "CAP", "views/history.py", True),
        ("unit", "CAP", "views/overview.py", True),
        ("unit", "CAP", "views/sql.py", False),
        ("unit", "CAP", "views/admin.py", False),
        ("admin", None, "views/admin.py", True),
        ("admin", None, "views/sql.py", True),
    ],
)
def test_a_role_sees_only_its_pages(ward, monkeypatch, role, unit, page, allowed):
    at = open_app(ward, monkeypatch, role=role, unit=unit).run()
    if not allowed:  # not in this role's navigation: there is no way to it
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        return
    at.switch_page(page).run()
    assert not at.exception
    assert not any("không được mở trang này" in e.value for e in at.error)


@pytest.mark.parametrize(
    ("role", "page"), [("leader", "sql.py"), ("unit", "admin.py"), ("analyst", "upload.py")]
)
def test_each_page_refuses_a_wrong_role_even_when_run_directly(ward, monkeypatch, role, page):
    from streamlit.testing.v1 import AppTest

    from warehouse.accounts import User

    monkeypatch.setenv("DOTHIXANH_HOME", str(ward))
    at = AppTest.from_file(str(Path(APP).parent / "views" / page), default_timeout=PATIENCE)
    at.session_state["user"] = User("x", role, "CAP" if role == "unit" else None, None)
    at.session_state["expires_at"] = dt.datetime.now() + dt.timedelta(hours=1)
    at.run()
    assert "không được mở trang này" in at.error[0].value
    assert not at.text_area and not at.file_uploader


def test_a_clerk_lands_on_the_upload_page_of_their_unit(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role="unit", unit="CAP").run()
    assert at.title[0].value == "Gửi số liệu"
    assert "CAP" in at.caption[0].value
    assert at.selectbox(key="upload_feed").options == ["Vi phạm"]  # only the feeds CAP may send


def test_the_demo_ward_lists_its_accounts_on_the_login_page(demo_ward_home, monkeypatch):
    at = open_app(demo_ward_home, monkeypatch, role=None).run()
    assert "mật khẩu «demo»" in " ".join(c.value for c in at.caption)
    listed = at.dataframe[0].value
    assert {"leader", "analyst", "admin", "cap"} <= set(listed.iloc[:, 0])


def test_user_command_line_adds_lists_and_removes(ward, monkeypatch, capsys):
    from services.cli import main

    monkeypatch.setenv("DOTHIXANH_HOME", str(ward))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("mat-khau-moi\n"))
    assert main(["user", "add", "van.thu.mtdt", "--role", "unit", "--unit", "mtdt", "--password-stdin"]) == 0
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "van.thu.mtdt" in listing and "MTDT" in listing
    assert Accounts(ward).login("van.thu.mtdt", "mat-khau-moi").unit_code == "MTDT"
    assert main(["user", "remove", "van.thu.mtdt"]) == 0
    assert Accounts(ward).get("van.thu.mtdt") is None
    assert main(["user", "add", "x", "--role", "leader", "--password-stdin"]) == 1  # bad name, said plainly
