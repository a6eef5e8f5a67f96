"""Pieces the ward's pages and the city's pages both show: choices the address opens, why a rank."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st

from dashboard import grids, standing
from dashboard.i18n import lang, pick, t, tier_text
from dashboard.state import keep_in_address
from kernel import formats as fmt


def url_choice(
    label: str,
    options: Sequence,
    param: str,
    *,
    key: str,
    format_func: Callable = str,
    unknown: str | None = None,
    keep: bool = False,
):
    """A selectbox that starts on the address's `param` when it is one of `options` (else the first);
    `unknown`: the message key shown when the address names none of them; `keep`: the choice goes back
    into the address."""
    options = list(options)
    wanted = st.query_params.get(param)
    if unknown and wanted and wanted not in options:
        st.warning(t(unknown, code=wanted))
    choice = st.selectbox(
        label,
        options,
        index=options.index(wanted) if wanted in options else 0,
        format_func=format_func,
        key=key,
    )
    if keep:
        keep_in_address(param, choice)
    return choice


def sticky_choice(label: str, options: Sequence, param: str, *, key: str, format_func: Callable = str):
    """A selectbox that keeps the user's choice across reruns and follows the address's `param` when the
    address changes (a link from another page); the choice goes back into the address."""
    options = list(options)
    wanted = st.query_params.get(param)
    url_key = f"_{key.removesuffix('_pick')}_url"
    if st.session_state.get(key) not in options or (
        wanted in options and wanted != st.session_state.get(url_key)
    ):
        st.session_state[key] = wanted if wanted in options else options[0]
    choice = st.selectbox(label, options, format_func=format_func, key=key)
    st.session_state[url_key] = choice
    keep_in_address(param, choice)
    return choice


def why_rank(row: dict, mine: pl.DataFrame, ranked: int, *, key: str, peers: str = "group") -> None:
    """One ranked unit (a group, a ward): its rank, score and tier, and the sentences that say why."""
    a, b, c = st.columns(3)
    a.metric(t("rank"), "—" if row["rank"] is None else str(row["rank"]))
    b.metric(t("score"), fmt.smart(row["score"], lang()))
    c.metric(t("tier"), tier_text(row["tier"]) or "—")
    reasons = standing.rank_reasons(row, mine, ranked, lang(), peers=peers)
    # One block of text, not one element per line: the browser parses and lays out one.
    parts = [f"**{t('why_summary')}:** {reasons['summary']}"]
    for heading, items in (
        (t("why_strengths"), reasons["strengths"]),
        (t("why_weaknesses"), reasons["weaknesses"]),
    ):
        parts += [f"**{heading}**", "\n".join(f"- {item}" for item in items) if items else t("why_none")]
    if reasons["lift"]:
        parts.append(f"**{t('why_lift_ward' if peers == 'ward' else 'why_lift')}:** {reasons['lift']}")
    with st.container(border=True, key=key):
        st.markdown("\n\n".join(parts))


def standing_counts(frame: pl.DataFrame, message: str) -> None:
    """How many rows of `frame` are behind, near, on target or grey (the `message` key's sentence), and
    the colours' legend under it."""
    judged = standing.with_status(frame)["cell_status"].to_list()
    st.markdown(
        t(
            message,
            behind=judged.count("behind"),
            near=judged.count("near"),
            on=judged.count("achieved"),
            grey=judged.count("grey"),
        )
    )
    grids.legend()


def unit_choice(
    units: pl.DataFrame,
    unit: str,
    label: str,
    *,
    key: str,
    unknown: str,
    shown: Callable[[str, str], str] = lambda code, name: name,
) -> dict:
    """The row of `units` (a ward's groups, the city's wards: columns `<unit>_code`, `<unit>_name`) the
    user picks, each shown as `shown(code, name)`; the address's `unit` opens it and keeps it."""
    codes = units[f"{unit}_code"].to_list()
    names = dict(zip(codes, units[f"{unit}_name"].to_list(), strict=True))
    code = url_choice(
        label, codes, unit, key=key, unknown=unknown, keep=True, format_func=lambda c: shown(c, names[c])
    )
    return units.filter(pl.col(f"{unit}_code") == code).row(0, named=True)


def by_scope(frame: pl.DataFrame, whole: str, parts: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An indicator's rows split into the whole's (the ward, the city) and its parts' (groups, wards)."""
    return frame.filter(pl.col("scope") == whole), frame.filter(pl.col("scope") == parts)


def indicator_heading(name: str, where: str, period: dict, intro: str) -> None:
    """The indicator's name, and under it where, which period and how to read the page."""
    st.subheader(name, anchor=False)
    st.caption(f"{where} · {pick(period, 'label')} · {intro}")
