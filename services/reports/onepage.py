"""The one-page scorecard of an evaluation: A4 landscape, for the chairman's table at a meeting.

Ward figures (indicators without a target folded into one line), the whole league table in two
blocks, the groups furthest behind with their weakest components, and a signature block. Pure
functions on `ReportData`, no Streamlit; it never runs onto a second page (sizes shrink with
the number of groups instead).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kernel.labels import onepage_label
from services.reports.charts import _font_dir, _shorten
from services.reports.data import ReportData
from services.reports.wording import (
    _assessment,
    _indicator_name,
    _source_text,
    _tier_name,
    _unit,
    fmt_date,
    fmt_number,
    fmt_value,
    tier_colours,
)


def label(key: str, lang: str = "vi", **values) -> str:
    return onepage_label(key, lang, **values)


def fold_untargeted(rows: list[dict], lang: str = "vi") -> tuple[list[dict], str | None]:
    """Ward indicator rows with a target, and the rest folded into one line «name value; …» (or None)."""
    targeted = [r for r in rows if r.get("target") is not None]
    rest = [r for r in rows if r.get("target") is None]
    if not rest:
        return targeted, None
    text = "; ".join(f"{_indicator_name(r, lang)} {fmt_value(r['value'], lang)}" for r in rest)
    return targeted, f"{label('untargeted', lang)}: {text}"


def furthest_behind(data: ReportData, n: int = 5) -> list[dict]:
    """The n lowest-ranked groups, each with its two weakest scored components."""
    ranked = data.league.filter(pl.col("ranked")).sort("rank", "group_code", descending=[True, False]).head(n)
    out = []
    for r in ranked.iter_rows(named=True):
        weak = (
            data.components.filter((pl.col("group_code") == r["group_code"]) & (pl.col("status") == "scored"))
            .sort("component_score")
            .head(2)
        )
        out.append({**r, "weakest": list(weak.iter_rows(named=True))})
    return out


def to_pdf(data: ReportData, lang: str = "vi") -> bytes:
    """The scorecard on one A4 landscape page."""
    from fpdf import FPDF

    fonts = _font_dir()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(10, 8, 10)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.add_font("DejaVu", "I", fonts / "DejaVuSans-Oblique.ttf")
    pdf.set_title(f"{label('title', lang)} — {data.label(lang)}")
    pdf.set_author(label("ward_header", lang, **data.ward_words))
    pdf.set_lang("en" if lang == "en" else "vi")
    pdf.set_creation_date(dt.datetime.combine(data.issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    left, width = pdf.l_margin, pdf.epw

    # Header: committee left, nation right, then the title.
    pdf.set_font("DejaVu", "", 8.5)
    pdf.cell(80, 4, label("committee", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.cell(80, 4, label("ward_upper", lang, **data.ward_words), align="C")
    pdf.set_xy(left + width - 110, 8)
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.cell(110, 4, label("nation", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(110, 4, label("motto", lang), align="C", new_x="LEFT", new_y="NEXT")
    issued = data.issued_on
    pdf.set_font("DejaVu", "I", 8)
    place = label(
        "place_date",
        lang,
        **data.ward_words,
        d=issued.day,
        m=issued.month,
        y=issued.year,
        date=fmt_date(issued),
    )
    pdf.cell(110, 4, place, align="C")
    pdf.set_xy(left, 22)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(
        width,
        6,
        f"{label('title', lang)} — {data.label(lang).upper()}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 8)
    window = label("window", lang, start=fmt_date(data.window_start), end=fmt_date(data.window_end))
    as_of = label("as_of", lang, date=fmt_date(data.data_end))
    pdf.cell(width, 4, f"{window} · {as_of} · {_source_text(data, lang)}", align="C")
    top = 35

    def fit(text: str, w: float) -> str:
        """The text, cut with … so that it fits in w mm at the current font."""
        text = str(text)
        if pdf.get_string_width(text) <= w - 1.6:
            return text
        while text and pdf.get_string_width(text + "…") > w - 1.6:
            text = text[:-1]
        return text.rstrip() + "…"

    def block(
        x: float, y: float, widths, aligns, header, rows, size: float, line: float, colours=None
    ) -> float:
        """A plain table at (x, y); the y below it."""
        pdf.set_xy(x, y)
        pdf.set_font("DejaVu", "B", size)
        pdf.set_fill_color(221, 235, 221)
        for w, text, a in zip(widths, header, aligns, strict=True):
            pdf.cell(w, line + 0.6, fit(text, w), border=1, align=a, fill=True)
        y += line + 0.6
        pdf.set_font("DejaVu", "", size)
        for i, values in enumerate(rows):
            pdf.set_xy(x, y)
            fill = i % 2 == 1
            pdf.set_fill_color(246, 246, 246)
            for j, (w, text, a) in enumerate(zip(widths, values, aligns, strict=True)):
                colour = colours(i, j) if colours else None
                pdf.set_text_color(*(colour or (0, 0, 0)))
                pdf.cell(w, line, fit(text, w), border="B", align=a, fill=fill)
            pdf.set_text_color(0)
            y += line
        return y

    def heading(x: float, y: float, text: str) -> float:
        pdf.set_xy(x, y)
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.set_text_color(27, 94, 32)
        pdf.cell(0, 5, text)
        pdf.set_text_color(0)
        return y + 5.5

    # Left: the ward's figures, then the groups furthest behind.
    left_width = 112
    ward_rows = list(data.ward_indicators.iter_rows(named=True))
    targeted, folded = fold_untargeted(ward_rows, lang)
    judged = [r for r in targeted if r["on_track"] is not None]
    on = sum(1 for r in judged if r["on_track"])
    y = heading(
        left, top, f"{label('ward_figures', lang)} · {label('headline', lang, on=on, total=len(judged))}"
    )
    status_colour = {True: (46, 125, 50), False: (198, 40, 40)}
    y = block(
        left,
        y,
        (62, 16, 16, 18),
        ("L", "R", "R", "L"),
        [
            label("indicator", lang),
            label("value", lang),
            label("short_target", lang),
            label("assessment", lang),
        ],
        [
            [
                f"{_indicator_name(r, lang)} ({_unit(r, lang)})",
                fmt_value(r["value"], lang),
                fmt_value(r["target"], lang),
                _assessment(r, lang),
            ]
            for r in targeted
        ],
        6.8,
        3.9,
        colours=lambda i, j: status_colour.get(targeted[i]["on_track"], (90, 90, 90)) if j == 3 else None,
    )
    if folded:
        pdf.set_xy(left, y + 0.5)
        pdf.set_font("DejaVu", "I", 6.2)
        pdf.multi_cell(left_width, 2.9, folded)
        y = pdf.get_y()
    behind = furthest_behind(data)
    y = heading(left, y + 2, label("behind", lang))
    y = block(
        left,
        y,
        (10, 34, 12, 56),
        ("C", "L", "R", "L"),
        [label("rank", lang), label("group", lang), label("short_score", lang), label("weakest", lang)],
        [
            [
                str(r["rank"]),
                r["group_name"],
                fmt_number(r["score"], 1, lang),
                "; ".join(
                    f"{_shorten(_indicator_name(w, lang), 24)} "
                    f"({label('points', lang, score=fmt_number(w['component_score'], 0, lang))})"
                    for w in r["weakest"]
                ),
            ]
            for r in behind
        ],
        6.5,
        3.9,
    )

    # Right: the whole league table in two blocks side by side.
    x0 = left + left_width + 6
    league = list(data.league.filter(pl.col("ranked")).sort("rank", "group_code").iter_rows(named=True))
    unranked = data.league.filter(~pl.col("ranked"))["group_name"].to_list()
    half = max(1, -(-len(league) // 2))
    line = min(4.2, 128 / max(half, 1))
    size = min(7.0, line * 1.75)
    y = heading(x0, top, label("league", lang))
    colours = tier_colours(data.tiers)
    block_width = (left + width - x0 - 4) / 2
    widths = (9, block_width - 9 - 14 - 22, 14, 22)

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))

    bottom = y
    for part, start in enumerate((0, half)):
        rows = league[start : start + half]
        if not rows:
            continue
        end = block(
            x0 + part * (block_width + 4),
            y,
            widths,
            ("C", "L", "R", "L"),
            [label("rank", lang), label("group", lang), label("short_score", lang), label("tier", lang)],
            [
                [
                    str(r["rank"]),
                    r["group_name"],
                    fmt_number(r["score"], 1, lang),
                    _tier_name(r["tier"], lang),
                ]
                for r in rows
            ],
            size,
            line,
            colours=lambda i, j, rows=rows: rgb(colours.get(rows[i]["tier"], "#555555")) if j == 3 else None,
        )
        bottom = max(bottom, end)
    if unranked:
        pdf.set_xy(x0, bottom + 1)
        pdf.set_font("DejaVu", "I", 6.2)
        pdf.multi_cell(left + width - x0, 2.9, label("not_ranked", lang, names=", ".join(unranked)))

    # Signature block at the foot of the page.
    y = 210 - 8 - 30
    pdf.set_font("DejaVu", "I", 6.5)
    pdf.set_xy(left, y - 5)
    pdf.cell(width, 4, label("full_report", lang))
    for x, lines in (
        (left + 10, [("B", label("prepared_by", lang)), ("I", label("sign_name", lang))]),
        (
            left + width - 100,
            [
                ("B", label("on_behalf", lang)),
                ("B", label("chairman", lang)),
                ("I", label("sign_seal", lang)),
            ],
        ),
    ):
        pdf.set_xy(x, y)
        for style, text in lines:
            pdf.set_font("DejaVu", style, 8.5)
            pdf.cell(90, 4.5, text, align="C", new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
