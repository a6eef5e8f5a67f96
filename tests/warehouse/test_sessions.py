"""The server's record of signed-in sessions: one-time token, idle expiry, signing out everywhere."""

from __future__ import annotations

from warehouse.sessions import Sessions, idle_seconds

IDLE = 600


def _store(tmp_path, clock):
    return Sessions(tmp_path, clock=lambda: clock["now"])


def test_the_cookie_names_the_session_only_with_the_servers_signature(tmp_path):
    store = Sessions(tmp_path)
    session_id, _ = store.create("lanhdao")
    value = store.cookie_value(session_id)
    assert store.session_of_cookie(value) == session_id
    assert store.session_of_cookie(value[:-2] + "xx") is None
    assert store.session_of_cookie(session_id) is None  # an unsigned id is nothing
    assert Sessions(tmp_path / "other-ward").session_of_cookie(value) is None  # another ward's key
    assert (tmp_path / "session.key").stat().st_mode & 0o077 == 0


def test_the_one_time_token_is_good_once_and_for_a_minute(tmp_path):
    clock = {"now": 1000.0}
    store = _store(tmp_path, clock)
    session_id, handoff = store.create("lanhdao")
    assert store.handoff_pending(session_id)  # the page asks the browser again until it is traded
    assert store.redeem(handoff, IDLE) == session_id
    assert not store.handoff_pending(session_id)
    assert store.redeem(handoff, IDLE) is None
    late_session, late = store.create("lanhdao")
    clock["now"] += 61
    assert not store.handoff_pending(late_session)  # expired: no use asking
    assert store.redeem(late, IDLE) is None


def test_activity_keeps_a_session_idle_time_ends_it_for_good(tmp_path):
    clock = {"now": 1000.0}
    store = _store(tmp_path, clock)
    session_id, _ = store.create("lanhdao")
    for _ in range(5):  # working for 50 minutes in 10-minute steps
        clock["now"] += IDLE - 1
        assert store.touch(session_id, IDLE) == "lanhdao"
    clock["now"] += IDLE + 1
    assert store.touch(session_id, IDLE) is None
    assert store.end_reason(session_id) == "idle"
    clock["now"] -= 2 * IDLE  # a clock set back does not bring it back
    assert store.touch(session_id, IDLE) is None


def test_signing_out_ends_the_session_and_only_that_one(tmp_path):
    store = Sessions(tmp_path)
    here, _ = store.create("lanhdao")
    elsewhere, _ = store.create("lanhdao")
    store.revoke(here)
    assert store.touch(here, IDLE) is None and store.end_reason(here) == "signed_out"
    assert store.touch(elsewhere, IDLE) == "lanhdao"
    assert store.revoke_user("lanhdao") == 1
    assert store.touch(elsewhere, IDLE) is None


def test_idle_timeout_from_the_environment(monkeypatch):
    monkeypatch.delenv("DOTHIXANH_SESSION_SECONDS", raising=False)
    monkeypatch.delenv("DOTHIXANH_SESSION_MINUTES", raising=False)
    assert idle_seconds() == 3600
    monkeypatch.setenv("DOTHIXANH_SESSION_MINUTES", "30")
    assert idle_seconds() == 1800
    monkeypatch.setenv("DOTHIXANH_SESSION_SECONDS", "5")
    assert idle_seconds() == 5
