"""The overview's compact indicator cards: value, small trend, change, target; formula one click away."""

from __future__ import annotations

import html

import streamlit as st

from dashboard import charts, data, tables
from dashboard.i18n import lang, pick, t
from kernel import formats as fmt

BADGES = {"achieved": "green", "near": "orange", "behind": "red", "grey": "gray"}
CARD_WIDTH = 165  # px: two cards side by side on a 390 px phone, five or six in a row on a laptop
SPARK_WIDTH, SPARK_HEIGHT = 140, 30  # px: the card's small trend line
SPARK_COLOUR = "#1c6fb8"


def card(row: dict, *, period_key: str, extra=None, group: str | None = None) -> None:
    """One indicator of the ward: name (formula behind its ?), value with its monthly trend and change,
    standing and target, and the link to every group's figure."""
    language = lang()
    name = (
        pick(row, "indicator_name") if language == "vi" else (row.get("name_en") or row["indicator_name_vi"])
    )
    unit = (row.get("unit_en") if language == "en" else None) or row.get("unit_vi") or ""
    status = row.get("cell_status") or "grey"
    change = None
    if row.get("value") is not None and row.get("previous_value") is not None:
        change = fmt.signed(row["value"] - row["previous_value"], language)
    formula = (row.get("formula_en") if language == "en" else None) or row.get("formula_vi") or ""
    direction = t("direction_" + row["direction"])
    st.markdown(f"**{name}**", help=f"{t('formula')}: {formula} ({direction})")
    st.metric(
        unit or name,
        fmt.smart(row.get("value"), language),
        delta=change,
        delta_color="normal" if row["direction"] == "higher" else "inverse",
        delta_description=t("vs_previous") if change else None,
    )
    label = t("cell_" + status)
    kind = data.indicator_kinds().get(row.get("indicator_id"))
    if row.get("data_status") == "provisional":
        label = t("provisional_short")  # never judged achieved; the card's text below says x/y reports
    elif row.get("data_status") == "no_data":
        label = t("cell_grey_short")
    lines = [
        f":{BADGES[status]}-badge[{label}] "
        f":small[{t('card_target', target=fmt.target(row.get('target'), kind, language))}]"
    ]
    if note := tables.target_note(row, period_key, short=True):
        lines.append(f":small[{_text(note)}]")
    muted = []
    if row.get("data_status") == "provisional":
        muted.append(
            t("provisional_note", received=row.get("reports_received"), expected=row.get("reports_expected"))
        )
    if row.get("value") is None and row.get("reason_vi"):
        muted.append(t("null_reason", reason=row["reason_vi"]))
    if row.get("last_year_value") is not None:
        muted.append(t("vs_last_year", value=fmt.smart(row["last_year_value"], language)))
    lines += [f":small[:gray[{_text(text)}]]" for text in muted]
    # One element for the trend, the standing and the notes: a page of cards draws in a fraction of the
    # time that an element per line took (the browser renders each element on its own).
    spark = sparkline(row.get("monthly_values"), in_progress=bool(row.get("last_month_in_progress")))
    body = "  \n".join(lines)
    st.markdown(f"{spark}\n\n{body}" if spark else body, unsafe_allow_html=bool(spark))
    if extra is not None:
        extra(row)  # e.g. the group page: the median group and the ward beside the group's figure
    if group:  # a group's card opens the records behind the group's figure
        st.page_link(
            "views/trace.py",
            label=t("trace_link"),
            icon=":material/manage_search:",
            query_params={"indicator": row["indicator_id"], "period": period_key, "group": group},
        )
        return
    st.page_link(
        "views/indicator.py",
        label=t("card_open"),
        icon=":material/leaderboard:",
        query_params={"indicator": row["indicator_id"], "period": period_key},
    )


def _text(text: str) -> str:
    """Text for the card's block, which may hold the SVG: shown as text, never read as HTML."""
    return html.escape(str(text), quote=False)


def sparkline(
    values, *, in_progress: bool = False, width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT
) -> str | None:
    """The month-by-month line of a card as a small inline SVG (None under two months).

    A picture the browser draws at once: st.metric's own small chart is a Vega view of its own, and a
    page of cards with one each took seconds to draw on a phone or a busy laptop. Only numbers go in.
    `in_progress`: the last month is still running (its few days are not a fall), so its segment is
    dashed, its dot hollow, and the label says so."""
    points = [float(v) for v in (values or []) if v is not None]
    if len(points) < 2:
        return None
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    pad = 3
    step = (width - 2 * pad) / (len(points) - 1)
    xy = [
        (pad + i * step, pad + (height - 2 * pad) * (1 - ((v - low) / span if high > low else 0.5)))
        for i, v in enumerate(points)
    ]
    stroke = f'fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"'
    settled = xy[:-1] if in_progress else xy
    parts = [f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in settled)}" {stroke}/>']
    last_x, last_y = xy[-1]
    label = t("sparkline_label", months=len(points))
    if in_progress:
        (x0, y0), label = xy[-2], label + t("sparkline_in_progress")
        parts.append(
            f'<line class="dtx-spark-running" x1="{x0:.1f}" y1="{y0:.1f}" x2="{last_x:.1f}" y2="{last_y:.1f}" '
            f'{stroke} stroke-dasharray="2 2"/>'
        )
        parts.append(
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="#ffffff" stroke="{SPARK_COLOUR}" '
            'stroke-width="1.2"/>'
        )
    else:
        parts.append(f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.4" fill="{SPARK_COLOUR}"/>')
    return (
        f'<svg class="dtx-spark" role="img" aria-label="{label}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
    )


def grid(rows: list[dict], *, key: str, **card_args) -> None:
    """Cards side by side, wrapping onto as many rows as the screen needs (order kept)."""
    with st.container(horizontal=True, wrap=True, key=f"{key}s", gap="small"):
        for row in rows:
            with st.container(border=True, key=f"{key}_{row['indicator_id']}", width=CARD_WIDTH):
                card(row, **card_args)


def reporting_metrics(summary: dict) -> None:
    """The ward's reporting in three numbers: reports due, share received, share received on time."""
    expected, received, on_time = st.columns(3)
    expected.metric(t("expected"), fmt.number(summary["expected"], lang=lang()))
    received.metric(t("received_share"), fmt.percent(summary["received_share"], lang()))
    on_time.metric(t("on_time_share"), fmt.percent(summary["on_time_share"], lang()))


def trend_chart(trend, *, unit: str, key: str) -> None:
    """One indicator month by month (ward line, target, target so far) in the page's language."""
    labels = {"ward_label": t("ward_line"), "target_label": t("target"), "running_label": t("target_so_far")}
    st.plotly_chart(charts.trend(trend, **labels, lang=lang(), unit=unit), key=key, config=charts.CONFIG)
