"""Accounts, roles and saved queries, kept in DOTHIXANH_HOME/accounts.duckdb.

They live beside the warehouse but not in it: the warehouse is published as a
snapshot that analysts query, and password hashes must never be readable there.
Every access is a short connection under a file lock, so the dashboard and the
command line can both change accounts. Passwords are hashed with Argon2
(argon2-cffi); failed logins are counted here so the limit holds across
browser sessions and restarts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kernel.labels import CITY_ROLES, ROLES  # re-exported: warehouse.accounts.ROLES as before
from warehouse.store import default_home, now_vietnam

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MAX_FAILURES = 5  # failed logins for one user name …
FAILURE_WINDOW = dt.timedelta(minutes=5)  # … within this window lock it for the rest of the window
# Argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB of memory, 2 passes,
# 1 lane), not argon2-cffi's default (64 MiB, 3 passes, 4 lanes): the default cost 0,17 s of CPU per
# sign-in on this 2-core server, a room of 25 people signing in at once 4 s of CPU taken from their
# pages; this costs 0,02 s. Guessing stays slow where it matters: 5 failures lock a name (above).
# A password hashed with other parameters still verifies and is hashed again at its next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    unit_code VARCHAR,
    full_name VARCHAR,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (username VARCHAR NOT NULL, failed_at TIMESTAMP NOT NULL);
CREATE SEQUENCE IF NOT EXISTS saved_query_seq START 1;
CREATE TABLE IF NOT EXISTS saved_queries (
    query_id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    sql VARCHAR NOT NULL,
    shared BOOLEAN NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
"""


class AccountError(Exception):
    """A refused account operation; the message is Vietnamese."""


class AccountLocked(AccountError):
    """A login refused because of repeated failures (the name is locked for a while)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    unit_code: str | None
    full_name: str | None

    @property
    def role_label(self) -> str:
        return {**ROLES, **CITY_ROLES}[self.role][0]


class Accounts:
    def __init__(self, home: Path | str | None = None):
        self.home = Path(home).resolve() if home else default_home()
        self.path = self.home / "accounts.duckdb"
        self.lock_path = self.home / "accounts.lock"

    @contextlib.contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            con = duckdb.connect(str(self.path))
            try:
                con.execute(SCHEMA)
                yield con
            finally:
                con.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def copy_database(self, target: Path) -> bool:
        """Copy accounts.duckdb (users, saved queries) to `target`, consistently; False if there is none."""
        import shutil

        if not self.path.exists():
            return False
        with self._connect() as con:  # under the accounts lock: no change lands half-way
            con.execute("CHECKPOINT")
            shutil.copyfile(self.path, target)
        return True

    # -- users -------------------------------------------------------------------
    def add_user(
        self,
        username: str,
        password: str,
        role: str,
        *,
        unit_code: str | None = None,
        full_name: str | None = None,
        replace: bool = False,
        allow_weak: bool = False,
    ) -> User:
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError(
                f"Tên đăng nhập «{username}» không hợp lệ: 2–32 ký tự, chữ thường không dấu, số, . _ -"
            )
        if role not in ROLES and role not in CITY_ROLES:  # a city role only in the city's own store
            raise AccountError(f"Vai trò «{role}» không có. Các vai trò: {', '.join(ROLES)}.")
        if role == "unit" and not unit_code:
            raise AccountError("Tài khoản đơn vị phải gắn với một mã đơn vị (--unit).")
        if role != "unit":
            unit_code = None
        _check_password(password, allow_weak)
        now = now_vietnam()
        with self._connect() as con:
            exists = con.sql("SELECT 1 FROM users WHERE username = ?", params=[username]).fetchall()
            if exists and not replace:
                raise AccountError(f"Tài khoản «{username}» đã có.")
            con.execute("DELETE FROM users WHERE username = ?", [username])
            con.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)",
                [username, _hasher.hash(password), role, unit_code, full_name, now, now],
            )
        return User(username, role, unit_code, full_name)

    def remove_user(self, username: str) -> None:
        with self._connect() as con:
            if not con.sql("SELECT 1 FROM users WHERE username = ?", params=[username]).fetchall():
                raise AccountError(f"Không có tài khoản «{username}».")
            con.execute("DELETE FROM users WHERE username = ?", [username])

    def set_password(self, username: str, password: str) -> None:
        _check_password(password)
        with self._connect() as con:
            if not con.sql("SELECT 1 FROM users WHERE username = ?", params=[username]).fetchall():
                raise AccountError(f"Không có tài khoản «{username}».")
            con.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                [_hasher.hash(password), now_vietnam(), username],
            )
            con.execute("DELETE FROM login_failures WHERE username = ?", [username])

    def list_users(self) -> list[dict]:
        with self._connect() as con:
            rows = con.sql(
                "SELECT username, role, unit_code, full_name, created_at, password_changed_at "
                "FROM users ORDER BY role, username"
            )
            names = rows.columns
            return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]

    def login(self, username: str, password: str) -> User:
        """The user, if the password is right and the name is not locked by repeated failures."""
        username = (username or "").strip().lower()
        now = now_vietnam()
        with self._connect() as con:
            failures = con.sql(
                "SELECT count(*) FROM login_failures WHERE username = ? AND failed_at > ?",
                params=[username, now - FAILURE_WINDOW],
            ).fetchall()[0][0]
            if failures >= MAX_FAILURES:
                minutes = int(FAILURE_WINDOW.total_seconds() // 60)
                raise AccountLocked(
                    f"Đăng nhập sai quá {MAX_FAILURES} lần; tài khoản tạm khóa {minutes} phút. Hãy thử lại sau."
                )
            row = con.sql(
                "SELECT password_hash, role, unit_code, full_name FROM users WHERE username = ?",
                params=[username],
            ).fetchall()
            ok = False
            if row:
                try:
                    ok = _hasher.verify(row[0][0], password or "")
                except (VerificationError, InvalidHashError):
                    ok = False
            if not ok:
                con.execute("INSERT INTO login_failures VALUES (?, ?)", [username, now])
                raise AccountError("Sai tên đăng nhập hoặc mật khẩu.")
            con.execute("DELETE FROM login_failures WHERE username = ?", [username])
            if _hasher.check_needs_rehash(row[0][0]):
                con.execute(
                    "UPDATE users SET password_hash = ? WHERE username = ?",
                    [_hasher.hash(password), username],
                )
        _, role, unit_code, full_name = row[0]
        return User(username, role, unit_code, full_name)

    def get(self, username: str) -> User | None:
        with self._connect() as con:
            row = con.sql(
                "SELECT role, unit_code, full_name FROM users WHERE username = ?", params=[username]
            ).fetchall()
        return User(username, *row[0]) if row else None

    # -- saved queries -----------------------------------------------------------
    def save_query(self, owner: str, name: str, sql: str, shared: bool) -> int:
        if not name.strip() or not sql.strip():
            raise AccountError("Cần đặt tên và có nội dung câu truy vấn.")
        with self._connect() as con:
            query_id = con.sql("SELECT nextval('saved_query_seq')").fetchall()[0][0]
            con.execute(
                "INSERT INTO saved_queries VALUES (?, ?, ?, ?, ?, ?)",
                [query_id, owner, name.strip(), sql, shared, now_vietnam()],
            )
        return query_id

    def saved_queries(self, user: str) -> list[dict]:
        """The user's own queries and everyone's shared ones."""
        with self._connect() as con:
            rows = con.sql(
                "SELECT query_id, owner, name, sql, shared, saved_at FROM saved_queries "
                "WHERE owner = ? OR shared ORDER BY shared, name",
                params=[user],
            )
            names = rows.columns
            return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]

    def delete_query(self, user: str, query_id: int) -> None:
        with self._connect() as con:
            owner = con.sql(
                "SELECT owner FROM saved_queries WHERE query_id = ?", params=[query_id]
            ).fetchall()
            if not owner or owner[0][0] != user:
                raise AccountError("Chỉ người lưu câu truy vấn mới xóa được.")
            con.execute("DELETE FROM saved_queries WHERE query_id = ?", [query_id])


# The demo ward (pipelines/demo) writes this file beside its accounts; the login page then shows the
# demo password. Kept here so that the dashboard never needs the demo builder.
DEMO_MARKER = "demo-ward.txt"
DEMO_PASSWORD = "demo"


def is_demo(home: Path) -> bool:
    """Whether `home` holds the demo ward (its accounts all use DEMO_PASSWORD)."""
    return (Path(home) / DEMO_MARKER).exists()


MIN_PASSWORD = 8


def _check_password(password: str, allow_weak: bool = False) -> None:
    """At least 8 characters (the demo ward's shared 'demo' password is the one exception)."""
    if not password or (len(password) < MIN_PASSWORD and not allow_weak):
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
