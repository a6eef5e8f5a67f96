"""Administration: accounts, the ward's reference lists and its settings file."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, data, feeds_panel, tables
from dashboard.i18n import lang, t
from kernel import formats as fmt
from services.ingest import ReferenceRefused, save_reference_lists
from warehouse import admin
from warehouse.accounts import ROLES, AccountError
from warehouse.settings import SettingsError
from warehouse.targets import TargetsNotAllowed, confirm_targets

user = auth.require("admin")
st.title(t("page_admin"))
accounts = auth.accounts()
users_tab, reference_tab, settings_tab, feeds_tab = st.tabs(
    [t("admin_users"), t("admin_reference"), t("admin_settings"), t("admin_feeds")]
)

with users_tab:
    tables.show(pl.DataFrame(accounts.list_users()), key="admin_users_table", file_name="tai-khoan.csv")
    with st.form("add_user", clear_on_submit=True):
        st.markdown(f"**{t('add_user')}**")
        a, b = st.columns(2)
        username = a.text_input(t("username"), key="new_username")
        full_name = b.text_input(t("full_name"), key="new_full_name")
        role = a.selectbox(
            t("role"),
            list(ROLES),
            format_func={r: ROLES[r][lang() == "en"] for r in ROLES}.get,
            key="new_role",
        )
        units = sorted(data.reference().units) if data.warehouse().exists() else []
        unit = b.selectbox(
            t("unit"),
            [None, *units],
            format_func={u: u or t("no_unit") for u in [None, *units]}.get,
            key="new_unit",
        )
        password = st.text_input(t("password"), type="password", key="new_password")
        if st.form_submit_button(t("add_user"), type="primary"):
            try:
                made = accounts.add_user(
                    username, password, role, unit_code=unit, full_name=full_name or None
                )
                st.success(t("user_added", username=made.username))
            except AccountError as exc:
                st.error(str(exc))
    names = [u["username"] for u in accounts.list_users() if u["username"] != user.username]
    if names:
        with st.form("change_user"):
            st.markdown(f"**{t('change_user')}**")
            who = st.selectbox(t("username"), names, key="change_username")
            new_password = st.text_input(t("new_password"), type="password", key="change_password")
            remove = st.checkbox(t("remove_user"), key="remove_user")
            if st.form_submit_button(t("apply")):
                try:
                    if remove:
                        accounts.remove_user(who)
                        auth.sessions().revoke_user(who)  # signed out wherever they were
                        st.success(t("user_removed", username=who))
                    else:
                        accounts.set_password(who, new_password)
                        auth.sessions().revoke_user(who)
                        st.success(t("password_changed", username=who))
                except AccountError as exc:
                    st.error(str(exc))

with reference_tab:
    st.caption(t("reference_help"))
    groups_file = st.file_uploader(t("groups_file"), type=["csv", "txt", "xlsx"], key="ref_groups")
    units_file = st.file_uploader(t("units_file"), type=["csv", "txt", "xlsx"], key="ref_units")
    valid_from = st.date_input(
        t("valid_from"), value="today", format="DD/MM/YYYY", help=t("valid_from_help"), key="ref_valid_from"
    )
    if st.button(
        t("save_reference"), disabled=not (groups_file and units_file), key="save_reference", type="primary"
    ):
        try:
            with st.spinner(t("loading")):
                saved = save_reference_lists(
                    data.warehouse(),
                    (groups_file.getvalue(), groups_file.name),
                    (units_file.getvalue(), units_file.name),
                    created_by=user.username,
                    valid_from=valid_from,
                )
            for item in saved:
                kind = t(f"kind_{item.kind}")
                if item.created:
                    st.success(
                        t(
                            "reference_new",
                            kind=kind,
                            version=item.version,
                            valid_from=fmt.date(item.valid_from),
                        )
                    )
                else:
                    st.info(t("reference_unchanged", kind=kind, version=item.version))
        except ReferenceRefused as refused:
            st.error(refused.reason)
            if refused.errors.height:
                tables.show(
                    refused.errors.select("line", "column", "value", "message"), key="reference_errors"
                )
    if data.warehouse().exists():
        tables.show(data.reference_versions(), key="reference_versions", file_name="phien-ban-danh-sach.csv")

with settings_tab:
    st.caption(t("settings_help"))
    home = data.warehouse().home
    text = st.text_area(t("settings_file"), admin.settings_text(home), height=480, key="settings_text")
    if st.button(t("save_settings"), type="primary", key="save_settings"):
        try:
            with st.spinner(t("loading")):
                kept = admin.save_settings(data.warehouse(), text, user.username)
            st.success(t("settings_saved", version=kept.name))
        except SettingsError as exc:
            st.error(t("settings_invalid"))
            for problem in exc.problems:
                st.text(f"• {problem}")
    with st.form("confirm_targets_form"):
        st.markdown(f"**{t('confirm_targets')}**")
        st.caption(t("confirm_targets_help"))
        basis = st.text_input(t("confirm_note"), key="confirm_note")
        if st.form_submit_button(t("confirm_targets"), key="confirm_targets"):
            try:
                with st.spinner(t("loading")):
                    confirm_targets(data.warehouse(), by=user.username, role=user.role, note=basis or None)
                st.success(t("targets_confirmed"))
            except TargetsNotAllowed as exc:
                st.error(str(exc))
    versions = admin.settings_versions(home)
    if versions:
        st.markdown(f"**{t('settings_versions')}**")
        chosen = st.selectbox(
            t("settings_versions"), versions, format_func=lambda p: p.name, key="settings_version"
        )
        st.code(chosen.read_text(encoding="utf-8"), language="toml")

with feeds_tab:
    feeds_panel.show(user)
