"""The approval buttons on the completeness page (AppTest): each role sees its own, the action checks the role."""

from __future__ import annotations

import pytest
from dash_app import open_app

from warehouse.accounts import Accounts, User

JUNE = (
    "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note\n"
    "VP-001,CAP,05/06/2026,TDP01,sidewalk_encroachment,fine,1.500.000,06/06/2026,Ngõ 12 Tô Hiệu,\n"
)
BUTTONS = ("approval_submit", "approval_approve", "approval_return", "approval_lock", "approval_reopen")


@pytest.fixture
def home(warehouse, ingest_bytes):
    """The fixture ward with CAP's June violations received, and one real account per role."""
    accounts = Accounts(warehouse.home)
    for name, role, unit in [("cap", "unit", "CAP"), ("leader", "leader", None), ("admin", "admin", None)]:
        accounts.add_user(name, "mat-khau-dai-12", role, unit_code=unit, allow_weak=True)
    assert ingest_bytes(warehouse, JUNE.encode(), feed="violations", unit_code="CAP", file_name="t6.csv").ok
    return warehouse.home


def as_user(at, name: str, role: str, unit: str | None = None):
    at.session_state["user"] = User(name, role, unit, None)
    return at


def page(home, monkeypatch, name: str, role: str, unit: str | None = None):
    at = open_app(home, monkeypatch, role=role, unit=unit, period="2026-06")
    as_user(at, name, role, unit).run()
    at.switch_page("views/completeness.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="approval_feed").set_value("violations").run()
    return at


def buttons(at) -> set[str]:
    return {b.key for b in at.button if b.key in BUTTONS}


def state_text(at) -> str:
    return "\n".join(m.value for m in at.markdown if "Trạng thái báo cáo" in m.value)


def test_each_role_sees_its_buttons_and_the_month_goes_to_locked(home, monkeypatch):
    at = page(home, monkeypatch, "cap", "unit", "CAP")
    assert buttons(at) == {"approval_submit"}
    assert "Đã nhận" in state_text(at)
    at.button(key="approval_submit").click().run()
    assert not at.exception, at.exception
    assert any("Đã gửi duyệt báo cáo tháng 06/2026" in s.value for s in at.success)
    assert "Đã gửi duyệt" in state_text(at)

    at = page(home, monkeypatch, "leader", "leader")
    assert buttons(at) == {"approval_approve", "approval_return"}
    at.button(key="approval_return").click().run()  # no comment: refused, said plainly
    assert any("lý do trả lại" in e.value for e in at.error)
    at.text_input(key="approval_comment").set_value("Thiếu biên bản VP-001").run()
    at.button(key="approval_return").click().run()
    assert "Trả lại" in state_text(at)
    assert any("Thiếu biên bản VP-001" in w.value for w in at.warning)

    at = page(home, monkeypatch, "cap", "unit", "CAP")
    at.button(key="approval_submit").click().run()
    at = page(home, monkeypatch, "leader", "leader")
    at.button(key="approval_approve").click().run()
    assert "Đã duyệt" in state_text(at)

    at = page(home, monkeypatch, "admin", "admin")
    assert buttons(at) == set(BUTTONS)
    at.button(key="approval_lock").click().run()
    assert not at.exception, at.exception
    assert "Đã khóa" in state_text(at)
    [table] = [d.value for d in at.dataframe if "approval_state" in d.value.columns]
    assert set(table["approval_state"]) >= {"Đã khóa", "Chưa nhận"}


def test_the_action_checks_the_account_not_the_page(home, monkeypatch):
    """A session claiming the admin role for a unit's account cannot lock: the account's role decides."""
    at = page(home, monkeypatch, "cap", "admin")
    at.button(key="approval_lock").click().run()
    assert any("không được khóa sổ" in e.value for e in at.error)
    assert "Đã nhận" in state_text(at)


def test_an_analyst_sees_the_states_without_buttons(home, monkeypatch):
    at = page(home, monkeypatch, "analyst", "analyst")
    assert buttons(at) == set()
    assert any("chỉ xem được" in c.value for c in at.caption)
