"""The evaluation report as a printable A4 PDF: ward header, summary, tables, charts, scoring."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from kernel import formats
from kernel.labels import label
from services.reports.charts import _font_dir, _shorten, indicators_chart_png, league_chart_png
from services.reports.data import ReportData
from services.reports.wording import (
    GREY,
    _assessment,
    _frozen_before_text,
    _indicator_name,
    _reason,
    _scoring_text,
    _source_text,
    _summary_lines,
    _tier_name,
    _unit,
    _weights,
    fmt_date,
    fmt_number,
    fmt_signed,
    fmt_value,
    tier_colours,
)
from services.reports.xlsx import _completeness_rows


class _Page:
    """The document being written and the few ways the report writes on it (headings, text, images, tables)."""

    def __init__(self, pdf, lang: str):
        from fpdf.fonts import FontFace

        self.pdf, self.lang = pdf, lang
        self.width = pdf.epw
        self.head = FontFace(emphasis="BOLD", fill_color=(221, 235, 221))

    def heading(self, text: str) -> None:
        if self.pdf.will_page_break(22):
            self.pdf.add_page()
        self.pdf.ln(2)
        self.pdf.set_font("DejaVu", "B", 11.5)
        self.pdf.set_text_color(27, 94, 32)
        self.pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0)
        self.pdf.ln(1)

    def paragraph(self, text: str, size: float = 9.5, style: str = "") -> None:
        self.pdf.set_font("DejaVu", style, size)
        self.pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def image(self, png: bytes | None) -> None:
        if png is None:
            self.paragraph(label("no_chart_data", self.lang), 9, "I")
            return
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            w_px, h_px = img.size
        height = self.width * h_px / w_px
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(png), x=self.pdf.l_margin, w=self.width)
        self.pdf.ln(2)

    def table(self, headers, rows, widths, aligns, size=8.0, styles=None) -> None:
        self.pdf.set_font("DejaVu", "", size)
        if not rows:
            self.paragraph(label("no_rows", self.lang), 9, "I")
            return
        with self.pdf.table(
            col_widths=widths,
            text_align=aligns,
            headings_style=self.head,
            line_height=size * 0.5 + 0.6,
            padding=(0.8, 1.2),
            width=self.width,
            cell_fill_color=(246, 246, 246),
            cell_fill_mode="ROWS",
            v_align="MIDDLE",
        ) as tbl:
            header = tbl.row()
            for text in headers:
                header.cell(text, align="CENTER")
            for i, values in enumerate(rows):
                row = tbl.row()
                for j, text in enumerate(values):
                    style = styles(i, j) if styles else None
                    row.cell(text, style=style)
        self.pdf.ln(2)


def _document(data: ReportData, lang: str):
    """An A4 document with the report's fonts, metadata, running header and page numbers."""
    from fpdf import FPDF

    fonts = _font_dir()
    header_line = label("running_header", lang, label=data.label(lang), **data.ward_words)

    class ReportPDF(FPDF):
        def header(self):
            if self.page_no() == 1:
                return
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(110)
            self.cell(0, 5, _shorten(header_line, 120), align="L")
            self.ln(8)
            self.set_text_color(0)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(110)
            self.cell(0, 6, _shorten(f"{data.evaluation} · {data.settings_sha256[:12]}", 80), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, label("page", lang, x=self.page_no(), y="{nb}"), align="R")
            self.set_text_color(0)

    pdf = ReportPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.add_font("DejaVu", "I", fonts / "DejaVuSans-Oblique.ttf")
    pdf.set_title(f"{label('title', lang)} — {data.label(lang)}")
    pdf.set_author(label("ward_header", lang, **data.ward_words))
    pdf.set_subject(label("campaign", lang))
    pdf.set_lang("en" if lang == "en" else "vi")
    pdf.set_creation_date(dt.datetime.combine(data.issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    return pdf


def _title(page: _Page, data: ReportData) -> None:
    """The ward's header, as on its own documents, then the title, the window and the source."""
    # Ward header, as on the ward's own documents.
    top = page.pdf.get_y()
    page.pdf.set_font("DejaVu", "", 10)
    page.pdf.cell(70, 5, label("committee", page.lang), align="C", new_x="LEFT", new_y="NEXT")
    page.pdf.set_font("DejaVu", "B", 10)
    page.pdf.cell(
        70, 5, label("ward_upper", page.lang, **data.ward_words), align="C", new_x="LEFT", new_y="NEXT"
    )
    page.pdf.line(page.pdf.l_margin + 22, page.pdf.get_y() + 1, page.pdf.l_margin + 48, page.pdf.get_y() + 1)
    page.pdf.set_xy(page.pdf.l_margin + 72, top)
    page.pdf.set_font("DejaVu", "B", 9.5)
    page.pdf.cell(page.width - 72, 5, label("nation", page.lang), align="C", new_x="LEFT", new_y="NEXT")
    page.pdf.set_font("DejaVu", "B", 10)
    page.pdf.cell(page.width - 72, 5, label("motto", page.lang), align="C", new_x="LEFT", new_y="NEXT")
    middle = page.pdf.l_margin + 72 + (page.width - 72) / 2
    page.pdf.line(middle - 27, page.pdf.get_y() + 1, middle + 27, page.pdf.get_y() + 1)
    page.pdf.set_xy(page.pdf.l_margin + 72, page.pdf.get_y() + 3)
    page.pdf.set_font("DejaVu", "I", 9.5)
    issued = data.issued_on
    place = label(
        "place_date",
        page.lang,
        **data.ward_words,
        d=issued.day,
        m=issued.month,
        y=issued.year,
        date=fmt_date(issued),
    )
    page.pdf.cell(page.width - 72, 5, place, align="C", new_x="LMARGIN", new_y="NEXT")
    page.pdf.ln(6)

    page.pdf.set_font("DejaVu", "B", 14)
    page.pdf.cell(0, 8, label("title", page.lang), align="C", new_x="LMARGIN", new_y="NEXT")
    page.pdf.set_font("DejaVu", "B", 10.5)
    page.pdf.multi_cell(0, 5.5, label("campaign", page.lang), align="C", new_x="LMARGIN", new_y="NEXT")
    page.pdf.ln(1)
    page.pdf.set_font("DejaVu", "B", 11.5)
    page.pdf.multi_cell(0, 6, data.label(page.lang), align="C", new_x="LMARGIN", new_y="NEXT")
    page.pdf.set_font("DejaVu", "", 9.5)
    window = label("window", page.lang, start=fmt_date(data.window_start), end=fmt_date(data.window_end))
    as_of = label("as_of", page.lang, date=fmt_date(data.data_end))
    page.pdf.multi_cell(
        0,
        5,
        f"{window} · {as_of} ({label(f'status_{data.period_status}', page.lang)})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    page.pdf.set_font("DejaVu", "I", 8.5)
    page.pdf.multi_cell(0, 4.5, _source_text(data, page.lang), align="C", new_x="LMARGIN", new_y="NEXT")
    frozen_before = _frozen_before_text(data, page.lang)
    if frozen_before:
        page.pdf.multi_cell(0, 4.5, frozen_before, align="C", new_x="LMARGIN", new_y="NEXT")
    page.pdf.ln(3)


def _summary_and_indicators(page: _Page, data: ReportData) -> list[dict]:
    """1. The summary lines; 2. the ward indicators against their targets, with their chart."""
    from fpdf.fonts import FontFace

    from services.reports.onepage import fold_untargeted  # onepage draws on these modules: import late

    # 1. Summary
    page.heading(label("section_summary", page.lang))
    for line in _summary_lines(data, page.lang):
        page.paragraph("• " + line)

    # 2. Ward indicators
    page.heading(label("section_indicators", page.lang))
    ward_rows = list(data.ward_indicators.iter_rows(named=True))
    targeted, folded = fold_untargeted(ward_rows, page.lang)  # indicators without a target: one line
    page.table(
        [label(k, page.lang) for k in ("indicator", "unit", "value", "target", "gap", "assessment")],
        [
            [
                _indicator_name(r, page.lang),
                _unit(r, page.lang),
                fmt_value(r["value"], page.lang),
                fmt_value(r["target"], page.lang),
                fmt_signed(r["gap_to_target"], page.lang),
                _reason(r, page.lang) or _assessment(r, page.lang),
            ]
            for r in targeted
        ],
        (62, 22, 18, 18, 18, 42),
        ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        styles=lambda i, j: (
            FontFace(
                color={True: (46, 125, 50), False: (198, 40, 40)}.get(targeted[i]["on_track"], (90, 90, 90))
            )
            if j == 5
            else None
        ),
    )
    page.paragraph(folded, 8.5, "I") if folded else None
    page.image(indicators_chart_png(data, page.lang))
    return ward_rows


def _league(page: _Page, data: ReportData) -> list[dict]:
    """3. The league table, never split across pages: a new page unless it fits on this one."""
    from fpdf.fonts import FontFace

    # 3. League table, never split across pages: it starts on a new page unless it fits on this one.
    league_rows = list(data.league.iter_rows(named=True))
    page.pdf.add_page() if page.pdf.will_page_break(14 + 5.4 * (len(league_rows) + 1)) else None
    page.heading(label("section_league", page.lang))
    colours = tier_colours(data.tiers)
    with_notes = any(r["note_vi"] for r in league_rows)
    headers = ["rank", "group_code", "group", "score", "tier", "scored_count"] + (
        ["note"] if with_notes else []
    )
    page.table(
        [label(h, page.lang) for h in headers],
        [
            [
                "—" if r["rank"] is None else str(r["rank"]),
                r["group_code"],
                r["group_name"],
                fmt_number(r["score"], 1, page.lang),
                _tier_name(r["tier"], page.lang),
                f"{r['indicators_scored']}/{r['indicators_weighted']}",
            ]
            + ([r["note_vi"] or ""] if with_notes else [])
            for r in league_rows
        ],
        (11, 17, 44, 17, 22, 18, 51) if with_notes else (14, 22, 80, 22, 28, 14),
        ("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT", "CENTER", "LEFT"),
        7.2,
        styles=lambda i, j: (
            FontFace(emphasis="BOLD", color=colours.get(league_rows[i]["tier"], GREY)) if j == 4 else None
        ),
    )
    if any(not r["ranked"] for r in league_rows):
        page.paragraph(label("not_ranked_note", page.lang), 8.5, "I")
    page.image(league_chart_png(data, page.lang))
    return league_rows


def _components(page: _Page, data: ReportData, league_rows: list[dict]) -> pl.DataFrame:
    """4. Component scores: groups × weighted indicators (landscape when they are many)."""
    # 4. Component scores: groups × weighted indicators.
    weights = _weights(data)
    if weights.height:
        n = weights.height
        landscape = (page.width - 62) / n < 15
        page.pdf.add_page(orientation="L" if landscape else "P")
        page.heading(label("section_components", page.lang))
        page.paragraph(label("components_note", page.lang), 8.5, "I")
        scores = {
            (r["group_code"], r["indicator_id"]): r["component_score"]
            for r in data.components.iter_rows(named=True)
        }
        ids = weights["indicator_id"].to_list()
        headers = [label("group", page.lang), label("score", page.lang)] + [
            f"{_shorten(_indicator_name(w, page.lang), 48)} ({label('weight', page.lang).lower()} {fmt_value(w['weight'], page.lang)})"
            for w in weights.iter_rows(named=True)
        ]
        rows = [
            [
                f"{'' if r['rank'] is None else str(r['rank']) + '. '}{r['group_name']}",
                fmt_number(r["score"], 1, page.lang),
            ]
            + [fmt_number(scores.get((r["group_code"], i)), 1, page.lang) for i in ids]
            for r in league_rows
        ]
        small = 6.5 if n > 6 else 7.5
        page.table(
            headers,
            rows,
            (46, 16, *([max(10, (page.pdf.epw - 62) / n)] * n)),
            ("LEFT",) + ("RIGHT",) * (n + 1),
            small,
        )
        if landscape:
            page.pdf.add_page(orientation="P")
    return weights


def _scoring(page: _Page, data: ReportData, weights: pl.DataFrame) -> None:
    """5. How the score is computed, with the weights and conditions of the window."""
    # 5. Scoring
    page.heading(label("section_scoring", page.lang))
    page.paragraph(_scoring_text(data, page.lang), 9)
    formula = data.scoring_en if page.lang == "en" else data.scoring_vi
    if formula:
        page.pdf.ln(1)
        page.paragraph(label("scoring_formula", page.lang, text=formula), 8.5, "I")
    if weights.height:
        page.pdf.ln(1)
        page.paragraph(label("weights_heading", page.lang), 9.5, "B")
        page.table(
            [label(k, page.lang) for k in ("indicator", "direction", "weight", "min_sample", "target")],
            [
                [
                    _indicator_name(w, page.lang),
                    label(w["direction"], page.lang),
                    fmt_value(w["weight"], page.lang),
                    fmt_value(w["min_sample"], page.lang),
                    formats.with_unit(w["target"], w["unit_vi"], page.lang),
                ]
                for w in weights.iter_rows(named=True)
            ],
            (78, 32, 18, 22, 30),
            ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )


def _completeness(page: _Page, data: ReportData) -> None:
    """6. Reporting completeness, per unit."""
    from fpdf.fonts import FontFace

    # 6. Reporting completeness, per unit.
    page.heading(label("section_completeness", page.lang))
    unit_rows = _completeness_rows(data, page.lang, level="unit")
    page.table(
        [
            label(k, page.lang)
            for k in ("unit_name", "expected", "received", "on_time", "received_share", "on_time_share")
        ],
        [
            [
                r["unit"],
                fmt_number(r["expected"], 0, page.lang),
                fmt_number(r["received"], 0, page.lang),
                fmt_number(r["on_time"], 0, page.lang),
                fmt_number(r["received_share"], 1, page.lang),
                fmt_number(r["on_time_share"], 1, page.lang),
            ]
            for r in unit_rows
        ],
        (70, 22, 20, 20, 24, 24),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        styles=lambda i, j: FontFace(emphasis="BOLD") if unit_rows[i]["level"] == "ward" else None,
    )


def _formulas(page: _Page, ward_rows: list[dict]) -> None:
    """Appendix: how each ward figure is computed."""
    # Appendix: how each ward figure is computed.
    page.heading(label("section_formulas", page.lang))
    page.table(
        [label("indicator", page.lang), label("formula", page.lang)],
        [
            [
                _indicator_name(r, page.lang),
                (r.get("formula_en") if page.lang == "en" else None) or r["formula_vi"],
            ]
            for r in ward_rows
        ],
        (70, 110),
        ("LEFT", "LEFT"),
        size=7.5,
    )


def to_pdf(data: ReportData, lang: str = "vi") -> bytes:
    """The evaluation as a printable A4 PDF: ward header, summary, tables, charts, scoring, page numbers."""
    pdf = _document(data, lang)
    page = _Page(pdf, lang)
    _title(page, data)
    ward_rows = _summary_and_indicators(page, data)
    league_rows = _league(page, data)
    weights = _components(page, data, league_rows)
    _scoring(page, data, weights)
    _completeness(page, data)
    _formulas(page, ward_rows)
    return bytes(pdf.output())
