"""The evaluation report as an Excel workbook: one sheet per section, text never run as a formula."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from kernel.labels import label
from services.reports.data import ReportData
from services.reports.wording import (
    GREEN,
    RED,
    _assessment,
    _component_status,
    _frozen_before_text,
    _indicator_name,
    _reason,
    _scoring_text,
    _source_text,
    _tier_name,
    _unit,
    _ward_completeness,
    fmt_date,
    fmt_value,
)


@dataclass(frozen=True)
class _Col:
    header: str
    get: Callable[[dict], object]
    kind: str = "text"  # text | wrap | int | num | score | pct | date | datetime
    width: float | None = None


# Numbers stay numbers; Excel shows them with the reader's own separators (1.234,5 on a Vietnamese PC).
NUMBER_FORMATS = {"int": "#,##0", "num": "#,##0.0#", "score": "0.0", "pct": "0.0"}


class _Formats:
    """xlsxwriter formats made once per workbook."""

    def __init__(self, workbook):
        self.workbook = workbook
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.base = base
        self._cache: dict[tuple, object] = {}
        self.header = workbook.add_format(
            {**base, "bold": True, "bg_color": "#DDEBDD", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.title = workbook.add_format({**base, "bold": True, "font_size": 13})
        self.subtitle = workbook.add_format({**base, "bold": True, "font_size": 11, "text_wrap": True})
        self.label = workbook.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"})

    def get(self, kind: str, value=None, colour: str | None = None):
        num_format = NUMBER_FORMATS.get(kind)
        if kind == "num" and isinstance(value, int | float) and float(value).is_integer():
            num_format = "#,##0"
        if kind in ("date", "datetime"):
            num_format = "dd/mm/yyyy" if kind == "date" else "dd/mm/yyyy hh:mm"
        key = (num_format, kind == "wrap", colour)
        if key not in self._cache:
            spec = {**self.base, "border": 1}
            if num_format:
                spec["num_format"] = num_format
            if kind == "wrap":
                spec["text_wrap"] = True
            if colour:
                spec["font_color"] = colour
            self._cache[key] = self.workbook.add_format(spec)
        return self._cache[key]


def _write_cell(ws, row: int, col: int, value, kind: str, fmt) -> None:
    """One typed cell. Text always via write_string: user text is never a formula, a URL or a number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif kind in ("int", "num", "score", "pct"):
        ws.write_number(row, col, float(value), fmt)
    elif kind == "date":
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    elif kind == "datetime":
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _display_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("date",):
        return 10
    if kind == "datetime":
        return 16
    if kind in ("int", "num", "score", "pct"):
        return len(fmt_value(value)) + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table_sheet(
    workbook,
    formats: _Formats,
    name: str,
    columns: Sequence[_Col],
    rows: Sequence[dict],
    *,
    colour: Callable[[dict, _Col], str | None] | None = None,
    header_text: str = "",
) -> None:
    """A sheet holding one table: bold filled header, frozen, filtered, typed cells, sized columns."""
    ws = workbook.add_worksheet(name)
    widths = [len(col.header) for col in columns]
    for j, col in enumerate(columns):
        ws.write_string(0, j, col.header, formats.header)
    for i, row in enumerate(rows, start=1):
        for j, col in enumerate(columns):
            value = col.get(row)
            fmt = formats.get(col.kind, value, colour(row, col) if colour else None)
            _write_cell(ws, i, j, value, col.kind, fmt)
            widths[j] = max(widths[j], _display_width(value, col.kind))
    for j, col in enumerate(columns):
        width = col.width or min(max(widths[j] + 2, 8), 60)
        ws.set_column(j, j, width)
    ws.set_row(0, 32)
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
    _print_setup(ws, header_text)


def _print_setup(ws, header_text: str) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    if header_text:
        ws.set_header("&L" + header_text.replace("&", "&&")[:200])
    ws.set_footer("&RTrang &P/&N")


def to_xlsx(data: ReportData, lang: str = "vi") -> bytes:
    """The evaluation as an Excel workbook, one formatted sheet per section."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    workbook.set_properties(
        {
            "title": f"{label('title', lang)} — {data.label(lang)}",
            "author": label("ward_header", lang, **data.ward_words),
            "company": label("ward_header", lang, **data.ward_words),
            "comments": data.evaluation,
        }
    )
    formats = _Formats(workbook)
    running = label("running_header", lang, label=data.label(lang), **data.ward_words)
    _summary_sheet(workbook, formats, data, lang)
    _table_sheet(
        workbook,
        formats,
        label("sheet_indicators", lang),
        [*_indicator_columns(lang), _ward_column(lang, data)],
        [{**r, "_no": i} for i, r in enumerate(data.ward_indicators.iter_rows(named=True), start=1)],
        colour=lambda row, col: _status_colour(row) if col.header == label("assessment", lang) else None,
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_league", lang),
        [*_league_columns(lang), _ward_column(lang, data)],
        list(data.league.iter_rows(named=True)),
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_components", lang),
        [*_component_columns(lang, data), _ward_column(lang, data)],
        list(
            data.components.join(_rank_order(data), on="group_code", how="left")
            .sort("_order", "indicator_order")
            .iter_rows(named=True)
        )
        if data.components.height
        else [],
        header_text=running,
    )
    _table_sheet(
        workbook,
        formats,
        label("sheet_completeness", lang),
        [*_completeness_columns(lang), _ward_column(lang, data)],
        _completeness_rows(data, lang),
        header_text=running,
    )
    workbook.close()
    return buffer.getvalue()


def _ward_column(lang: str, data: ReportData) -> _Col:
    """Every table sheet ends with the ward's code, so rows copied out of it still say whose they are."""
    return _Col(label("ward_code", lang), lambda _row: data.ward_code)


def _rank_order(data: ReportData) -> pl.DataFrame:
    """League order (ranked first, by rank) as a sort key for per-group rows."""
    return data.league.select("group_code").with_row_index("_order")


def _status_colour(row: dict) -> str | None:
    return {True: GREEN, False: RED}.get(row.get("on_track"))


def _indicator_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("no", lang), lambda r: r["_no"], "int", 5),
        _Col(label("indicator", lang), lambda r: _indicator_name(r, lang), "wrap", 40),
        _Col(label("unit", lang), lambda r: _unit(r, lang)),
        _Col(
            label("formula", lang),
            lambda r: (r.get("formula_en") if lang == "en" else None) or r["formula_vi"],
            "wrap",
            50,
        ),
        _Col(label("direction", lang), lambda r: label(r["direction"], lang)),
        _Col(label("numerator", lang), lambda r: r["numerator"], "num"),
        _Col(label("denominator", lang), lambda r: r["denominator"], "num"),
        _Col(label("sample_size", lang), lambda r: r["sample_size"], "num"),
        _Col(label("value", lang), lambda r: r["value"], "num"),
        _Col(label("target", lang), lambda r: r["target"], "num"),
        _Col(label("gap", lang), lambda r: r["gap_to_target"], "num"),
        _Col(label("assessment", lang), lambda r: _assessment(r, lang)),
        _Col(label("reason", lang), lambda r: _reason(r, lang) or None, "wrap", 40),
    ]


def _league_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("rank", lang), lambda r: r["rank"], "int", 7),
        _Col(label("group_code", lang), lambda r: r["group_code"]),
        _Col(label("group", lang), lambda r: r["group_name"]),
        _Col(label("score", lang), lambda r: r["score"], "score"),
        _Col(label("tier", lang), lambda r: _tier_name(r["tier"], lang)),
        _Col(label("scored_count", lang), lambda r: r["indicators_scored"], "int"),
        _Col(
            label("weight_share", lang),
            lambda r: None if r["weight_share"] is None else 100 * r["weight_share"],
            "pct",
        ),
        _Col(label("note", lang), lambda r: r["note_vi"], "wrap", 50),
    ]


def _component_columns(lang: str, data: ReportData) -> list[_Col]:
    names_en = dict(
        zip(data.ward_indicators["indicator_id"], data.ward_indicators["indicator_name_en"], strict=True)
    )
    return [
        _Col(label("group_code", lang), lambda r: r["group_code"]),
        _Col(label("group", lang), lambda r: r["group_name"]),
        _Col(
            label("indicator", lang),
            lambda r: (names_en.get(r["indicator_id"]) if lang == "en" else None) or r["indicator_name_vi"],
            "wrap",
            40,
        ),
        _Col(label("unit", lang), lambda r: r["unit_vi"]),
        _Col(label("direction", lang), lambda r: label(r["direction"], lang)),
        _Col(label("sample_size", lang), lambda r: r["sample_size"], "num"),
        _Col(label("min_sample", lang), lambda r: r["min_sample"], "int"),
        _Col(label("raw_value", lang), lambda r: r["raw_value"], "num"),
        _Col(label("target", lang), lambda r: r["target"], "num"),
        _Col(label("best", lang), lambda r: r["best_value"], "num"),
        _Col(label("worst", lang), lambda r: r["worst_value"], "num"),
        _Col(label("component_score", lang), lambda r: r["component_score"], "score"),
        _Col(label("weight", lang), lambda r: r["weight"], "num"),
        _Col(label("status", lang), lambda r: _component_status(r, lang), "wrap", 45),
    ]


def _completeness_columns(lang: str) -> list[_Col]:
    return [
        _Col(label("unit_name", lang), lambda r: r["unit"], "wrap", 40),
        _Col(label("feed", lang), lambda r: r["feed"]),
        _Col(label("expected", lang), lambda r: r["expected"], "int"),
        _Col(label("received", lang), lambda r: r["received"], "int"),
        _Col(label("on_time", lang), lambda r: r["on_time"], "int"),
        _Col(label("received_early", lang), lambda r: r["received_not_yet_due"], "int"),
        _Col(label("received_share", lang), lambda r: r["received_share"], "pct"),
        _Col(label("on_time_share", lang), lambda r: r["on_time_share"], "pct"),
        _Col(label("note", lang), lambda r: r["reason_vi"], "wrap", 40),
    ]


def _completeness_rows(data: ReportData, lang: str, level: str = "unit_feed") -> list[dict]:
    feed_key = "feed_label_en" if lang == "en" else "feed_label_vi"
    rows = []
    for r in data.completeness.filter(pl.col("level").is_in([level, "ward"])).iter_rows(named=True):
        is_ward = r["level"] == "ward"
        rows.append(
            {
                **r,
                "unit": label("ward_total", lang) if is_ward else (r["unit_name"] or r["unit_code"]),
                "feed": "" if is_ward or r["feed"] is None else r[feed_key],
            }
        )
    return rows


def _summary_sheet(workbook, formats: _Formats, data: ReportData, lang: str) -> None:
    ws = workbook.add_worksheet(label("sheet_summary", lang))
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 80)
    ws.set_column(2, 7, 18)
    ws.write_string(0, 0, label("ward_header", lang, **data.ward_words), formats.title)
    ws.write_string(1, 0, label("campaign", lang), formats.subtitle)
    ws.write_string(3, 0, label("title", lang), formats.title)
    ws.write_string(4, 0, data.label(lang), formats.subtitle)
    ws.write_string(
        5,
        0,
        label("window", lang, start=fmt_date(data.window_start), end=fmt_date(data.window_end)),
        formats.subtitle,
    )
    ward = _ward_completeness(data) or {}
    targeted = data.ward_indicators.filter(pl.col("on_track").is_not_null())
    items: list[tuple[str, object, str]] = [
        (label("ward_name", lang), data.ward_name, "text"),
        (label("ward_code", lang), data.ward_code, "text"),
        (label("evaluation_code", lang), data.evaluation, "text"),
        (label("evaluation_label", lang), data.label(lang), "text"),
        (label("window_start", lang), data.window_start, "date"),
        (label("window_end", lang), data.window_end, "date"),
        (label("data_end", lang), data.data_end, "date"),
        (label("period_status", lang), label(f"status_{data.period_status}", lang), "text"),
        *([(label("window_note_item", lang), data.window_note, "wrap")] if data.window_note else []),
        (label("issued_on", lang), data.issued_on, "date"),
        (label("source", lang), _source_text(data, lang), "wrap"),
        (label("settings_hash", lang), data.settings_sha256, "text"),
        (label("groups_total", lang), data.league.height, "int"),
        (label("groups_ranked", lang), data.league.filter(pl.col("ranked")).height, "int"),
        (label("indicators_targeted", lang), targeted.height, "int"),
        (label("indicators_on_track", lang), targeted.filter(pl.col("on_track")).height, "int"),
        (label("reports_due", lang), ward.get("expected"), "int"),
        (label("reports_received_share", lang), ward.get("received_share"), "pct"),
        (label("reports_on_time_share", lang), ward.get("on_time_share"), "pct"),
        (label("scoring", lang), _scoring_text(data, lang), "wrap"),
    ]
    frozen_before = _frozen_before_text(data, lang)
    if frozen_before:
        after_source = [name for name, _, _ in items].index(label("source", lang)) + 1
        items.insert(after_source, (label("snapshots", lang), frozen_before, "wrap"))
    top = 7
    ws.write_string(top, 0, label("item", lang), formats.header)
    ws.write_string(top, 1, label("content", lang), formats.header)
    for i, (name, value, kind) in enumerate(items, start=top + 1):
        ws.write_string(i, 0, name, formats.label)
        _write_cell(ws, i, 1, value, kind, formats.get(kind, value))
        if kind == "wrap":
            ws.set_row(i, 15 * max(1, math.ceil(len(str(value)) / 95)))
    row = top + len(items) + 2
    if data.snapshots.height:
        ws.write_string(row, 0, label("snapshots", lang), formats.subtitle)
        row += 1
        headers = [
            ("snapshot_id", "int"),
            ("frozen_at", "datetime"),
            ("frozen_by", "text"),
            ("note", "text"),
            ("data_end", "date"),
            ("content_hash", "text"),
            ("groups_changed", "int"),
        ]
        keys = ["snapshot_id", "frozen_at", "frozen_by", "note", "as_of", "content_sha256", "groups_changed"]
        for j, (key, _) in enumerate(headers):
            ws.write_string(row, j, label(key, lang), formats.header)
        for snap in data.snapshots.iter_rows(named=True):
            row += 1
            for j, ((_, kind), key) in enumerate(zip(headers, keys, strict=True)):
                _write_cell(ws, row, j, snap[key], kind, formats.get(kind, snap[key]))
    _print_setup(ws, "")
    ws.set_portrait()
