"""Codes as people read them on the pages, in the page's language (the table: kernel/labels.py)."""

from __future__ import annotations

import polars as pl

from dashboard.i18n import lang
from kernel import labels


def decode(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its code columns shown by their labels (kernel/labels.py decode)."""
    return labels.decode(frame, lang())
