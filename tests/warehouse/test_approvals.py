"""Approval and locked months (issue 9, item 5), through the command line as the ward would use it.

The fixture ward: CAP sends violations; MTDT cleanups and sorting inspections; TTBT lighting.
Accounts: cap and mtdt (units), leader, admin, analyst.
"""

from __future__ import annotations

import json

import pytest

from services.cli import main
from warehouse.accounts import Accounts
from warehouse.events import read_events

HEADER = "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note\n"
JUNE = "VP-001,CAP,05/06/2026,TDP01,sidewalk_encroachment,fine,1.500.000,06/06/2026,Ngõ 12 Tô Hiệu,\n"
JUNE_2 = "VP-002,CAP,17/06/2026,TDP02,sidewalk_encroachment,reminder,,,45 Cầu Đất,\n"
JULY = "VP-003,CAP,09/07/2026,TDP01,sidewalk_encroachment,reminder,,,Chợ Ga,\n"


@pytest.fixture
def home(warehouse, monkeypatch):
    """The fixture ward with June's violations from CAP received, and one account per role."""
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    accounts = Accounts(warehouse.home)
    for name, role, unit in [
        ("cap", "unit", "CAP"),
        ("mtdt", "unit", "MTDT"),
        ("leader", "leader", None),
        ("admin", "admin", None),
        ("analyst", "analyst", None),
    ]:
        accounts.add_user(name, "mat-khau-dai-12", role, unit_code=unit, allow_weak=True)
    return warehouse.home


def run(capsys, *args) -> tuple[int, dict]:
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def state(query, warehouse, unit="CAP", feed="violations", month="2026-06") -> str:
    [row] = query(
        warehouse,
        "SELECT state, state_vi FROM reporting_completeness WHERE unit_code = ? AND feed = ? AND month_key = ?",
        [unit, feed, month],
    )
    return row["state"]


def send(tmp_path, capsys, name: str, *rows: str) -> dict:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    main(["ingest", str(path), "--feed", "violations", "--unit", "CAP", "--json"])
    return json.loads(capsys.readouterr().out)


def cap(*args: str) -> list[str]:
    return [*args, "--feed", "violations", "--month", "2026-06"]


def send_june_and_lock_it(tmp_path, capsys) -> None:
    """CAP sends June, submits it, the leader approves it and the admin locks the month."""
    send(tmp_path, capsys, "thang6.csv", JUNE)
    for args in (
        cap("submit", "--unit", "CAP", "--by", "cap"),
        cap("approve", "--unit", "CAP", "--by", "leader"),
        cap("lock", "--by", "admin"),
    ):
        assert run(capsys, *args)[0] == 0


def test_a_month_goes_through_every_state_and_each_step_checks_the_role(
    home, warehouse, query, tmp_path, capsys
):
    assert state(query, warehouse) == "not_received"
    code, out = run(capsys, *cap("submit", "--unit", "CAP", "--by", "cap"))
    assert code == 1 and "chưa nhận được" in out["reason"]

    assert send(tmp_path, capsys, "thang6.csv", JUNE)["status"] == "loaded"
    assert state(query, warehouse) == "received"

    # Only the unit itself (or an admin) submits; only the leadership (or an admin) approves.
    code, out = run(capsys, *cap("submit", "--unit", "CAP", "--by", "mtdt"))
    assert code == 1 and "thuộc đơn vị MTDT" in out["reason"]
    code, out = run(capsys, *cap("submit", "--unit", "CAP", "--by", "leader"))
    assert code == 1 and "không được gửi duyệt" in out["reason"]
    code, out = run(capsys, *cap("approve", "--unit", "CAP", "--by", "leader"))
    assert code == 1 and "chưa được gửi duyệt" in out["reason"]

    code, out = run(capsys, *cap("submit", "--unit", "CAP", "--by", "cap"))
    assert code == 0 and out["state_after"] == "submitted"
    assert state(query, warehouse) == "submitted"
    code, out = run(capsys, *cap("submit", "--unit", "CAP", "--by", "cap"))
    assert code == 1 and "Đã gửi duyệt" in out["reason"]

    # A return needs a comment; the comment is what the unit reads.
    code, out = run(capsys, *cap("return", "--unit", "CAP", "--by", "leader"))
    assert code == 1 and "lý do trả lại" in out["reason"]
    code, out = run(capsys, *cap("return", "--unit", "CAP", "--by", "analyst", "--comment", "x"))
    assert code == 1 and "không được trả lại" in out["reason"]
    code, _ = run(
        capsys, *cap("return", "--unit", "CAP", "--by", "leader", "--comment", "Thiếu biên bản VP-001")
    )
    assert code == 0
    [row] = query(
        warehouse,
        "SELECT state, state_vi, state_by, state_comment FROM reporting_completeness "
        "WHERE unit_code = 'CAP' AND month_key = '2026-06'",
    )
    assert row == {
        "state": "returned",
        "state_vi": "Trả lại",
        "state_by": "leader",
        "state_comment": "Thiếu biên bản VP-001",
    }

    # The corrected file puts the report back to "received"; submitted again, then approved.
    send(tmp_path, capsys, "thang6-sua.csv", JUNE, JUNE_2)
    assert state(query, warehouse) == "received"
    assert run(capsys, *cap("submit", "--unit", "CAP", "--by", "cap"))[0] == 0
    code, out = run(capsys, *cap("lock", "--by", "admin"))
    assert code == 1 and "CAP (đã gửi duyệt)" in out["reason"]
    assert run(capsys, *cap("approve", "--unit", "CAP", "--by", "leader"))[0] == 0
    assert state(query, warehouse) == "approved"

    # Only an admin locks.
    code, out = run(capsys, *cap("lock", "--by", "leader"))
    assert code == 1 and "chỉ quản trị viên" in out["reason"]
    code, out = run(capsys, *cap("lock", "--by", "admin", "--comment", "Chốt tháng 6"))
    assert code == 0 and out["state_after"] == "locked"
    assert state(query, warehouse) == "locked"
    assert query(warehouse, "SELECT feed, month_key, locked_by FROM marts.period_locks") == [
        {"feed": "violations", "month_key": "2026-06", "locked_by": "admin"}
    ]
    code, out = run(capsys, *cap("approve", "--unit", "CAP", "--by", "admin"))
    assert code == 1 and "đã khóa sổ" in out["reason"]

    # Every action is kept with who, when and the comment, and logged as an event.
    log = query(warehouse, "SELECT action, unit_code, account, comment FROM approvals ORDER BY action_id")
    assert [(r["action"], r["account"]) for r in log] == [
        ("submit", "cap"),
        ("return", "leader"),
        ("submit", "cap"),
        ("approve", "leader"),
        ("lock", "admin"),
    ]
    assert log[1]["comment"] == "Thiếu biên bản VP-001" and log[4]["unit_code"] is None
    events = [e for e in read_events(home) if e["event"] == "approval"]
    assert [e["status"] for e in events].count("ok") == 5
    assert {"account": "mtdt", "status": "refused", "action": "submit"}.items() <= events[1].items()


def test_a_locked_month_refuses_its_rows_with_the_reason_and_other_rows_load(
    home, warehouse, query, tmp_path, capsys
):
    send_june_and_lock_it(tmp_path, capsys)

    report = send(tmp_path, capsys, "sua-thang6-va-thang7.csv", JUNE_2, JULY)
    assert (report["status"], report["rows_accepted"], report["rows_rejected"]) == ("loaded", 1, 1)
    [error] = report["errors"]
    assert (error["line"], error["column"], error["value"], error["rule"]) == (
        2,
        "detected_on",
        "17/06/2026",
        "locked_period",
    )
    assert "Tháng 06/2026" in error["message"] and "«admin»" in error["message"]
    assert "đã khóa sổ" in error["message"]
    ids = [r["record_id"] for r in query(warehouse, "SELECT record_id FROM violations ORDER BY 1")]
    assert ids == ["VP-001", "VP-003"]
    [kept] = query(warehouse, "SELECT line, rule, message FROM rejected_rows WHERE rule = 'locked_period'")
    assert kept["line"] == 2 and "06/2026" in kept["message"]

    # Moving a June record out of June would rewrite June too: refused, the rest still loads.
    moved = JUNE.replace("05/06/2026", "05/07/2026").replace("06/06/2026", "06/07/2026")
    report = send(tmp_path, capsys, "doi-ngay.csv", moved, JULY.replace("Chợ Ga", "Chợ Ga (sửa)"))
    assert (report["rows_accepted"], report["rows_rejected"]) == (1, 1)
    [error] = report["errors"]
    assert (error["line"], error["value"], error["rule"]) == (2, "VP-001", "locked_period")
    assert "Bản ghi «VP-001» đang thuộc tháng đã khóa sổ" in error["message"]
    [vp1] = query(warehouse, "SELECT detected_on FROM violations WHERE record_id = 'VP-001'")
    assert str(vp1["detected_on"]) == "2026-06-05"


def test_only_an_admin_reopens_with_a_reason_and_the_same_file_then_loads(
    home, warehouse, query, tmp_path, capsys
):
    send_june_and_lock_it(tmp_path, capsys)
    refused = send(tmp_path, capsys, "bo-sung.csv", JUNE_2)
    assert refused["rows_rejected"] == 1

    for who in ("leader", "cap", "analyst"):
        code, out = run(capsys, *cap("reopen", "--by", who, "--comment", "Sửa số liệu"))
        assert code == 1 and "chỉ quản trị viên" in out["reason"], who
    code, out = run(capsys, *cap("reopen", "--by", "admin"))
    assert code == 1 and "lý do mở khóa" in out["reason"]
    code, out = run(capsys, *cap("reopen", "--by", "admin", "--comment", "CAP bổ sung VP-002"))
    assert code == 0 and out["state_after"] == "approved"
    assert query(warehouse, "FROM marts.period_locks") == []
    assert state(query, warehouse) == "approved"

    # The file whose row the lock refused now loads (not a "duplicate" of the refused load).
    again = send(tmp_path, capsys, "bo-sung.csv", JUNE_2)
    assert (again["status"], again["rows_accepted"]) == ("loaded", 1)
    assert state(query, warehouse) == "received"  # new rows: the unit submits its month again


def test_lock_and_submit_wait_for_the_month_to_end_and_bad_input_is_said_plainly(home, capsys):
    code, out = run(
        capsys, "submit", "--feed", "violations", "--unit", "CAP", "--month", "2099-01", "--by", "cap"
    )
    assert code == 1 and "chưa kết thúc" in out["reason"]
    code, out = run(capsys, "lock", "--feed", "violations", "--month", "06/2026x", "--by", "admin")
    assert code == 1 and "YYYY-MM" in out["reason"]
    code, out = run(capsys, "lock", "--feed", "rac", "--month", "2026-06", "--by", "admin")
    assert code == 1 and "Loại dữ liệu «rac» không có" in out["reason"]
    code, out = run(
        capsys, "approve", "--feed", "violations", "--unit", "CAP", "--month", "2026-06", "--by", "ai"
    )
    assert code == 1 and "Không có tài khoản «ai»" in out["reason"]
    code, out = run(
        capsys, "submit", "--feed", "cleanups", "--unit", "CAP", "--month", "2026-06", "--by", "admin"
    )
    assert code == 1 and "không gửi loại dữ liệu" in out["reason"]


@pytest.mark.parametrize("command", ["submit", "approve", "return", "lock", "reopen"])
def test_help_is_plain_vietnamese(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for phrase in ("tùy chọn", "--feed", "--month", "--by", "--comment", "tài khoản thực hiện", "đã khóa"):
        assert phrase in text
    assert ("--unit" in text) == (command in ("submit", "approve", "return"))
    for english in ("usage:", "options:", "show this help"):
        assert english not in text.replace("usage: dothixanh", "")


def test_a_lock_committed_while_a_file_is_judged_makes_the_loader_judge_it_again(
    home, warehouse, query, tmp_path, capsys, monkeypatch
):
    """The file is judged against the published lists before the writer lock; a lock since then counts."""
    import dataclasses

    from pipelines import ingest as ingest_module
    from warehouse.load import read_reference

    send(tmp_path, capsys, "thang6.csv", JUNE)
    with warehouse.reading() as con:
        before_lock = dataclasses.replace(read_reference(con), locks={})
    for args in (
        cap("submit", "--unit", "CAP", "--by", "cap"),
        cap("approve", "--unit", "CAP", "--by", "leader"),
        cap("lock", "--by", "admin"),
    ):
        assert run(capsys, *args)[0] == 0
    assert before_lock.locks == {}
    # As if the file had been judged just before the lock was committed.
    monkeypatch.setattr(ingest_module, "_published", lambda *a: (before_lock, None))
    report = send(tmp_path, capsys, "cham.csv", JUNE_2, JULY)
    assert (report["rows_accepted"], report["rows_rejected"]) == (1, 1)
    assert report["errors"][0]["rule"] == "locked_period"
