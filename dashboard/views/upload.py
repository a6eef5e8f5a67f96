"""Send a file: pick a feed, get its template, upload, read the preview, then confirm or cancel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import auth, data, tables
from dashboard.i18n import lang, t
from kernel import contracts as c
from kernel import formats as fmt
from services.ingest import HEADER_ONLY, FileRefused, NotAllowed, contract_help
from warehouse.store import sha256_of

REASONS_SHOWN = 10  # reasons written out under the preview's table (all of them are in the file to correct)

user = auth.require("upload")
st.title(t("page_upload"))

reference = data.reference()
if not reference.units:
    st.warning(t("no_warehouse"))
    st.stop()

if user.role == "unit":
    unit = user.unit_code
    if unit not in reference.units:
        st.error(t("unit_unknown", unit=unit))
        st.stop()
else:
    codes = sorted(reference.units)
    unit = st.selectbox(
        t("unit"), codes, format_func=lambda u: f"{u} — {reference.units[u][0]}", key="upload_unit"
    )
unit_name, unit_feeds = reference.units[unit]
st.caption(f"{t('unit')}: {unit_name} ({unit})")
feeds = [f for f in c.FEEDS if f in unit_feeds]
if not feeds:
    st.warning(t("no_feeds_allowed"))
    st.stop()


def _feed_label(name: str) -> str:
    contract = c.FEEDS[name]
    return contract.label_en if lang() == "en" else contract.label_vi


# Labels fixed in this run's language (a format function is also called outside the run).
feed = st.selectbox(t("feed"), feeds, format_func={f: _feed_label(f) for f in feeds}.get, key="upload_feed")
contract = c.FEEDS[feed]

with st.expander(t("template_heading"), icon=":material/description:"):
    st.caption(t("template_help"))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for column, (kind, mime) in zip(st.columns(2), (("csv", "text/csv"), ("xlsx", xlsx)), strict=True):
        template = data.template(feed, kind)
        column.download_button(
            t(f"template_{kind}"), template, file_name=f"mau-{feed}.{kind}", mime=mime, key=f"template_{kind}"
        )
    st.markdown(contract_help(contract))

with st.container(border=True, key="nothing_box"):
    st.markdown(f"**{t('nothing_heading')}**")
    st.caption(t("nothing_help", feed=_feed_label(feed)))
    months, default = data.report_months()
    report_month = st.selectbox(
        t("report_month"), months, index=default, format_func=lambda m: f"{m:%m/%Y}", key="report_month"
    )
    if st.button(t("nothing_button"), key="nothing_to_report", icon=":material/event_busy:"):
        try:
            declared = data.declare_nothing(feed, unit, report_month, user)
        except NotAllowed as exc:
            st.error(str(exc))
        else:
            if declared.status == "loaded":
                st.success(t("nothing_done", month=f"{report_month:%m/%Y}", upload=declared.upload_id))
            elif declared.status == "duplicate":
                st.info(t("nothing_duplicate", month=f"{report_month:%m/%Y}", upload=declared.upload_id))
            else:
                st.error(t("refused", reason=declared.reason))

limit_mb = data.max_upload_mb()
attempt = st.session_state.setdefault("upload_attempt", 0)
uploaded = st.file_uploader(
    t("choose_file", mb=limit_mb),
    type=["csv", "txt", "tsv", "xlsx", "xls"],
    key=f"upload_file_{attempt}",
    max_upload_size=limit_mb,  # the widget's own "… MB per file" then says the same as the label
)


def _reset() -> None:
    st.session_state["upload_attempt"] = attempt + 1
    st.session_state.pop("upload_result", None)
    st.session_state.pop("date_order_mdy", None)


if result := st.session_state.get("upload_result"):
    tables.upload_report(result)
    if st.button(t("send_another"), key="send_another", icon=":material/restart_alt:"):
        _reset()
        st.rerun()
    st.stop()

if uploaded is None:
    st.stop()

content = uploaded.getvalue()
if len(content) > limit_mb * 1024 * 1024:
    st.error(t("too_big", mb=limit_mb, size=fmt.number(len(content) / 1024 / 1024, 1, lang())))
    st.stop()

previous = data.loaded_upload(sha256_of(content), feed, unit)
if previous is not None:
    st.info(t("duplicate", upload=previous["upload_id"], when=fmt.datetime(previous["received_at"])))
    st.button(t("cancel"), on_click=_reset, key="cancel_duplicate")
    st.stop()

# Set by the month/day/year control below (shown only when the file's dates suggest it).
date_order = "mdy" if st.session_state.get("date_order_mdy") else None
try:
    with st.spinner(t("checking")):
        preview = data.preview(content, feed, unit, uploaded.name, date_order=date_order)
except FileRefused as refused:
    if refused.reason.startswith(HEADER_ONLY) and report_month is not None:
        st.info(t("nothing_help", feed=_feed_label(feed)))
        if st.button(
            f"{t('nothing_button')} — {report_month:%m/%Y}", key="confirm_header_only", type="primary"
        ):
            result = data.load(
                content, feed, unit, uploaded.name, user.username, lambda **_: None, report_month=report_month
            )
            st.session_state["upload_result"] = result
            st.rerun()
    else:
        st.error(t("refused", reason=refused.reason))
    st.button(t("cancel"), on_click=_reset, key="cancel_refused")
    st.stop()

st.subheader(t("preview_heading"))
st.caption(t("preview_note"))
a, b, cc, d, e = st.columns(5)
a.metric(t("rows_read"), fmt.number(preview.rows_total, lang=lang()))
b.metric(t("rows_accepted"), fmt.number(preview.rows_accepted, lang=lang()))
cc.metric(t("rows_rejected"), fmt.number(preview.rows_rejected, lang=lang()))
d.metric(t("rows_new"), fmt.number(preview.rows_new, lang=lang()))
e.metric(t("rows_corrected"), fmt.number(preview.rows_corrected, lang=lang()))
if preview.extra_columns:
    st.warning(t("extra_columns", columns=", ".join(preview.extra_columns)))
if hint := preview.date_order_hint:
    column = contract.column(hint["column"])
    label = column.label_en if lang() == "en" else column.label_vi
    if hint["confirmed"]:
        as_date = dt.date.fromisoformat(hint["example_date"])
        st.info(t("date_order_confirmed", example=hint["example"], date=fmt.date(as_date)))
    else:
        st.warning(t("date_order_hint", example=hint["example"], line=hint["line"], column=label))
    st.toggle(t("date_order_mdy"), key="date_order_mdy")
if preview.rows_rejected:
    st.markdown(f"**{t('rejected_heading')}**")
    tables.show(preview.errors, key="preview_errors", file_name=f"loi-{uploaded.name}.csv")
    # A table cell does not wrap: on a phone the reason would be cut. The first ones in full, as text.
    with st.expander(t("reasons_in_full"), expanded=True):
        messages = preview.errors["message"].to_list()
        st.text("\n".join(f"• {m}" for m in messages[:REASONS_SHOWN]))
        if len(messages) > REASONS_SHOWN:
            st.caption(t("reasons_more", n=fmt.number(len(messages) - REASONS_SHOWN, lang=lang())))
    st.download_button(
        t("error_file"),
        preview.error_file,
        file_name=f"can-sua-{uploaded.name.rsplit('.', 1)[0]}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="error_file",
        icon=":material/edit_document:",
    )

left, right = st.columns(2)
confirm = left.button(
    t("confirm", n=fmt.number(preview.rows_accepted, lang=lang())),
    type="primary",
    key="confirm_upload",
    disabled=preview.rows_accepted == 0,
    icon=":material/cloud_upload:",
)
right.button(t("cancel"), on_click=_reset, key="cancel_upload", icon=":material/close:")
if confirm:
    with st.status(t("loading"), expanded=False) as status:
        result = data.load(
            content, feed, unit, uploaded.name, user.username, status.update, date_order=date_order
        )
        status.update(label=t("loaded_status"), state="complete")
    st.session_state["upload_result"] = result
    st.rerun()
