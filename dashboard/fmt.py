"""Vietnamese formats for the pages (one implementation for the whole project: pipelines/formats.py)."""

from pipelines.formats import date, datetime, integer, number, percent, signed, smart, target, with_unit

__all__ = ["date", "datetime", "integer", "number", "percent", "signed", "smart", "target", "with_unit"]
