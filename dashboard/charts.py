"""Chart builders: polars frames in, plotly figures out. No queries here."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

GREEN, RED, GREY, BLUE = "#2e7d32", "#c62828", "#9e9e9e", "#1565c0"
TIER_COLOURS = ["#1b5e20", "#43a047", "#f9a825", "#ef6c00", "#c62828"]
STATUS_CODES = {"on_time": 3, "late": 2, "missing": 1, "not_due": 0}
STATUS_COLOURS = [
    [0.0, "#e0e0e0"],
    [0.33, "#e0e0e0"],
    [0.33, "#e53935"],
    [0.5, "#e53935"],
    [0.5, "#fb8c00"],
    [0.83, "#fb8c00"],
    [0.83, "#43a047"],
    [1.0, "#43a047"],
]


def _layout(fig: go.Figure, lang: str, height: int = 360, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.2},
        title=title,
        template="plotly_white",
    )
    return fig


def _provisional_marks(frame: pl.DataFrame) -> dict:
    """A provisional month is an open marker with «tạm tính (x/y báo cáo)» in its hover text."""
    if "data_status" not in frame.columns:
        return {}
    provisional = [s == "provisional" for s in frame["data_status"].to_list()]
    return {
        "marker": {"symbol": ["circle-open" if p else "circle" for p in provisional], "size": 9},
        "text": [v if p else "" for v, p in zip(frame["data_status_vi"].to_list(), provisional, strict=True)],
        "hovertemplate": "%{x}: %{y} %{text}<extra></extra>",
    }


def trend(frame: pl.DataFrame, *, ward_label: str, target_label: str, lang: str, unit: str) -> go.Figure:
    """Monthly values of one indicator: the ward, the chosen group if any, and the target line."""
    fig = go.Figure()
    ward = frame.filter(pl.col("scope") == "ward")
    months = ward["period_label_vi"].to_list()
    fig.add_scatter(
        x=months,
        y=ward["value"].to_list(),
        name=ward_label,
        mode="lines+markers",
        line={"color": BLUE, "width": 3},
        **_provisional_marks(ward),
    )
    group = frame.filter(pl.col("scope") == "group")
    if group.height:
        fig.add_scatter(
            x=group["period_label_vi"].to_list(),
            y=group["value"].to_list(),
            name=group["group_name"][0],
            mode="lines+markers",
            line={"color": GREEN},
            **_provisional_marks(group),
        )
        target = group["target"]
    else:
        target = ward["target"]
    if target.drop_nulls().len():
        fig.add_scatter(
            x=months, y=target.to_list(), name=target_label, mode="lines", line={"color": RED, "dash": "dash"}
        )
    fig.update_yaxes(title=unit, rangemode="tozero")
    return _layout(fig, lang)


def against_target(frame: pl.DataFrame, *, names: list[str], lang: str, title: str) -> go.Figure:
    """How far each indicator is above (right) or below (left) its target, in % of the target."""
    direction = frame["direction"].replace_strict({"higher": 1, "lower": -1}, default=1).to_list()
    values, targets = frame["value"].to_list(), frame["target"].to_list()
    scores = []
    for d, v, tgt in zip(direction, values, targets, strict=True):
        scores.append(None if v is None or not tgt else round(100 * d * (v - tgt) / abs(tgt), 1))
    colours = [GREY if s is None else (GREEN if s >= 0 else RED) for s in scores]
    fig = go.Figure(go.Bar(x=scores, y=names, orientation="h", marker_color=colours))
    fig.add_vline(x=0, line_color="#424242")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="%")
    return _layout(fig, lang, height=max(260, 28 * len(names)), title=title)


def league(frame: pl.DataFrame, *, lang: str, title: str, tier_order: list[str]) -> go.Figure:
    """Composite scores of the ranked groups, best first, coloured by tier (best tier darkest green)."""
    ranked = frame.filter(pl.col("score").is_not_null())
    if "ranked" in ranked.columns:  # an unranked group's score is not on the same footing
        ranked = ranked.filter(pl.col("ranked"))
    ranked = ranked.sort("score", descending=True)
    present = set(ranked["tier"].to_list())
    tiers = [tier for tier in tier_order if tier in present] + sorted(present - set(tier_order))
    colour = {tier: TIER_COLOURS[min(i, len(TIER_COLOURS) - 1)] for i, tier in enumerate(tier_order)}
    colour.update({tier: TIER_COLOURS[-1] for tier in tiers if tier not in colour})
    fig = go.Figure()
    for tier in tiers:
        part = ranked.filter(pl.col("tier") == tier)
        fig.add_bar(
            x=part["score"].to_list(),
            y=part["group_name"].to_list(),
            orientation="h",
            name=tier,
            marker_color=colour[tier],
        )
    fig.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=ranked["group_name"].to_list()
    )
    fig.update_xaxes(range=[0, 100])
    return _layout(fig, lang, height=max(300, 22 * ranked.height), title=title)


def completeness(
    frame: pl.DataFrame, *, lang: str, status_labels: dict[str, str], feed_labels: dict
) -> go.Figure:
    """Unit × feed rows, month columns: on time, late, missing, not yet due."""
    rows = frame.with_columns(
        (
            pl.col("unit_code") + " · " + pl.col("feed").replace_strict(feed_labels, default=pl.col("feed"))
        ).alias("row"),
        pl.col("status").replace_strict(STATUS_CODES, default=0).alias("z"),
    )
    labels = rows["row"].unique(maintain_order=True).to_list()
    months = sorted(rows["month_key"].unique().to_list())
    month_labels = [f"{m[5:7]}/{m[:4]}" for m in months]
    grid = {(r, m): (z, s) for r, m, z, s in rows.select("row", "month_key", "z", "status").iter_rows()}
    z = [[grid.get((r, m), (None, None))[0] for m in months] for r in labels]
    text = [[status_labels.get(grid.get((r, m), (None, None))[1], "") for m in months] for r in labels]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=month_labels,
            y=labels,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=3,
            colorscale=STATUS_COLOURS,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category")
    return _layout(fig, lang, height=max(300, 30 * len(labels)))
