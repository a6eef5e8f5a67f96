"""A freeze you can check (issue 9, item 8): who may freeze, and `evaluate --verify N`."""

from __future__ import annotations

import pytest
from marts_ward import TODAY, csv_bytes, fixture_rows

from pipelines.ingest import ingest
from services.cli import main
from warehouse import evaluation as ev
from warehouse.accounts import Accounts

PASSWORD = "mat-khau-du-dai-2026"


@pytest.fixture
def home(marts_ward_copy, monkeypatch):
    warehouse = marts_ward_copy()
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    accounts = Accounts(warehouse.home)
    accounts.add_user("lanhdao", PASSWORD, "leader")
    accounts.add_user("vanthu_cap", PASSWORD, "unit", unit_code="CAP")
    return warehouse


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["evaluate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_only_a_leader_or_an_admin_may_freeze(home, capsys):
    code, _, err = run(capsys, "--evaluation", "conference-2026", "--freeze", "--user", "vanthu_cap")
    assert code == 2 and "không được chốt kỳ đánh giá" in err
    code, _, err = run(capsys, "--evaluation", "conference-2026", "--freeze")
    assert code == 2 and "--user" in err
    # The function itself refuses, whatever page or script calls it.
    with home.writing() as con, pytest.raises(ev.FreezeNotAllowed):
        ev.freeze(con, "conference-2026", frozen_by="vanthu_cap", role="unit")
    with home.reading() as con:
        assert ev.snapshots(con) == []


def test_verify_matches_after_later_corrections_and_fails_when_tampered(home, capsys):
    code, out, _ = run(capsys, "--evaluation", "conference-2026", "--freeze", "--user", "lanhdao")
    assert code == 0 and "bản chốt số 1" in out
    with home.reading() as con:
        frozen = con.sql(
            "SELECT as_of, last_upload_id, groups_versions, input_records, length(input_sha256) "
            "FROM evaluation_snapshots"
        ).fetchall()[0]
    assert frozen[0] == TODAY and frozen[2] == [1] and frozen[3] > 0 and frozen[4] == 64

    code, out, _ = run(capsys, "--verify", "1")
    assert code == 0 and "Bản chốt số 1: KHỚP." in out

    # A later correction (MTDT's inspection S04) changes the live league table, not the freeze.
    rows = (
        fixture_rows("sorting_inspections").filter(inspection_id="S04").with_columns(households_compliant=25)
    )
    result = ingest(home, csv_bytes(rows), feed="sorting_inspections", unit_code="MTDT", today=TODAY)
    assert result.rows_corrected == 1
    code, out, _ = run(capsys, "--verify", "1")
    assert code == 0, out
    assert "Tính lại từ kho dữ liệu như lúc chốt (số liệu tính đến 29/11/2026): kết quả khớp bản chốt." in out

    # Someone edits a frozen score: the check fails and says so.
    with home.writing() as con:
        con.execute(
            "UPDATE marts.evaluation_snapshot_league SET score = score + 5 "
            "WHERE snapshot_id = 1 AND group_code = 'TDP02'"
        )
    code, out, _ = run(capsys, "--verify", "1")
    assert code == 1
    assert "đã bị sửa" in out and "Bản chốt số 1: KHÔNG KHỚP." in out


def test_verify_fails_when_the_content_hash_is_replaced(home, capsys):
    assert run(capsys, "--evaluation", "conference-2026", "--freeze", "--user", "lanhdao")[0] == 0
    with home.writing() as con:
        con.execute(
            "UPDATE marts.evaluation_snapshots SET content_sha256 = repeat('0', 64) WHERE snapshot_id = 1"
        )
    code, out, _ = run(capsys, "--verify", "1")
    assert code == 1 and "KHÔNG khớp" in out


def test_verify_of_an_unknown_snapshot_says_so(home, capsys):
    code, _, err = run(capsys, "--verify", "9")
    assert code == 2 and "Không có bản chốt số 9" in err


def test_a_month_locked_after_the_freeze_does_not_break_the_check(home, capsys):
    """Locking a month makes its provisional figures complete (judged achieved or not): the live
    league changes, the freeze does not, and the check recomputes with the locks as they were."""
    from warehouse.refresh import refresh_marts

    assert run(capsys, "--evaluation", "conference-2026", "--freeze", "--user", "lanhdao")[0] == 0
    with home.reading() as con:
        months = [
            r[0]
            for r in con.sql(
                "SELECT DISTINCT period_key FROM indicator_values WHERE period_type = 'month' "
                "AND data_status = 'provisional' ORDER BY 1"
            ).fetchall()
        ]
    assert months, "the fixture ward has provisional months"
    with home.writing(catch_up=False) as con:
        for n, month in enumerate(months, start=1):
            for feed in ("violations", "cleanups", "sorting_inspections", "lighting_repairs"):
                con.execute(
                    "INSERT INTO raw.approval_actions (action_id, feed, unit_code, month_key, action, account, "
                    "role, acted_at, comment, state_before, state_after) VALUES "
                    "(?, ?, NULL, ?, 'lock', 'quantri', 'admin', now()::TIMESTAMP + INTERVAL 1 DAY, NULL, "
                    "'approved', 'locked')",
                    [n * 10 + len(feed), feed, month],
                )
        refresh_marts(con, home.home, today=TODAY)
    with home.reading() as con:
        still = con.sql(
            "SELECT count(*) FROM indicator_values WHERE data_status = 'provisional' AND period_type = 'month'"
        ).fetchall()[0][0]
    assert still == 0  # the locks took effect on the live figures
    code, out, _ = run(capsys, "--verify", "1")
    assert code == 0 and "Bản chốt số 1: KHỚP." in out, out
