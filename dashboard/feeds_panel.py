"""The admin page's «Loại dữ liệu» tab: every feed, and adding the ward's own from a declaration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, tables
from dashboard.i18n import t


def show(user) -> None:
    """List the feeds; check an uploaded declaration and, on request, add it (admins only, checked in add_feed)."""
    from kernel.feed_format import DeclarationError
    from services.ward_feeds import SOURCE_LABELS_VI, FeedNotAllowed, add_feed, check_text, feed_rows

    home = data.warehouse().home
    st.caption(t("feeds_help"))
    rows = feed_rows(home)
    tables.show(
        pl.DataFrame(
            {
                t("feed"): [r["label_vi"] for r in rows],
                t("feeds_source"): [SOURCE_LABELS_VI[r["source"]] for r in rows],
                t("feeds_columns"): [r["columns"] for r in rows],
            }
        ),
        key="feeds_table",
        file_name="loai-du-lieu.csv",
    )
    upload = st.file_uploader(t("feeds_file"), type=["toml"], key="feed_declaration")
    if upload is None:
        return
    declaration = upload.getvalue()
    try:
        contract = check_text(declaration, f"feeds/{upload.name}", home, adding=True)
    except DeclarationError as refused:
        st.error(t("feeds_invalid", count=len(refused.errors)))
        for problem in refused.errors:
            st.text(f"• {problem}")
        return
    st.success(t("feeds_valid", label=contract.label_vi, count=len(contract.columns)))
    if st.button(t("feeds_add"), type="primary", key="add_feed"):
        try:
            with st.spinner(t("loading")):
                add_feed(declaration, upload.name, home=home, by=user.username, role=user.role)
        except (DeclarationError, FeedNotAllowed) as exc:
            st.error("\n".join(getattr(exc, "errors", [str(exc)])))
            return
        st.success(t("feeds_added", label=contract.label_vi, name=contract.name))
