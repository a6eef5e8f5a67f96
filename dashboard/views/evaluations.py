"""Evaluations: the league table, why each rank, frozen snapshots and what changed, the printable report."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, charts, data, explain, tables
from dashboard.i18n import COMPONENT_STATUS_EN, TIERS_EN, lang, pick, t, tier_text
from dashboard.state import current_period
from dashboard.widgets import why_rank
from kernel import formats as fmt
from warehouse.evaluation import FREEZE_ROLES, FreezeNotAllowed

user = auth.require("evaluations")
period = current_period()
evaluations = data.evaluations()
labels = {r["evaluation"]: pick(r, "label") for r in evaluations.iter_rows(named=True)}
# One period control for the app: the sidebar's. A month, quarter or year shows the evaluation it lies in.
if period["period_type"] == "evaluation":
    evaluation = period["period_key"]
else:
    # The first evaluation (in the settings' order) whose window covers the period, else overlaps it.
    overlapping = evaluations.filter(
        (pl.col("window_start") <= period["period_end"]) & (pl.col("window_end") >= period["period_start"])
    )
    containing = overlapping.sort(
        (pl.col("window_start") > period["period_start"]) | (pl.col("window_end") < period["period_end"]),
        "position",
    )
    if containing.is_empty():
        st.info(t("no_evaluation_for_period"))
        st.stop()
    evaluation = containing["evaluation"][0]
    st.info(t("evaluation_of_period", period=pick(period, "label"), evaluation=labels[evaluation]))
    st.page_link(
        "views/evaluations.py",
        label=t("switch_to_evaluation"),
        icon=":material/event:",
        query_params={"period": evaluation},
    )
window = evaluations.filter(pl.col("evaluation") == evaluation).row(0, named=True)
st.header(f"{t('league_heading')}: {labels[evaluation]}")
st.caption(f"{fmt.date(window['window_start'])} – {fmt.date(window['window_end'])}")
if note := data.window_note(evaluation):
    st.warning(note, icon=":material/hourglass_top:")

league = data.league_table(evaluation)
if lang() == "en":  # the settings' default tier names, in English (a ward's own names stay as written)
    league = league.with_columns(pl.col("tier").replace(TIERS_EN))
components = data.league_components(evaluation)
# Only ranked groups in the table: an unranked group's score (from fewer indicators or reports) is not
# comparable, so it is listed below with the reason instead.
table = explain.league_frame(
    league.filter(pl.col("ranked")), components, raw=st.toggle(t("show_raw"), key="league_raw")
)
st.caption(t("league_scores_note"))
if table.height:
    tables.show(
        table,
        key="league_table",
        file_name=f"xep-hang-{evaluation}.csv",
        pinned=("rank", "group_name", "score"),
    )
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
        download=unranked.select(
            "group_code", "group_name", pl.col("unranked_reason_vi").alias("unranked_reason")
        ),
        key="unranked_table",
        file_name=f"chua-xep-hang-{evaluation}.csv",
    )
if table.height:
    # The table above holds the same ranks and scores; the chart of 40 bars is drawn once its box is
    # opened (drawn at every view, it was a fifth of this page's drawing in the browser).
    with st.expander(t("league_chart_box"), key="league_chart_box", on_change="rerun") as box:
        if box.open:
            tier_order = [tier_text(label) for label in data.query("tiers")["label_vi"].to_list()]
            st.plotly_chart(
                charts.league(
                    league.filter(pl.col("ranked")),
                    lang=lang(),
                    title=t("league_chart_title"),
                    tier_order=tier_order,
                ),
                key="league_chart",
                config=charts.CONFIG,
            )

st.subheader(t("why_rank"))
names = dict(zip(league["group_code"].to_list(), league["group_name"].to_list(), strict=True))
group = st.selectbox(t("pick_group"), list(names), format_func=lambda g: f"{g} — {names[g]}", key="why_group")
row = league.filter(pl.col("group_code") == group).row(0, named=True)
mine = components.filter(pl.col("group_code") == group)
why_rank(row, mine, league.filter(pl.col("ranked")).height, key="why_sentences")
st.caption(t("scoring_rule"))
tables.show(
    mine.select(
        pl.col("name_en" if lang() == "en" else "indicator_name_vi").alias("component"),
        "raw_value",
        "target",
        "best_value",
        "worst_value",
        "component_score",
        "weight",
        (
            pl.col("status").replace_strict(
                COMPONENT_STATUS_EN, default=pl.col("status_vi"), return_dtype=pl.String
            )
            if lang() == "en"
            else pl.col("status_vi")
        ).alias("status"),
        pl.col("formula_en" if lang() == "en" else "formula_vi").alias("formula"),
    ),
    key="why_components",
    file_name=f"diem-thanh-phan-{evaluation}-{group}.csv",
)

st.subheader(t("snapshots_heading"))
if user.role in FREEZE_ROLES:
    with (
        st.expander(t("freeze_heading"), icon=":material/lock:"),
        st.form("freeze_form", clear_on_submit=True),
    ):
        st.caption(t("freeze_help"))
        note = st.text_input(t("freeze_note"), key="freeze_note")
        if st.form_submit_button(t("freeze"), key="freeze_submit"):
            try:
                frozen = data.freeze(evaluation, user.username, note, role=user.role)
                st.success(t("frozen_done", snapshot=frozen.snapshot_id))
            except FreezeNotAllowed:
                st.error(t("freeze_not_allowed"))
else:
    st.caption(t("freeze_not_allowed"))
snaps = data.snapshots(evaluation)
if snaps.is_empty():
    st.info(t("no_snapshots", evaluation=evaluation))
else:
    ids = snaps["snapshot_id"].to_list()
    when = dict(zip(ids, snaps["frozen_at"].to_list(), strict=True))
    snapshot = st.selectbox(
        t("frozen_at"), ids, format_func=lambda s: f"#{s} — {fmt.datetime(when[s])}", key="snapshot"
    )
    chosen = snaps.filter(pl.col("snapshot_id") == snapshot).row(0, named=True)
    if chosen.get("input_sha256"):
        st.caption(
            t(
                "snapshot_facts",
                as_of=fmt.date(chosen["as_of"]),
                records=fmt.number(chosen["input_records"], lang=lang()),
                groups=", ".join(str(v) for v in chosen["groups_versions"] or []) or "—",
                fingerprint=chosen["input_sha256"][:16] + "…",
            )
        )
    if st.button(
        t("verify_button"), key="verify_snapshot", help=t("verify_help"), icon=":material/verified:"
    ):
        with st.spinner(t("loading")):
            checked = data.verify_snapshot(snapshot)
        report = "  \n".join(checked.messages)
        (st.success if checked.matches else st.error)(report)
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
left, right, third = st.columns(3)
REPORTS = (
    (
        left,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ":material/table_view:",
    ),
    (right, "pdf", "application/pdf", ":material/picture_as_pdf:"),
)
for column, kind, mime, icon in REPORTS:
    with column:
        st.download_button(
            t(f"download_{kind}"),
            data=lambda kind=kind: data.report_bytes(evaluation, kind, lang()),  # built on the click
            file_name=f"danh-gia-{evaluation}.{kind}",
            mime=mime,
            key=f"report_{kind}",
            icon=icon,
        )
with third:
    st.download_button(
        t("download_scorecard_pdf"),
        data=lambda: data.scorecard_pdf(evaluation, lang()),
        file_name=f"bang-diem-{evaluation}.pdf",
        mime="application/pdf",
        key="report_onepage",
        icon=":material/picture_as_pdf:",
    )
