"""Vietnamese formats: 1.234.567, 12,5, dd/mm/yyyy, VND."""

from __future__ import annotations

import datetime as dt
import math


def number(value, decimals: int = 0, lang: str = "vi") -> str:
    """1234567.8 → '1.234.567,8' (vi) or '1,234,567.8' (en); missing → '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{float(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def smart(value, lang: str = "vi") -> str:
    """A number with as many decimals as it deserves (0 for big numbers, 1 for small ones)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    magnitude = abs(float(value))
    decimals = 0 if magnitude >= 100 or float(value).is_integer() else (1 if magnitude >= 1 else 2)
    return number(value, decimals, lang)


def signed(value, lang: str = "vi") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return ("+" if value > 0 else "") + smart(value, lang)


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y %H:%M")


def vnd(value, lang: str = "vi") -> str:
    return "—" if value is None else f"{number(value, 0, lang)} đ"
