"""Signed-in sessions, kept on the server in DOTHIXANH_HOME/sessions.sqlite3.

The browser holds only a signed session id in an HttpOnly cookie; whether that id
still opens the dashboard is decided here, on every script run: a session ends
when it is signed out (revoked, in every tab at once) or idle for longer than the
idle timeout. SQLite (standard library, WAL) because it is checked on every
rerun by several processes at once and costs well under a millisecond; the
accounts' DuckDB file would cost a connection per check.

The cookie is set by the server's own routes (dashboard/server.py), never by the
page: a page hands the browser a one-time token that the browser trades for the
cookie within a minute.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from itsdangerous import BadSignature, Signer

from warehouse.store import default_home

COOKIE = "dothixanh_session"
HANDOFF_SECONDS = 60  # how long the one-time token a page hands the browser stays good
DEFAULT_IDLE_MINUTES = 60

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    revoked_at REAL,
    ended_by TEXT,
    handoff TEXT UNIQUE,
    handoff_until REAL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
"""


def idle_seconds() -> int:
    """Idle time before a session ends: DOTHIXANH_SESSION_SECONDS (tests), else DOTHIXANH_SESSION_MINUTES (60)."""
    for name, unit in (("DOTHIXANH_SESSION_SECONDS", 1), ("DOTHIXANH_SESSION_MINUTES", 60)):
        raw = os.environ.get(name)
        if raw:
            try:
                return max(1, int(raw)) * unit
            except ValueError:
                continue
    return DEFAULT_IDLE_MINUTES * 60


class Sessions:
    """The server's record of who is signed in, by session id."""

    def __init__(self, home: Path | str | None = None, *, clock=time.time):
        self.home = Path(home).resolve() if home else default_home()
        self.path = self.home / "sessions.sqlite3"
        self.key_path = self.home / "session.key"
        self.clock = clock

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.home.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)
            yield con
        finally:
            con.close()

    # -- the cookie's signature ------------------------------------------------------
    def _signer(self) -> Signer:
        """Signs with the ward's own secret (session.key, made on first use, readable by its owner only)."""
        secret = os.environ.get("DOTHIXANH_SESSION_SECRET")
        if not secret:
            if not self.key_path.exists():
                self.home.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_urlsafe(32))
            secret = self.key_path.read_text().strip()
        return Signer(secret, salt="dothixanh-session")

    def cookie_value(self, session_id: str) -> str:
        return self._signer().sign(session_id).decode()

    def session_of_cookie(self, value: str | None) -> str | None:
        """The session id a cookie carries, if its signature is the server's; None for anything else."""
        if not value:
            return None
        try:
            return self._signer().unsign(value).decode()
        except BadSignature:
            return None

    # -- sessions ----------------------------------------------------------------------
    def create(self, username: str) -> tuple[str, str]:
        """A new session for a user who has just signed in: (session id, one-time token for the cookie)."""
        session_id, handoff = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        with self._connect() as con:
            con.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)",
                [session_id, username, now, now, handoff, now + HANDOFF_SECONDS],
            )
        return session_id, handoff

    def redeem(self, handoff: str, idle: int) -> str | None:
        """The session a one-time token stands for (once, within a minute, while the session lives)."""
        now = self.clock()
        with self._connect() as con:
            row = con.execute(
                "UPDATE sessions SET handoff = NULL, handoff_until = NULL WHERE handoff = ? "
                "AND handoff_until >= ? AND revoked_at IS NULL AND last_seen + ? >= ? RETURNING session_id",
                [handoff, now, idle, now],
            ).fetchone()
        return row[0] if row else None

    def handoff_pending(self, session_id: str | None) -> bool:
        """Whether the session's one-time token is still waiting for the browser to trade it (not yet
        redeemed, not expired): a page that drew the trade in a run the browser never showed asks again."""
        if not session_id:
            return False
        with self._connect() as con:
            row = con.execute(
                "SELECT 1 FROM sessions WHERE session_id = ? AND handoff IS NOT NULL AND handoff_until >= ? "
                "AND revoked_at IS NULL",
                [session_id, self.clock()],
            ).fetchone()
        return row is not None

    def touch(self, session_id: str | None, idle: int) -> str | None:
        """The user of a live session, whose idle clock starts again; None if it is unknown, signed out
        or idle for longer than `idle` seconds (it then stays ended)."""
        if not session_id:
            return None
        now = self.clock()
        with self._connect() as con:
            row = con.execute(
                "UPDATE sessions SET last_seen = ? WHERE session_id = ? AND revoked_at IS NULL "
                "AND last_seen + ? >= ? RETURNING username",
                [now, session_id, idle, now],
            ).fetchone()
            if row is None:  # idle too long: ended for good, even if the clock were set back
                con.execute(
                    "UPDATE sessions SET revoked_at = ?, ended_by = 'idle' "
                    "WHERE session_id = ? AND revoked_at IS NULL",
                    [now, session_id],
                )
        return row[0] if row else None

    def end_reason(self, session_id: str) -> str | None:
        """Why a session ended: 'idle', 'signed_out' (or the account's sessions were ended), None if unknown."""
        with self._connect() as con:
            row = con.execute("SELECT ended_by FROM sessions WHERE session_id = ?", [session_id]).fetchone()
        return row[0] if row else None

    def ends_at(self, session_id: str, idle: int) -> float | None:
        """When the session will end if nothing happens (a Unix time), None if it has ended."""
        with self._connect() as con:
            row = con.execute(
                "SELECT last_seen + ? FROM sessions WHERE session_id = ? AND revoked_at IS NULL",
                [idle, session_id],
            ).fetchone()
        return row[0] if row else None

    def revoke(self, session_id: str | None) -> None:
        """Sign the session out, in every tab that holds it."""
        if session_id:
            with self._connect() as con:
                con.execute(
                    "UPDATE sessions SET revoked_at = ?, ended_by = 'signed_out' "
                    "WHERE session_id = ? AND revoked_at IS NULL",
                    [self.clock(), session_id],
                )

    def revoke_user(self, username: str) -> int:
        """Sign every session of a user out (a changed password, a removed account); how many."""
        with self._connect() as con:
            cursor = con.execute(
                "UPDATE sessions SET revoked_at = ?, ended_by = 'signed_out' "
                "WHERE username = ? AND revoked_at IS NULL",
                [self.clock(), username],
            )
            return cursor.rowcount

    def forget_old(self, older_than: float = 30 * 86400) -> None:
        """Drop sessions ended or unused for a month (the table stays small)."""
        with self._connect() as con:
            con.execute("DELETE FROM sessions WHERE last_seen < ?", [self.clock() - older_than])
