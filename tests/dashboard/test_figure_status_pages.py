"""Issue 9 on the pages (fixture ward, AppTest): a provisional month's card, the unranked groups with
their reason, and the upload page's «Không có số liệu phát sinh» button with its role check.

The fixture ward (tests/warehouse/test_marts.py has the hand-worked figures): in November CAP has sent
its violations and KTHT has not, so the ward's November violations figure stands on 1 of 2 reports;
TDP03 is left unranked in conference-2026 (too few lighting tickets due).
"""

from __future__ import annotations

import pytest
from dash_app import cards, open_app, snapshot_query


def _rows(home, sql, params=None):
    return snapshot_query(home, sql, params)


def _card(at, name: str) -> str:
    """The HTML of the indicator card named `name`: its name, figure, status badge, target and notes."""
    found = [c for c in cards(at) if f"<b>{name}</b>" in c]
    assert found, f"no card «{name}»"
    return found[0]


def test_a_provisional_month_card_says_tam_tinh_and_never_dat(fixture_ward_home, monkeypatch):
    name, status, received, expected = _rows(
        fixture_ward_home,
        "SELECT indicator_name_vi, data_status, reports_received, reports_expected FROM marts.indicator_values "
        "WHERE period_key = '2026-11' AND scope = 'ward' AND indicator_id = 'violations_per_1000_residents'",
    )[0]
    assert (status, received, expected) == ("provisional", 1, 2)
    at = open_app(fixture_ward_home, monkeypatch, period="2026-11").run()
    assert not at.exception, at.exception
    card = _card(at, name)
    assert "tạm tính" in card  # the badge; the line below it gives the reports in (1/2)
    assert "Đạt" not in card and "dtx-badge-achieved" not in card  # 3 per 1.000 would otherwise be judged
    assert "chưa nhận đủ báo cáo của các đơn vị (1/2)" in card
    # Its change against October is grey and says it is provisional: neither a fall nor a rise yet.
    assert "dtx-change-flat" in card and "kỳ trước (tạm tính)" in card
    assert "dtx-change-good" not in card and "dtx-change-bad" not in card
    # A complete month of the same indicator is judged as before: its change green or red.
    at = open_app(fixture_ward_home, monkeypatch, period="2026-10").run()
    complete = _card(at, name)
    assert "tạm tính" not in complete
    assert "dtx-change-good" in complete or "dtx-change-bad" in complete


def test_the_evaluations_page_lists_an_unranked_group_with_its_reason(fixture_ward_home, monkeypatch):
    reason = _rows(
        fixture_ward_home,
        "SELECT unranked_reason_vi FROM marts.league_table WHERE evaluation = 'conference-2026' "
        "AND group_code = 'TDP03' AND NOT ranked",
    )[0][0]
    assert "Tỷ lệ đèn sửa đúng hạn" in reason
    at = open_app(fixture_ward_home, monkeypatch).run()
    at.switch_page("views/evaluations.py").run()
    assert not at.exception, at.exception
    assert any(m.value.startswith("**Chưa xếp hạng** (1)") for m in at.markdown)
    unranked = at.dataframe[1].value  # under the league table
    assert unranked["group_code"].tolist() == ["TDP03"]
    assert reason in unranked.to_numpy().ravel().tolist()


def _declared(home, unit="KTHT", month="2026-11-01"):
    return _rows(
        home,
        "SELECT count(*) FROM uploads WHERE unit_code = ? AND feed = 'violations' AND nothing_to_report "
        "AND status = 'loaded' AND list_contains(report_months, ?::DATE)",
        [unit, month],
    )[0][0]


def test_the_nothing_to_report_button_records_the_declaration(ward, monkeypatch):
    def received():
        return _rows(
            ward,
            "SELECT received, nothing_to_report FROM reporting_completeness "
            "WHERE unit_code = 'KTHT' AND feed = 'violations' AND month_key = '2026-11'",
        )[0]

    assert received() == (False, False)
    at = open_app(ward, monkeypatch, role="unit", unit="KTHT").run()
    assert not at.exception, at.exception
    # The month picker offers the months so far, newest first, and starts on the last month already over.
    picker = at.selectbox(key="report_month")
    assert picker.options[:2] == ["11/2026", "10/2026"]
    assert picker.value.strftime("%Y-%m") == "2026-10"
    picker.set_value(picker.value.replace(month=11)).run()
    at.button(key="nothing_to_report").click().run()
    assert not at.exception, at.exception
    assert "Đã ghi nhận «Không có số liệu phát sinh» tháng 11/2026" in at.success[0].value
    assert _declared(ward) == 1
    assert received() == (True, True)
    # The ward's November violations now stand on every report: complete, and judged again.
    assert _rows(
        ward,
        "SELECT data_status, reports_received, reports_expected FROM indicator_values "
        "WHERE period_key = '2026-11' AND scope = 'ward' AND indicator_id = 'violations_per_1000_residents'",
    )[0] == ("complete", 2, 2)
    # Pressing it again records nothing new and says so.
    at.button(key="nothing_to_report").click().run()
    assert "đã được khai báo «Không có số liệu phát sinh» trước đây" in at.info[0].value
    assert _declared(ward) == 1


def test_a_clerk_of_another_unit_cannot_declare(ward, monkeypatch):
    """The page gives a clerk only their own unit; the function refuses any other account's unit."""
    import datetime as dt

    from pipelines.nothing_to_report import NotAllowed
    from warehouse.accounts import User

    monkeypatch.setenv("DOTHIXANH_HOME", str(ward))
    from dashboard import data

    at = open_app(ward, monkeypatch, role="unit", unit="CAP").run()
    assert at.caption[0].value.endswith("(CAP)")  # the clerk's own unit, no unit picker
    assert not [s for s in at.selectbox if s.key == "upload_unit"]
    with pytest.raises(NotAllowed, match="không được khai báo thay cho đơn vị KTHT"):
        data.declare_nothing("violations", "KTHT", dt.date(2026, 11, 1), User("cap", "unit", "CAP", None))
    assert _declared(ward) == 0
    # An admin may declare for any unit, on the page (it picks the unit).
    at = open_app(ward, monkeypatch, role="admin").run()
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_unit").set_value("KTHT").run()
    picker = at.selectbox(key="report_month")
    picker.set_value(picker.value.replace(month=11)).run()
    at.button(key="nothing_to_report").click().run()
    assert not at.exception, at.exception
    assert at.success and _declared(ward) == 1
