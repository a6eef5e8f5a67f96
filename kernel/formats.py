"""Vietnamese formats, for every place that shows a number or a date: 1.234.567, 12,5, dd/mm/yyyy.

The one formatter of the project: pages, reports, the command line and the pipelines' messages all use it.
"""

from __future__ import annotations

import datetime as dt
import math


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0, lang: str = "vi") -> str:
    """1234567.8 → '1.234.567,8' (vi) or '1,234,567.8' (en); missing → '—'."""
    if _missing(value):
        return "—"
    text = f"{float(value):,.{decimals}f}"
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def smart(value, lang: str = "vi") -> str:
    """A value with the decimals it deserves: 1.234 / 33,4 / 0,05."""
    if _missing(value):
        return "—"
    magnitude = abs(float(value))
    if float(value).is_integer() or magnitude >= 1000:
        return number(value, 0, lang)
    return number(value, 1 if magnitude >= 1 else 2, lang)


def signed(value, lang: str = "vi") -> str:
    """A gap with its sign: +2,5 / −1."""
    if _missing(value):
        return "—"
    return ("+" if value > 0 else "") + smart(value, lang)


def integer(value) -> str:
    """1500000 → '1.500.000'."""
    return number(int(value), 0)


def date(value: dt.date | dt.datetime | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y %H:%M")


def percent(value, lang: str = "vi") -> str:
    """A share: '76,6%' (no space before %, everywhere: cards, metrics, tables, reports)."""
    return "—" if _missing(value) else f"{smart(value, lang)}%"


def with_unit(value, unit: str | None, lang: str = "vi") -> str:
    """A value and its unit: '9 vụ/1.000 dân', '76,6%'; missing → '—'."""
    if _missing(value):
        return "—"
    if not unit:
        return smart(value, lang)
    return f"{smart(value, lang)}{'' if unit == '%' else ' '}{unit}"


def target(value, kind: str | None, lang: str = "vi") -> str:
    """A target as people count it: a count's (prorated to the days counted) a whole number, 565 not 565,5."""
    if _missing(value):
        return "—"
    return number(round(float(value)), 0, lang) if kind == "count" else smart(value, lang)


def month_label(month_key: str) -> str:
    """'2026-10' → '10/2026'."""
    return f"{month_key[5:7]}/{month_key[:4]}"


def when_label(iso: str | None) -> str:
    """An ISO timestamp as 'dd/mm/yyyy hh:mm' ('' when unknown)."""
    if not iso:
        return ""
    try:
        return dt.datetime.fromisoformat(str(iso)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(iso)
