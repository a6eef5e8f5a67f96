"""Evaluations: the league table, why each rank, frozen snapshots and what changed, the printable report."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, charts, data, fmt, tables
from dashboard.i18n import lang, pick, t
from dashboard.state import current_period

user = auth.require("evaluations")
period = current_period()
evaluations = data.evaluations()
keys = evaluations["evaluation"].to_list()
labels = {r["evaluation"]: pick(r, "label") for r in evaluations.iter_rows(named=True)}
wanted = st.query_params.get("evaluation") or (
    period["period_key"] if period["period_type"] == "evaluation" else None
)
evaluation = st.selectbox(
    t("pick_evaluation"),
    keys,
    index=keys.index(wanted) if wanted in keys else 0,
    format_func=labels.get,
    key="evaluation",
)
window = evaluations.filter(pl.col("evaluation") == evaluation).row(0, named=True)
st.header(f"{t('league_heading')}: {labels[evaluation]}")
st.caption(f"{fmt.date(window['window_start'])} – {fmt.date(window['window_end'])}")
if note := data.window_note(evaluation):
    st.warning(note, icon=":material/hourglass_top:")

league = data.league_table(evaluation)
components = data.league_components(evaluation)
wide = components.pivot(
    on="indicator_name_vi", index="group_code", values="component_score", aggregate_function="first"
)
# Only ranked groups in the table: an unranked group's score (from fewer indicators or reports) is not
# comparable, so it is listed below with the reason instead.
table = (
    league.filter(pl.col("ranked"))
    .select("rank", "group_code", "group_name", "score", "tier")
    .join(wide, on="group_code", how="left")
)
if table.height:
    tables.show(table, key="league_table", file_name=f"xep-hang-{evaluation}.csv")
else:
    st.info(t("none_ranked"))
unranked = league.filter(~pl.col("ranked")).sort("group_code")
if unranked.height:
    st.markdown(f"**{t('unranked_heading')}** ({unranked.height})")
    # A reason every unranked group shares (a unit's missing report) is said once, in full.
    common, own = tables.split_reasons(unranked["unranked_reason_vi"].to_list())
    if common:
        st.warning(t("unranked_common", reason=common), icon=":material/pending_actions:")
    tables.show(
        unranked.select("group_code", "group_name").with_columns(
            pl.Series("unranked_reason", [r or t("unranked_same") for r in own])
        ),
        key="unranked_table",
        file_name=f"chua-xep-hang-{evaluation}.csv",
    )
if table.height:
    tier_order = data.query("tiers")["label_vi"].to_list()
    st.plotly_chart(
        charts.league(league, lang=lang(), title=t("league_chart_title"), tier_order=tier_order),
        key="league_chart",
    )

st.subheader(t("why_rank"))
st.caption(t("scoring_rule"))
names = dict(zip(league["group_code"].to_list(), league["group_name"].to_list(), strict=True))
group = st.selectbox(t("pick_group"), list(names), format_func=lambda g: f"{g} — {names[g]}", key="why_group")
row = league.filter(pl.col("group_code") == group).row(0, named=True)
a, b, c = st.columns(3)
a.metric(t("rank"), "—" if row["rank"] is None else str(row["rank"]))
b.metric(t("score"), fmt.smart(row["score"], lang()))
c.metric(t("tier"), row["tier"] or "—")
if row.get("note_vi"):
    st.info(row["note_vi"])
mine = components.filter(pl.col("group_code") == group)
tables.show(
    mine.select(
        pl.col("indicator_name_vi").alias("component"),
        "raw_value",
        "target",
        "best_value",
        "worst_value",
        "component_score",
        "weight",
        pl.col("status_vi").alias("status"),
        pl.col("formula_vi").alias("formula"),
    ),
    key="why_components",
    file_name=f"diem-thanh-phan-{evaluation}-{group}.csv",
)

st.subheader(t("snapshots_heading"))
with st.expander(t("freeze_heading"), icon=":material/lock:"), st.form("freeze_form", clear_on_submit=True):
    st.caption(t("freeze_help"))
    note = st.text_input(t("freeze_note"), key="freeze_note")
    if st.form_submit_button(t("freeze"), key="freeze_submit"):
        frozen = data.freeze(evaluation, user.username, note)
        st.success(t("frozen_done", snapshot=frozen.snapshot_id))
snaps = data.snapshots(evaluation)
if snaps.is_empty():
    st.info(t("no_snapshots", evaluation=evaluation))
else:
    ids = snaps["snapshot_id"].to_list()
    when = dict(zip(ids, snaps["frozen_at"].to_list(), strict=True))
    snapshot = st.selectbox(
        t("frozen_at"), ids, format_func=lambda s: f"#{s} — {fmt.datetime(when[s])}", key="snapshot"
    )
    changes = data.snapshot_changes(snapshot)
    changed = changes.filter(pl.col("changed"))
    st.markdown(f"**{t('changes_since')}** ({len(changed)})")
    if changed.is_empty():
        st.success(t("no_changes"))
    else:
        tables.show(
            changed.select(
                "group_code", "group_name", "frozen_rank", "live_rank", "frozen_score", "live_score"
            ),
            key="snapshot_changes",
        )

st.subheader(t("reports_heading"))
left, right = st.columns(2)
with left:
    st.download_button(
        t("download_xlsx"),
        data=lambda: data.report_bytes(evaluation, "xlsx", lang()),
        file_name=f"danh-gia-{evaluation}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="report_xlsx",
        icon=":material/table_view:",
    )
with right:
    st.download_button(
        t("download_pdf"),
        data=lambda: data.report_bytes(evaluation, "pdf", lang()),
        file_name=f"danh-gia-{evaluation}.pdf",
        mime="application/pdf",
        key="report_pdf",
        icon=":material/picture_as_pdf:",
    )
