"""Text helpers for Vietnamese input: normalisation and diacritic folding."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Ngày  Phát hiện' → 'ngay phat hien'."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """The vectorised twin of :func:`fold` for Polars columns."""
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{M}", "")
        .str.replace_all("[đĐ]", "d")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.to_lowercase()
    )


def compact(text: str) -> str:
    """Fold and drop everything but letters and digits: 'TDP 05' → 'tdp05'."""
    return re.sub(r"[^0-9a-z]", "", fold(text))
