"""Approval of each unit's monthly report and locked periods (anchor: DHIS2 data approval).

For each feed × month and unit: the unit submits its month ("gửi duyệt"); the lead unit (role
`leader`) or an admin approves it ("duyệt") or returns it with a comment ("trả lại"); an admin
locks the feed-month once every report of it is approved ("khóa sổ"); only an admin reopens a
locked month, with a reason ("mở khóa"). States: chưa nhận → đã nhận → đã gửi duyệt →
đã duyệt / trả lại → đã khóa (marts/63_approval_states.sql derives them from the log).

The rules, checked here (never only on a page), on the writer's connection:

- submit: the unit's own account (role `unit` bound to that unit) or an admin; the month has
  ended; a file (or a "nothing to report" declaration) was received; the report is "đã nhận"
  or "trả lại" (a file sent after a submission puts it back to "đã nhận": submit again).
- approve: leader or admin; the report is "đã gửi duyệt".
- return: leader or admin, with a comment; the report is "đã gửi duyệt" or "đã duyệt".
- lock: admin; the month has ended; every expected report of the feed-month is "đã duyệt"
  (a unit that had nothing to report declares it, submits and is approved like any other).
- reopen: admin, with a reason; the feed-month is locked. Its reports go back to "đã duyệt".

Every action (and every refusal) is logged to the event log; every action is kept in
`raw.approval_actions` (view `approvals`) with who, when and the comment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from kernel import contracts as c
from kernel.formats import month_label, when_label
from warehouse.accounts import Accounts, User
from warehouse.events import log_event
from warehouse.store import Warehouse, now_vietnam

ACTIONS = ("submit", "approve", "return", "lock", "reopen")
ACTION_VI = {
    "submit": "gửi duyệt",
    "approve": "duyệt",
    "return": "trả lại",
    "lock": "khóa sổ",
    "reopen": "mở khóa",
}
STATES_VI = {
    "not_received": "Chưa nhận",
    "received": "Đã nhận",
    "submitted": "Đã gửi duyệt",
    "approved": "Đã duyệt",
    "returned": "Trả lại",
    "locked": "Đã khóa",
}
UNIT_ACTIONS = ("submit", "approve", "return")  # on one unit's report; lock / reopen are feed-months
ROLES_ALLOWED = {
    "submit": ("unit", "admin"),
    "approve": ("leader", "admin"),
    "return": ("leader", "admin"),
    "lock": ("admin",),
    "reopen": ("admin",),
}
FROM_STATES = {
    "submit": ("received", "returned"),
    "approve": ("submitted",),
    "return": ("submitted", "approved"),
    "reopen": ("locked",),
}
STATE_AFTER = {
    "submit": "submitted",
    "approve": "approved",
    "return": "returned",
    "lock": "locked",
    "reopen": "approved",
}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ApprovalRefused(Exception):
    """An action refused; the message is plain Vietnamese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ActionResult:
    action: str
    feed: str
    month_key: str
    unit_code: str | None
    account: str
    action_id: int
    state_before: str
    state_after: str
    message: str

    def to_json(self) -> dict:
        return {
            "status": "ok",
            "action": self.action,
            "feed": self.feed,
            "month": self.month_key,
            "unit_code": self.unit_code,
            "account": self.account,
            "action_id": self.action_id,
            "state_before": self.state_before,
            "state_after": self.state_after,
            "message": self.message,
        }


def parse_month(text: str) -> str:
    """'2026-10' (also '10/2026') → '2026-10'; anything else is refused in Vietnamese."""
    value = (text or "").strip()
    match = re.match(r"^(\d{1,2})/(\d{4})$", value)
    if match:
        value = f"{match.group(2)}-{int(match.group(1)):02d}"
    found = MONTH.match(value)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ApprovalRefused(f"Tháng «{text}» không hợp lệ: hãy ghi theo dạng YYYY-MM, ví dụ 2026-10.")
    return value


def _month_end(month_key: str) -> dt.date:
    year, month = int(month_key[:4]), int(month_key[5:])
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _feed_label(feed: str) -> str:
    return c.FEEDS[feed].label_vi


def current_locks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, str]]:
    """(feed, yyyy-mm) → (locked_by, locked_at ISO) of every locked month ({} before the first refresh)."""
    exists = con.sql(
        "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'marts' AND view_name = 'period_locks'"
    ).fetchall()[0][0]
    if not exists:
        return {}
    try:
        rows = con.sql("SELECT feed, month_key, locked_by, locked_at FROM marts.period_locks").fetchall()
    except duckdb.Error:  # a placeholder or an older snapshot without the log: nothing locked
        return {}
    return {
        (feed, month): (str(by or ""), at.isoformat(timespec="minutes") if at else "")
        for feed, month, by, at in rows
        if feed and month
    }


def _check_role(action: str, user: User, unit_code: str | None) -> None:
    allowed = ROLES_ALLOWED[action]
    if user.role not in allowed:
        who = {"unit": "đơn vị gửi báo cáo", "leader": "lãnh đạo", "admin": "quản trị viên"}
        names = " hoặc ".join(who[r] for r in allowed)
        raise ApprovalRefused(
            f"Tài khoản «{user.username}» ({user.role_label}) không được {ACTION_VI[action]}: "
            f"chỉ {names} mới được {ACTION_VI[action]}."
        )
    if action == "submit" and user.role == "unit" and user.unit_code != unit_code:
        raise ApprovalRefused(
            f"Tài khoản «{user.username}» thuộc đơn vị {user.unit_code}, không gửi duyệt được báo cáo "
            f"của đơn vị {unit_code}."
        )


def _cells(con, feed: str, month_key: str, unit_code: str | None = None) -> list[dict]:
    cursor = con.cursor()
    try:
        cursor.execute(
            "SELECT unit_code, unit_name, state, state_vi, state_by, state_at FROM marts.approval_states "
            "WHERE feed = ? AND month_key = ? AND (CAST(? AS VARCHAR) IS NULL OR unit_code = ?) ORDER BY unit_code",
            [feed, month_key, unit_code, unit_code],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except duckdb.CatalogException:  # no marts yet (a ward set up before its first refresh)
        raise ApprovalRefused(
            "Kho dữ liệu chưa có bảng tình hình báo cáo: hãy nạp một tệp số liệu trước."
        ) from None
    finally:
        cursor.close()


def _no_report(con, feed: str, month_key: str, unit_code: str) -> ApprovalRefused:
    """Why there is no report of this unit, feed and month to act on."""
    cursor = con.cursor()
    try:
        cursor.execute("SELECT unit_name, feeds FROM units WHERE unit_code = ?", [unit_code])
        unit = cursor.fetchall()
    finally:
        cursor.close()
    if not unit:
        return ApprovalRefused(f"Đơn vị «{unit_code}» không có trong danh sách đơn vị của phường.")
    name, feeds = unit[0]
    if feed not in feeds:
        return ApprovalRefused(
            f"Đơn vị «{name}» ({unit_code}) không gửi loại dữ liệu «{_feed_label(feed)}»: không có báo cáo để "
            "duyệt."
        )
    return ApprovalRefused(
        f"Tháng {month_label(month_key)} nằm ngoài các tháng của phong trào đã tính số liệu: "
        "không có báo cáo để duyệt."
    )


def record(
    con: duckdb.DuckDBPyConnection,
    action: str,
    *,
    feed: str,
    month: str,
    user: User,
    unit_code: str | None = None,
    comment: str | None = None,
    at: dt.datetime | None = None,
) -> ActionResult:
    """Check one action against the rules and keep it (on an open writer connection; no refresh)."""
    if action not in ACTIONS:
        raise ApprovalRefused(f"Thao tác «{action}» không có.")
    if feed not in c.FEEDS:
        known = ", ".join(f"{name} ({ct.label_vi})" for name, ct in c.FEEDS.items())
        raise ApprovalRefused(f"Loại dữ liệu «{feed}» không có; các loại: {known}.")
    month_key = parse_month(month)
    at = at or now_vietnam()
    comment = (comment or "").strip() or None
    unit_code = (unit_code or "").strip().upper() or None
    if action in UNIT_ACTIONS and not unit_code:
        raise ApprovalRefused(f"Hãy cho biết đơn vị (--unit) có báo cáo cần {ACTION_VI[action]}.")
    if action not in UNIT_ACTIONS:
        unit_code = None
    _check_role(action, user, unit_code)
    if action in ("return", "reopen") and not comment:
        what = "lý do trả lại" if action == "return" else "lý do mở khóa"
        raise ApprovalRefused(f"Hãy ghi {what} (--comment): đơn vị và người xem sau cần biết vì sao.")
    where = f"tháng {month_label(month_key)} của loại dữ liệu «{_feed_label(feed)}»"
    if action in ("submit", "lock") and at.date() <= _month_end(month_key):
        raise ApprovalRefused(
            f"Tháng {month_label(month_key)} chưa kết thúc: chỉ {ACTION_VI[action]} được từ ngày "
            f"{(_month_end(month_key) + dt.timedelta(days=1)).strftime('%d/%m/%Y')}."
        )
    if action in UNIT_ACTIONS:
        cells = _cells(con, feed, month_key, unit_code)
        if not cells:
            raise _no_report(con, feed, month_key, unit_code)
        cell = cells[0]
        before = cell["state"]
        report = f"Báo cáo {where} của đơn vị {cell['unit_name']} ({unit_code})"
        if before not in FROM_STATES[action]:
            raise ApprovalRefused(_refusal(action, before, report, cell))
    else:
        cells = _cells(con, feed, month_key)
        if not cells:
            raise ApprovalRefused(f"Không có đơn vị nào gửi {where}.")
        locked = [x for x in cells if x["state"] == "locked"]
        if action == "lock":
            if locked:
                x = locked[0]
                raise ApprovalRefused(
                    f"{where[0].upper()}{where[1:]} đã khóa sổ (bởi «{x['state_by']}» lúc "
                    f"{when_label(x['state_at'])})."
                )
            pending = [x for x in cells if x["state"] != "approved"]
            if pending:
                listed = "; ".join(f"{x['unit_code']} ({x['state_vi'].lower()})" for x in pending)
                raise ApprovalRefused(
                    f"Chưa khóa sổ được {where}: mọi báo cáo của tháng phải được duyệt trước; còn "
                    f"{len(pending)} báo cáo chưa duyệt: {listed}."
                )
            before = "approved"
        else:  # reopen
            if not locked:
                raise ApprovalRefused(f"{where[0].upper()}{where[1:]} chưa khóa sổ: không có gì để mở khóa.")
            before = "locked"
    after = STATE_AFTER[action]
    action_id = con.sql("SELECT coalesce(max(action_id), 0) + 1 FROM raw.approval_actions").fetchall()[0][0]
    con.execute(
        "INSERT INTO raw.approval_actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [action_id, feed, unit_code, month_key, action, user.username, user.role, at, comment, before, after],
    )
    subject = f"báo cáo {where} của đơn vị {unit_code}" if unit_code else where
    message = f"Đã {ACTION_VI[action]} {subject}: {STATES_VI[before].lower()} → {STATES_VI[after].lower()}."
    return ActionResult(action, feed, month_key, unit_code, user.username, action_id, before, after, message)


def _refusal(action: str, state: str, report: str, cell: dict) -> str:
    by = f" (bởi «{cell['state_by']}» lúc {when_label(cell['state_at'])})" if cell.get("state_by") else ""
    if state == "locked":
        return f"{report} đã khóa sổ{by}: chỉ quản trị viên mở khóa được, kèm lý do."
    if state == "not_received":
        return (
            f"{report} chưa nhận được: hãy gửi tệp số liệu (hoặc khai báo «không có số liệu phát sinh») "
            "trước khi gửi duyệt."
        )
    if action == "submit":
        return f"{report} đang ở trạng thái «{STATES_VI[state]}»{by}: không gửi duyệt lại được."
    if action == "approve":
        if state == "approved":
            return f"{report} đã được duyệt{by}."
        return f"{report} chưa được gửi duyệt (trạng thái «{STATES_VI[state]}»): đơn vị cần gửi duyệt trước."
    return f"{report} đang ở trạng thái «{STATES_VI[state]}»: chỉ trả lại được báo cáo đã gửi duyệt hoặc đã duyệt."


def _user(home, username: str) -> User:
    name = (username or "").strip().lower()
    if not name:
        raise ApprovalRefused("Hãy cho biết tài khoản thực hiện (--by).")
    user = Accounts(home).get(name)
    if user is None:
        raise ApprovalRefused(f"Không có tài khoản «{name}».")
    return user


def act(
    warehouse: Warehouse,
    action: str,
    *,
    feed: str,
    month: str,
    by: str,
    unit_code: str | None = None,
    comment: str | None = None,
    at: dt.datetime | None = None,
) -> ActionResult:
    """Check and keep one action by account `by`, refresh the marts and publish; raise ApprovalRefused.

    The account's role is looked up here: a page or a command cannot vouch for it.
    """
    from warehouse.refresh import refresh_marts, refresh_state

    fields = {"account": (by or "").strip().lower() or None, "unit": unit_code, "feed": feed}
    extra = {"action": action, "month": month, "comment": comment}
    try:
        user = _user(warehouse.home, by)
        if not warehouse.exists():
            raise ApprovalRefused("Chưa có kho dữ liệu: hãy chạy «dothixanh init» trước.")
        with warehouse.writing() as con:
            result = record(
                con, action, feed=feed, month=month, user=user, unit_code=unit_code, comment=comment, at=at
            )
            state = refresh_state(con) or {}
            pinned = state.get("as_of") if state.get("as_of_pinned") else None
            warehouse.after_commit(lambda: refresh_marts(con, warehouse.home, today=pinned))
    except ApprovalRefused as refused:
        log_event(warehouse.home, "approval", status="refused", reason=refused.message, **fields, **extra)
        raise
    log_event(
        warehouse.home,
        "approval",
        status="ok",
        **fields,
        **extra,
        action_id=result.action_id,
        state_before=result.state_before,
        state_after=result.state_after,
    )
    return result


def submit(warehouse: Warehouse, **kwargs) -> ActionResult:
    """The unit sends its month for approval ("gửi duyệt")."""
    return act(warehouse, "submit", **kwargs)


def approve(warehouse: Warehouse, **kwargs) -> ActionResult:
    """The lead unit or an admin approves a submitted month ("duyệt")."""
    return act(warehouse, "approve", **kwargs)


def return_report(warehouse: Warehouse, **kwargs) -> ActionResult:
    """The lead unit or an admin returns a submitted or approved month with a comment ("trả lại")."""
    return act(warehouse, "return", **kwargs)


def lock(warehouse: Warehouse, **kwargs) -> ActionResult:
    """An admin locks a feed-month whose reports are all approved ("khóa sổ")."""
    return act(warehouse, "lock", **kwargs)


def reopen(warehouse: Warehouse, **kwargs) -> ActionResult:
    """An admin reopens a locked feed-month, with a reason ("mở khóa")."""
    return act(warehouse, "reopen", **kwargs)
