"""Chart builders: polars frames in, plotly figures out. No queries here."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from kernel import formats as fmt

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


# plotly_white's look in a few keys: the full template (every trace type's defaults) costs about 30 ms
# to validate per figure on the server and 6 KB per chart sent to every browser, at every rerun.
LIGHT_TEMPLATE = {
    "layout": {
        "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880"],
        "font": {"color": "#2a3f5f"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "", "zerolinecolor": "#EBF0F8"},
        "yaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "", "zerolinecolor": "#EBF0F8"},
    }
}
# What st.plotly_chart is given on every page: no modebar (zoom, pan, download) nobody here uses.
CONFIG = {"displayModeBar": False, "displaylogo": False}


def _figure(data=None) -> go.Figure:
    """A figure born with the light template: go.Figure() alone deep-copies plotly's default one."""
    return go.Figure(data, layout={"template": LIGHT_TEMPLATE})


def _layout(fig: go.Figure, lang: str, height: int = 360, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.2},
        title=title,
    )
    return fig


def _provisional_marks(frame: pl.DataFrame) -> dict:
    """A provisional month is an open marker with «tạm tính (x/y báo cáo)» in its hover text."""
    if "data_status" not in frame.columns:
        return {}
    provisional = [s == "provisional" for s in frame["data_status"].to_list()]
    return {
        "marker": {"symbol": ["circle-open" if p else "circle" for p in provisional], "size": 9},
        # «tạm tính (x/y báo cáo)», in the page's language when the page put it in `data_status_text`.
        "text": [
            v if p else ""
            for v, p in zip(
                frame[
                    "data_status_text" if "data_status_text" in frame.columns else "data_status_vi"
                ].to_list(),
                provisional,
                strict=True,
            )
        ],
        "hovertemplate": "%{x}: %{y} %{text}<extra></extra>",
    }


def trend(
    frame: pl.DataFrame, *, ward_label: str, target_label: str, lang: str, unit: str, running_label: str = ""
) -> go.Figure:
    """Monthly values of one indicator: the ward, the chosen group if any, and the target line."""
    fig = _figure()
    ward = frame.filter(pl.col("scope") == "ward")
    months = [month_label(d) for d in ward["period_start"].to_list()]
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
            x=[month_label(d) for d in group["period_start"].to_list()],
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
        # A month still running has a target prorated to its days so far (1/30 of it on the 1st): a
        # marker of its own, not the end of the line, which would seem to drop to nothing.
        basis = group if group.height else ward
        running = basis["running"].to_list() if "running" in basis.columns else [False] * basis.height
        values = target.to_list()
        fig.add_scatter(
            x=months,
            y=[None if r else v for v, r in zip(values, running, strict=True)],
            name=target_label,
            mode="lines",
            line={"color": RED, "dash": "dash"},
        )
        if any(running) and running_label:
            days = basis["data_end"].to_list()
            shown = [i for i, r in enumerate(running) if r and values[i] is not None]
            fig.add_scatter(
                x=[months[i] for i in shown],
                y=[values[i] for i in shown],
                name=running_label.format(date=fmt.date(days[shown[0]])) if shown else target_label,
                mode="markers",
                marker={"color": RED, "symbol": "diamond-open", "size": 10},
                hovertemplate="%{x}: %{y}<extra></extra>",
                showlegend=bool(shown),
            )
    fig.update_yaxes(title=unit, rangemode="tozero")
    # Short labels (10/2026), never rotated into each other: plotly skips some when space is short.
    fig.update_xaxes(type="category", tickangle=0, nticks=7, automargin=True)
    return _layout(fig, lang)


def month_label(day) -> str:
    """10/2026 for any day of October 2026."""
    return f"{day.month:02d}/{day.year}"


def _wrap(text: str, width: int = 22) -> str:
    """A label on at most two short lines (a phone gives a chart's labels little room)."""
    import textwrap

    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "<br>".join(lines)


def against_target(
    frame: pl.DataFrame, *, names: list[str], lang: str, title: str, cap: float = 100
) -> go.Figure:
    """How far each indicator is better (right) or worse (left) than its target, in % of the target.

    Only indicators with a value and a target are drawn. Bars are capped at ±cap % (the real figure is
    written on the bar), and each name is written on its own line above its bar rather than as an axis
    label, so that on a phone the bars keep the width and no name is clipped.
    """
    direction = frame["direction"].replace_strict({"higher": 1, "lower": -1}, default=1).to_list()
    values, targets = frame["value"].to_list(), frame["target"].to_list()
    drawn = []
    for name, d, v, tgt in zip(names, direction, values, targets, strict=True):
        if v is not None and tgt:
            drawn.append((name, round(100 * d * (v - tgt) / abs(tgt), 1)))
    sep = "," if lang == "vi" else "."
    fig = _figure(
        go.Bar(
            x=[max(-cap, min(cap, score)) for _, score in drawn],
            y=[2 * i + 1 for i in range(len(drawn))],
            orientation="h",
            marker_color=[GREEN if score >= 0 else RED for _, score in drawn],
            text=[f"{score:+.0f}".replace(".", sep) + "%" for _, score in drawn],
            textposition="auto",
            customdata=[name for name, _ in drawn],
            hovertemplate="%{customdata}: %{text}<extra></extra>",
            width=0.9,
        )
    )
    for i, (name, _) in enumerate(drawn):
        fig.add_annotation(
            x=-cap * 1.05, y=2 * i, text=_wrap(name, 60), showarrow=False, xanchor="left", yanchor="middle",
            font={"size": 11}, align="left", bgcolor="rgba(255,255,255,0.85)",
        )  # fmt: skip
    fig.add_vline(x=0, line_color="#424242")
    fig.update_yaxes(showticklabels=False, range=[2 * len(drawn) - 0.3, -0.7], showgrid=False)
    fig.update_xaxes(ticksuffix="%", range=[-cap * 1.05, cap * 1.05])
    return _layout(fig, lang, height=max(200, 44 * len(drawn) + 60), title=title)


def group_gaps(frame: pl.DataFrame, *, lang: str, title: str, cap: float = 100) -> go.Figure:
    """Each group's distance from the target (% of it; negative: behind), worst on top, coloured by standing."""
    from dashboard import standing

    rows = list(frame.iter_rows(named=True))
    gaps = [standing.shortfall(r) for r in rows]
    shown = [None if g is None else max(-cap, min(cap, -g)) for g in gaps]
    colours = [standing.TEXT_COLOURS[r.get("cell_status") or "grey"] for r in rows]
    sep = "," if lang == "vi" else "."
    text = ["—" if g is None else (f"{-g:+.0f}".replace(".", sep) + "%") for g in gaps]
    fig = _figure(
        go.Bar(
            x=shown,
            y=[r["group_code"] for r in rows],
            orientation="h",
            marker_color=colours,
            text=text,
            textposition="auto",
            customdata=[r["group_name"] for r in rows],
            hovertemplate="%{y} · %{customdata}: %{text}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line_color="#424242")
    fig.update_yaxes(autorange="reversed", type="category")
    reach = max([abs(x) for x in shown if x is not None] or [cap]) * 1.2
    fig.update_xaxes(ticksuffix="%", range=[-reach, reach])
    return _layout(fig, lang, height=max(300, 20 * len(rows)), title=title)


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
    fig = _figure()
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
    height = max(300, 22 * ranked.height)
    fig = _layout(fig, lang, height=height, title=title)
    # The legend just under the axis, whatever the chart's height (a fixed share would float far below).
    fig.update_layout(legend={"orientation": "h", "y": -36 / height, "yanchor": "top", "x": 0})
    return fig


def completeness(
    frame: pl.DataFrame, *, lang: str, status_labels: dict[str, str], feed_labels: dict
) -> go.Figure:
    """Unit × feed rows, month columns: on time, late, missing, not yet due."""
    # Labels built in this thread: a Python callback in Polars' pool can deadlock the server (tables.py).
    names = [
        _wrap(name or code, 26) + "<br>" + feed_labels.get(feed, feed)
        for name, code, feed in frame.select("unit_name", "unit_code", "feed").iter_rows()
    ]
    rows = frame.with_columns(
        pl.Series("row", names, dtype=pl.String),
        pl.col("status").replace_strict(STATUS_CODES, default=0).alias("z"),
    )
    labels = rows["row"].unique(maintain_order=True).to_list()
    months = sorted(rows["month_key"].unique().to_list())
    month_labels = [f"{m[5:7]}/{m[:4]}" for m in months]
    grid = {(r, m): (z, s) for r, m, z, s in rows.select("row", "month_key", "z", "status").iter_rows()}
    z = [[grid.get((r, m), (None, None))[0] for m in months] for r in labels]
    text = [[status_labels.get(grid.get((r, m), (None, None))[1], "") for m in months] for r in labels]
    fig = _figure(
        go.Heatmap(
            z=z,
            x=month_labels,
            y=labels,
            text=text,
            zmin=0,
            zmax=3,
            colorscale=STATUS_COLOURS,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    # The legend: one invisible marker per status, in the scale's colours.
    for status, code in sorted(STATUS_CODES.items(), key=lambda kv: -kv[1]):
        colour = {3: "#43a047", 2: "#fb8c00", 1: "#e53935", 0: "#e0e0e0"}[code]
        fig.add_scatter(
            x=[None], y=[None], mode="markers", name=status_labels.get(status, status),
            marker={"size": 12, "color": colour, "symbol": "square"}, showlegend=True,
        )  # fmt: skip
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    fig.update_xaxes(type="category", side="top")
    fig = _layout(fig, lang, height=max(320, 50 * len(labels) + 80))  # three short lines per row
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "yanchor": "top"})
    return fig
