"""Vietnamese formats for the pages (one implementation for the whole project: pipelines/formats.py)."""

from pipelines.formats import date, datetime, integer, number, signed, smart

__all__ = ["date", "datetime", "integer", "number", "signed", "smart"]
