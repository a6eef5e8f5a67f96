"""The overview's compact indicator cards: value, small trend, change, target; formula one click away."""

from __future__ import annotations

import html
import urllib.parse

import streamlit as st

from dashboard import charts, data, tables
from dashboard.i18n import lang, pick, t
from kernel import formats as fmt

CARD_WIDTH = 165  # px: two cards side by side on a 390 px phone, five or six in a row on a laptop
SPARK_WIDTH, SPARK_HEIGHT = 140, 30  # px: the card's small trend line
SPARK_COLOUR = "#1c6fb8"


def card(row: dict, *, period_key: str, extra=None, group: str | None = None) -> None:
    """One indicator of the ward: name (its formula one tap away), unit, value, change, small trend,
    standing and target, and the link to every group's figure (or, on a group's page, its records)."""
    st.html(card_html(row, period_key=period_key))
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


def card_html(row: dict, *, period_key: str) -> str:
    """The card's figures as one block of HTML (`.dtx-card`, styled in dashboard/style.py), every text
    in it escaped: one element per card instead of three (a name, a metric, the notes), which the
    browser drew in a fraction of the time after signing in. Only the numbers of the trend are SVG."""
    language = lang()
    name = (
        pick(row, "indicator_name") if language == "vi" else (row.get("name_en") or row["indicator_name_vi"])
    )
    unit = (row.get("unit_en") if language == "en" else None) or row.get("unit_vi") or ""
    status = row.get("cell_status") or "grey"
    formula = (row.get("formula_en") if language == "en" else None) or row.get("formula_vi") or ""
    direction = t("direction_" + row["direction"])
    parts = [
        f'<details class="dtx-card-formula"><summary><b>{_text(name)}</b>'
        f'<span class="dtx-card-help" title="{html.escape(t("formula"))}">?</span></summary>'
        f'<div class="dtx-card-small">{_text(t("formula"))}: {_text(formula)} ({_text(direction)})</div></details>',
        f'<div class="dtx-card-unit">{_text(unit or name)}</div>',
        f'<div class="dtx-card-value">{_text(fmt.smart(row.get("value"), language))}</div>',
    ]
    if row.get("value") is not None and row.get("previous_value") is not None:
        change = row["value"] - row["previous_value"]
        parts.append(
            _change(change, row["direction"], language, provisional=row.get("data_status") == "provisional")
        )
    if spark := spark_image(row.get("monthly_values"), unsettled=row.get("last_month_unsettled")):
        parts.append(spark)
    label = t("cell_" + status)
    kind = data.indicator_kinds().get(row.get("indicator_id"))
    if row.get("data_status") == "provisional":
        label = t("provisional_short")  # never judged achieved; the card's text below says x/y reports
    elif row.get("data_status") == "no_data":
        label = t("cell_grey_short")
    target = _unbroken(_text(t("card_target", target=fmt.target(row.get("target"), kind, language))))
    parts.append(
        f'<div class="dtx-card-standing"><span class="dtx-badge dtx-badge-{status}">{_text(label)}</span> '
        f'<span class="dtx-card-small">{target}</span></div>'
    )
    if note := tables.target_note(row, period_key, short=True, as_html=True):
        parts.append(f'<div class="dtx-card-small dtx-card-note">{note}</div>')
    muted = []
    if row.get("data_status") == "provisional":
        muted.append(
            t("provisional_note", received=row.get("reports_received"), expected=row.get("reports_expected"))
        )
    if row.get("value") is None and row.get("reason_vi"):
        muted.append(t("null_reason", reason=row["reason_vi"]))
    if row.get("last_year_value") is not None:
        muted.append(t("vs_last_year", value=fmt.smart(row["last_year_value"], language)))
    parts += [f'<div class="dtx-card-small dtx-card-muted">{_text(text)}</div>' for text in muted]
    return f'<div class="dtx-card">{"".join(parts)}</div>'


def _change(change: float, direction: str, language: str, *, provisional: bool = False) -> str:
    """The change against the previous period: its sign and arrow, green when it goes the good way
    (up for a «higher is better» indicator, down for the others), red the bad way, grey for none.
    A provisional figure's change is grey and says so: it is not yet a rise or a fall to judge."""
    shown = _text(fmt.signed(change, language))
    if change == 0:
        way, arrow = "flat", ""
    else:
        good = (change > 0) == (direction == "higher")
        way, arrow = ("good" if good else "bad"), ("▲ " if change > 0 else "▼ ")
    note = t("vs_previous")
    if provisional:
        way, note = "flat", t("vs_previous_provisional")
    return (
        f'<div class="dtx-card-change dtx-change-{way}"><span aria-hidden="true">{arrow}</span>{shown} '
        f'<span class="dtx-card-small">{_text(note)}</span></div>'
    )


def _unbroken(text: str) -> str:
    """«Mục tiêu 11,8» kept on one line: beside a badge it wrapped between the word and its figure."""
    return text.replace(" ", "\u00a0")


def _text(text: str) -> str:
    """Text for the card's block of HTML: shown as text, never read as HTML."""
    return html.escape(str(text), quote=False)


def sparkline(
    values, *, unsettled: str | None = None, width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT
) -> str | None:
    """The month-by-month line of a card as a small inline SVG (None under two months).

    A picture the browser draws at once: st.metric's own small chart is a Vega view of its own, and a
    page of cards with one each took seconds to draw on a phone or a busy laptop. Only numbers go in.
    `unsettled`: the last month is not a final figure, "in_progress" (still running: its few days are
    not a fall) or "provisional" (over, but not all its reports are in), so its segment is dashed, its
    dot hollow, and the label says which."""
    points = _points(values)
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
    settled = xy[:-1] if unsettled else xy
    parts = [f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in settled)}" {stroke}/>']
    last_x, last_y = xy[-1]
    label = spark_label(values, unsettled=unsettled)
    if unsettled:
        x0, y0 = xy[-2]
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
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dtx-spark" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
    )


def _points(values) -> list[float]:
    """The months of a trend that have a value."""
    return [float(v) for v in (values or []) if v is not None]


def spark_label(values, *, unsettled: str | None = None) -> str:
    """What the small trend shows, in words, for a screen reader (and as the picture's tooltip)."""
    label = t("sparkline_label", months=len(_points(values)))
    return label + t("sparkline_" + unsettled) if unsettled else label


def spark_image(values, *, unsettled: str | None = None) -> str | None:
    """The small trend as a picture (None under two months): Streamlit's HTML element keeps no SVG of
    its own (it allows HTML only), a picture whose address holds the SVG it shows, named by its label."""
    if (svg := sparkline(values, unsettled=unsettled)) is None:
        return None
    label = html.escape(spark_label(values, unsettled=unsettled))
    return (
        f'<img class="dtx-spark" alt="{label}" title="{label}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" src="data:image/svg+xml,{urllib.parse.quote(svg)}">'
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
