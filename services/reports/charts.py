"""The report's charts as PNG (matplotlib, Agg, the DejaVu font that ships with it)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import polars as pl

from kernel import formats
from kernel.labels import label
from services.reports.data import ReportData
from services.reports.wording import (
    GREEN,
    GREY,
    RED,
    _indicator_name,
    _tier_name,
    _unit,
    fmt_number,
    fmt_value,
    tier_colours,
)


def _font_dir() -> Path:
    """matplotlib's bundled fonts (DejaVu Sans has every Vietnamese glyph)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(width_in: float, height_in: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def _chart_style():
    import matplotlib

    return matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 9,
            "axes.titleweight": "bold",
        }
    )


def league_chart_png(data: ReportData, lang: str = "vi") -> bytes | None:
    """Horizontal bars of the ranked groups' scores, best on top, coloured by tier; None if none ranked."""
    ranked = data.league.filter(pl.col("ranked") & pl.col("score").is_not_null()).sort("rank", "group_code")
    if ranked.is_empty():
        return None
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    colours = tier_colours(data.tiers)
    n = ranked.height
    with _chart_style():
        # Room for the bars plus a legend strip under the axis; a long list fills most of a page.
        height = min(9.3, 1.9 + 0.19 * n)
        fig = _figure(7.2, height)
        ax = fig.add_subplot()
        names = [f"{r['rank']}. {_shorten(r['group_name'], 32)}" for r in ranked.iter_rows(named=True)]
        scores = ranked["score"].to_list()
        ax.barh(
            range(n),
            scores,
            color=[colours.get(t, GREY) for t in ranked["tier"]],
            height=0.72,
        )
        for i, score in enumerate(scores):
            ax.text(score + 0.8, i, fmt_number(score, 1, lang), va="center", fontsize=6.5)
        ax.set_yticks(range(n), names, fontsize=6.5 if n > 25 else 7.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 108)
        ax.axvline(50, color="#555555", linestyle="--", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_number(x, 0, lang)))
        ax.set_xlabel(label("chart_league_axis", lang))
        fig.suptitle(label("chart_league_title", lang), x=0.01, ha="left", fontsize=9, fontweight="bold")
        handles = [
            Patch(
                color=colours[name],
                label=label("tier_from", lang, label=_tier_name(name, lang), score=fmt_value(s, lang)),
            )
            for s, name in data.tiers
        ]
        handles.append(
            Line2D(
                [], [], color="#555555", linestyle="--", linewidth=0.8, label=label("chart_target_line", lang)
            )
        )
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
        fig.tight_layout(rect=(0, 0.45 / height, 1, 1))
        return _png(fig)


def indicators_chart_png(data: ReportData, lang: str = "vi") -> bytes | None:
    """The ward's value against the window's target, one row per indicator with both; None if none."""
    rows = [
        r
        for r in data.ward_indicators.iter_rows(named=True)
        if r["value"] is not None and r["target"] is not None
    ]
    if not rows:
        return None
    n = len(rows)
    with _chart_style():
        fig = _figure(7.2, 0.9 + 0.42 * n)
        ax = fig.add_subplot()
        for i, r in enumerate(rows):
            scale = max(abs(r["value"]), abs(r["target"])) or 1.0
            colour = GREEN if r["on_track"] else RED
            ax.barh(i, abs(r["value"]) / scale, color=colour, height=0.55)
            if r["value"] == 0:  # a zero bar has no width: mark it so it does not read as missing
                ax.plot(0, i, marker="o", color=colour, markersize=4, clip_on=False)
            t = abs(r["target"]) / scale
            ax.plot([t, t], [i - 0.38, i + 0.38], color="black", linewidth=2)
            ax.text(
                1.04,
                i,
                f"{fmt_value(r['value'], lang)} / {label('chart_target_word', lang)} "
                f"{formats.with_unit(r['target'], _unit(r, lang), lang)}",
                va="center",
                fontsize=7,
            )
        names = [
            "\n".join(textwrap.wrap(_indicator_name(r, lang), 34)[:2]) + f"\n({label(r['direction'], lang)})"
            for r in rows
        ]
        ax.set_yticks(range(n), names, fontsize=6.8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.75)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        # A figure title, not an axes title: the axes start right of the long indicator names.
        fig.suptitle(label("chart_indicators_title", lang), x=0.01, ha="left", fontsize=8, fontweight="bold")
        fig.tight_layout()
        return _png(fig)
