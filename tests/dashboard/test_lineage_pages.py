"""Issue 9, items 6, 8 and 9 on the pages: who may freeze, the check of a snapshot, sample targets, list versions."""

from __future__ import annotations

import shutil

import pytest
from dash_app import card_text, cards, open_app

from services.cli import main
from warehouse.accounts import Accounts


@pytest.fixture
def home(fixture_ward_home, tmp_path):
    """A private copy of the fixture ward (these tests freeze and confirm)."""
    copy = tmp_path / "home"
    shutil.copytree(fixture_ward_home, copy, symlinks=True)
    return copy


def _text(at) -> str:
    return "\n".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), card_text(at)])


def test_a_clerk_sees_no_freeze_form_and_a_leader_freezes_and_checks(home, monkeypatch):
    at = open_app(home, monkeypatch, role="unit", unit="CAP").run()
    at.switch_page("views/evaluations.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "freeze_submit"]
    assert "Chỉ lãnh đạo phường hoặc quản trị viên được chốt kỳ đánh giá." in _text(at)

    at = open_app(home, monkeypatch, role="leader").run()
    at.switch_page("views/evaluations.py").run()
    at.text_input(key="freeze_note").set_value("Trình hội nghị")
    at.button(key="freeze_submit").click().run()
    assert not at.exception
    assert at.success and "1" in at.success[0].value
    at.run()  # the new snapshot is listed
    assert "Số liệu tính đến 29/11/2026" in _text(at)
    at.button(key="verify_snapshot").click().run()
    assert not at.exception
    assert any("kết quả khớp bản chốt" in s.value for s in at.success)


def test_cards_mark_sample_targets_until_an_admin_confirms(home, monkeypatch, capsys):
    at = open_app(home, monkeypatch, period="2026-10").run()
    assert not at.exception
    # A card's badge is short: one line at 390 px.
    assert any('<span class="dtx-badge dtx-badge-near">chỉ tiêu mẫu</span>' in c for c in cards(at))

    Accounts(home).add_user("quantri", "mat-khau-du-dai-2026", "admin")
    Accounts(home).add_user("lanhdao", "mat-khau-du-dai-2026", "leader")
    assert main(["settings", "confirm-targets", "--user", "lanhdao"]) == 2
    assert "chỉ quản trị viên" in capsys.readouterr().err
    assert main(["settings", "confirm-targets", "--user", "quantri", "--note", "Nghị quyết 12/NQ-ĐU"]) == 0
    capsys.readouterr()
    at = open_app(home, monkeypatch, period="2026-10").run()
    text = _text(at)
    assert "chỉ tiêu mẫu" not in text
    assert "chỉ tiêu do quantri xác nhận ngày" in text
    assert main(["settings", "targets", "--year", "2026"]) == 0
    assert "xác nhận ngày" in capsys.readouterr().out


def test_the_group_page_says_which_list_version_a_period_used(home, monkeypatch):
    at = open_app(home, monkeypatch, period="2026-10", group="TDP01").run()
    at.switch_page("views/group.py").run()
    assert not at.exception
    assert "theo danh sách tổ dân phố phiên bản 1, áp dụng từ" in _text(at)


def test_the_admin_page_asks_from_when_a_new_list_applies(home, monkeypatch):
    at = open_app(home, monkeypatch, role="admin").run()
    at.switch_page("views/admin.py").run()
    assert not at.exception
    assert at.date_input(key="ref_valid_from").value is not None
    assert [b for b in at.button if b.key == "confirm_targets"]


def test_a_front_indicators_figure_opens_its_records_on_the_trace_page(fixture_ward_home, monkeypatch):
    """Trees planted (a front on the clean-ups feed): the drive that planted them, its file and line."""
    at = open_app(fixture_ward_home, monkeypatch, period="2026-11", indicator="trees_planted", group="TDP03")
    at.run()
    at.switch_page("views/trace.py").run()
    assert not at.exception
    assert at.selectbox(key="trace_indicator").value == "trees_planted"
    records = at.dataframe[0].value
    assert list(records["part"]) == ["Tử số"]
    assert list(records["record_ref"]) == ["C13"] and list(records["amount"]) == ["20"]  # 20 trees
    assert list(records["feed"]) == ["Ra quân vệ sinh môi trường"]
    assert records["file_name"].notna().all() and records["source_line"].notna().all()
    assert "Các bản ghi được tính vào con số này (1)" in [s.value for s in at.subheader]
