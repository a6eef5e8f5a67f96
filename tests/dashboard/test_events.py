"""The ward's event log (DOTHIXANH_HOME/logs/events.jsonl): uploads, refusals, logins and errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dash_app import log_in, open_app

from services import cli
from warehouse.accounts import MAX_FAILURES, Accounts
from warehouse.events import FIELDS, events_path, log_event, read_events

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = "violations/utf8_comma.csv"


def test_every_upload_outcome_is_one_event_with_who_what_and_why(warehouse, ingest_fixture, ingest_bytes):
    loaded = ingest_fixture(warehouse, VALID, feed="violations", unit_code="CAP")
    again = ingest_fixture(warehouse, VALID, feed="violations", unit_code="CAP")
    refused = ingest_bytes(
        warehouse, b"\x00\x01\x02", feed="violations", unit_code="CAP", file_name="rac.csv"
    )
    events = read_events(warehouse.home)
    assert [e["event"] for e in events] == ["upload"] * 3
    assert [e["status"] for e in events] == ["loaded", "duplicate", "refused"]
    assert [e["upload_id"] for e in events] == [loaded.upload_id, again.upload_id, refused.upload_id]
    first, _, last = events
    assert (first["unit"], first["feed"], first["file_name"]) == ("CAP", "violations", "utf8_comma.csv")
    assert first["rows_accepted"] == loaded.rows_accepted and first["reason"] is None
    assert last["reason"] == refused.reason and last["reason"]
    # What reading the loaded file cost the sandbox's worker, measured by the worker for this file alone.
    assert first["judging"]["peak_mb"] > 0 and first["judging"]["cpu_seconds"] >= 0
    for event in events:  # every line has the same fields, and a time
        assert set(FIELDS) <= set(event)
        assert event["time"].startswith("20")


def test_the_uploader_account_is_recorded(warehouse):
    from pipelines.ingest import ingest

    ingest(
        warehouse,
        (FIXTURES / VALID).read_bytes(),
        feed="violations",
        unit_code="CAP",
        file_name="t6.csv",
        uploaded_by="van.thu.cap",
        today=dt.date(2026, 11, 29),
    )
    (event,) = read_events(warehouse.home)
    assert event["account"] == "van.thu.cap"


def test_a_log_that_cannot_be_written_never_fails_the_load(warehouse, ingest_fixture):
    (warehouse.home / "logs").write_text("not a folder")  # the log's folder cannot be created
    result = ingest_fixture(warehouse, VALID, feed="violations", unit_code="CAP")
    assert result.status == "loaded"
    assert log_event(warehouse.home, "upload", status="loaded") is False


def test_an_unexpected_error_in_a_command_is_logged_not_shown_as_a_traceback(tmp_path, monkeypatch, capsys):
    import pipelines.templates

    def broken(*_):
        raise RuntimeError("ổ đĩa lỗi")

    monkeypatch.setattr(pipelines.templates, "write_template", broken)
    code = cli.main(["--home", str(tmp_path), "template", "--feed", "cleanups", "--output", "x.csv"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "Lỗi không mong đợi" in err and "ổ đĩa lỗi" in err and "events.jsonl" in err
    (event,) = read_events(tmp_path)
    assert event["event"] == "error" and event["where"] == "cli:template"
    assert "RuntimeError: ổ đĩa lỗi" in event["reason"] and "Traceback" in event["detail"]


@pytest.fixture
def ward(warehouse):
    Accounts(warehouse.home).add_user("lanh.dao", "mat-khau-1", "leader")
    return warehouse.home


def test_logins_are_logged_success_failure_and_lockout(ward, monkeypatch):
    at = open_app(ward, monkeypatch, role=None).run()
    for _ in range(MAX_FAILURES):
        log_in(at, "Lanh.Dao", "sai-mat-khau")
    log_in(at, "lanh.dao", "mat-khau-1")  # locked for now, even with the right password
    Accounts(ward).set_password("lanh.dao", "mat-khau-moi")  # an admin resets it: unlocked
    log_in(at, "lanh.dao", "mat-khau-moi")
    assert at.title[0].value == "Tổng quan phường"
    logins = [e for e in read_events(ward) if e["event"] == "login"]
    assert [e["status"] for e in logins] == ["failed"] * MAX_FAILURES + ["locked", "ok"]
    assert {e["account"] for e in logins} == {"lanh.dao"}
    assert "tạm khóa" in logins[-2]["reason"]
    assert "sai-mat-khau" not in events_path(ward).read_text(encoding="utf-8")  # never a password


def test_each_event_is_one_json_line(tmp_path):
    log_event(tmp_path, "approval", status="approved", account="quan.tri", upload_id=7, note="dòng\nmới")
    lines = events_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["note"] == "dòng\nmới"


def test_an_unexpected_error_on_a_page_is_logged_with_the_account(ward, monkeypatch):
    import dashboard.data

    def broken(*_, **__):
        raise RuntimeError("kho hỏng")

    monkeypatch.setattr(dashboard.data, "ward_indicators", broken)
    at = open_app(ward, monkeypatch, role="leader").run()
    (event,) = [e for e in read_events(ward) if e["event"] == "error"]
    assert event["page_title"] == "Tổng quan phường" and event["account"] == "test-leader"
    assert "RuntimeError: kho hỏng" in event["reason"]
    # The leader reads Vietnamese and the reference the log keeps, not Streamlit's English box or the error.
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert "gặp lỗi không mong đợi" in shown and event["ref"] in shown
    assert "kho hỏng" not in shown and "RuntimeError" not in shown
