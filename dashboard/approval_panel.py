"""The completeness page's approval panel: the state of one report and the buttons the role allows.

The buttons are only a convenience: warehouse/approvals.py checks the account's role and the
state again for every action.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, tables
from dashboard.i18n import lang, state_text, t
from kernel import contracts as c
from kernel import formats as fmt
from warehouse.accounts import User

# Which buttons each role sees (the same roles warehouse/approvals.py allows).
BUTTONS = {
    "unit": ("submit",),
    "leader": ("approve", "return"),
    "admin": ("submit", "approve", "return", "lock", "reopen"),
}
UNIT_ACTIONS = ("submit", "approve", "return")


def _month_label(month_key: str) -> str:
    return f"{month_key[5:7]}/{month_key[:4]}"


def panel(user: User, grid: pl.DataFrame) -> None:
    """Pick a feed, a month and a unit; show its state and the allowed actions."""
    st.subheader(t("approval_heading"))
    st.caption(t("approval_help"))
    if notice := st.session_state.pop("approval_notice", None):
        st.success(notice)
    if grid.is_empty():
        st.info(t("approval_no_months"))
        return
    if user.role == "unit":
        grid = grid.filter(pl.col("unit_code") == user.unit_code)
        if grid.is_empty():
            st.info(t("approval_no_months"))
            return
    feed_labels = {name: (ct.label_en if lang() == "en" else ct.label_vi) for name, ct in c.FEEDS.items()}
    feeds = [f for f in c.FEEDS if f in set(grid["feed"].to_list())]
    a, b, cc = st.columns(3)
    feed = a.selectbox(t("feed"), feeds, format_func=lambda f: feed_labels.get(f, f), key="approval_feed")
    months = sorted(grid.filter(pl.col("feed") == feed)["month_key"].unique().to_list(), reverse=True)
    month = b.selectbox(t("approval_month"), months, format_func=_month_label, key="approval_month")
    cells = grid.filter((pl.col("feed") == feed) & (pl.col("month_key") == month)).sort("unit_code")
    names = dict(cells.select("unit_code", "unit_name").iter_rows())
    unit = cc.selectbox(
        t("approval_unit"),
        list(names),
        format_func=lambda u: f"{names[u]} ({u})",
        key="approval_unit",
        disabled=user.role == "unit",
    )
    cell = cells.filter(pl.col("unit_code") == unit).row(0, named=True)
    _state(cell, cells)
    allowed = BUTTONS.get(user.role, ())
    if not allowed:
        st.caption(t("approval_view_only"))
    else:
        comment = st.text_input(t("approval_comment"), key="approval_comment")
        columns = st.columns(len(allowed))
        for column, action in zip(columns, allowed, strict=True):
            if column.button(t(f"approval_{action}"), key=f"approval_{action}", width="stretch"):
                _do(action, user, feed, month, unit if action in UNIT_ACTIONS else None, comment)
    log = data.approval_log(feed, month)
    with st.expander(t("approval_log"), expanded=False):
        if log.is_empty():
            st.caption(t("approval_none"))
        else:
            tables.show(
                log.rename({"unit_code": "unit"}), key="approval_log_table", file_name="nhat-ky-duyet.csv"
            )


def _state(cell: dict, cells: pl.DataFrame) -> None:
    text = t("approval_current", state=state_text(cell.get("state"), cell["state_vi"]))
    if cell.get("state_by"):
        text += " · " + t("approval_by", by=cell["state_by"], at=fmt.datetime(cell["state_at"]))
    st.markdown(text)
    if cell.get("state_comment"):
        (st.warning if cell["state"] == "returned" else st.caption)(
            t("approval_comment_shown", comment=cell["state_comment"])
        )
    approved = cells.filter(pl.col("state").is_in(["approved", "locked"])).height
    locked = cells.filter(pl.col("state") == "locked")
    suffix = ""
    if locked.height:
        first = locked.row(0, named=True)
        suffix = t("approval_locked_suffix", by=first["state_by"], at=fmt.datetime(first["state_at"]))
    st.caption(t("approval_month_state", approved=approved, total=cells.height, locked=suffix))


def _do(action: str, user: User, feed: str, month: str, unit: str | None, comment: str) -> None:
    from warehouse.approvals import ApprovalRefused

    try:
        result = data.approval_action(
            action, feed=feed, month=month, username=user.username, unit=unit, comment=comment
        )
    except ApprovalRefused as refused:
        st.error(refused.message)
        return
    st.session_state["approval_notice"] = result.message
    st.session_state.pop("approval_comment", None)
    st.rerun()
