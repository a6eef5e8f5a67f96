"""Dates as the file writes them: day/month/year unless the file proves and the clerk confirms otherwise.

A cell like 7/3/2026 is 7 March written day first (as Vietnam writes it) or 3 July written
month first (a PC with English (US) settings). The file's other dates decide: 7/14/2026 can
only be month first, 14/7/2026 only day first. The whole file is one piece of evidence (one
program wrote all its date columns):

- no month-first value: read day/month/year, as always;
- month-first values and no day-first one: the file writes month/day/year. The reader says so
  (`DateEvidence.hint`) and reads the dates that way only when the clerk confirms it
  (`date_order="mdy"`); until then the cells that read both ways are refused, not guessed;
- both kinds: the file mixes the two habits, and every cell that reads both ways is refused.

A year of two digits (07/03/26, LibreOffice's default CSV export) is refused with its own reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.reading import LINE

DMY, MDY = "dmy", "mdy"
DATE_ORDERS = (DMY, MDY)

# Rules of the cells a date order cannot read (messages.py words them).
TWO_DIGIT_YEAR = "date_two_digit_year"
MONTH_FIRST = "date_month_first"  # only month/day/year reads it, the file is read day first
DAY_FIRST = "date_day_first"  # only day/month/year reads it, the file is read month first
AMBIGUOUS = "date_ambiguous"  # reads both ways and the file's evidence does not settle it
TYPE_DATE = "type_date"

_PARTS = (
    r"^(?P<a>\d{1,2})(?P<s1>[/.\-])(?P<b>\d{1,2})(?P<s2>[/.\-])(?P<y>\d+)"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_ISO = ((pl.Date, "%Y-%m-%d"), (pl.Datetime, "%Y-%m-%d %H:%M:%S"))  # Excel date cells come as ISO text


@dataclass(frozen=True)
class Example:
    column: str
    value: str
    line: int


@dataclass(frozen=True)
class DateEvidence:
    """What a file's date cells say about the order it writes day and month in, and the order used."""

    order: str = DMY
    month_first: Example | None = None  # a cell only month/day/year can read (7/14/2026)
    day_first: Example | None = None  # a cell only day/month/year can read (14/7/2026)

    @property
    def mixed(self) -> bool:
        return self.month_first is not None and self.day_first is not None

    @property
    def writes_month_first(self) -> bool:
        """The file proves month/day/year and nothing contradicts it."""
        return self.month_first is not None and self.day_first is None

    def hint(self, label: str | None = None) -> dict | None:
        """For a month-first file: what the preview and `ingest --json` say (None otherwise)."""
        if not self.writes_month_first:
            return None
        example = self.month_first
        where = f"ví dụ «{example.value}» ở dòng {example.line}, cột «{label or example.column}»"
        if self.order == MDY:
            message = f"Đã đọc ngày theo kiểu tháng/ngày/năm như đã xác nhận ({where})."
        else:
            message = (
                f"Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm ({where}). Các ngày đọc được hai cách "
                "(như 7/3/2026) chưa được nạp cho đến khi xác nhận cách ghi này."
            )
        return {
            "order": MDY,
            "confirmed": self.order == MDY,
            "column": example.column,
            "example": example.value,
            "example_date": _parts(pl.Series([example.value]))["mdy"][
                0
            ].isoformat(),  # 7/14/2026 → 2026-07-14
            "line": example.line,
            "message": message,
        }


def _parts(texts: pl.Series) -> pl.DataFrame:
    """Each distinct date text with what it means read day first, month first, or as ISO."""
    frame = pl.DataFrame({"text": texts}).with_columns(pl.col("text").str.extract_groups(_PARTS).alias("p"))
    frame = frame.unnest("p")
    year = pl.col("y")
    written = (pl.col("s1") == pl.col("s2")) & year.str.len_chars().is_in([2, 4])
    full_year = pl.when(year.str.len_chars() == 2).then(pl.lit("20") + year).otherwise(year)

    def as_date(day: str, month: str) -> pl.Expr:
        iso = pl.concat_str([full_year, pl.col(month).str.zfill(2), pl.col(day).str.zfill(2)], separator="-")
        return pl.when(written).then(iso).str.strptime(pl.Date, "%Y-%m-%d", strict=False)

    iso = [
        pl.col("text").str.strptime(dtype, fmt, strict=False)
        if dtype == pl.Date
        else pl.col("text").str.strptime(dtype, fmt, strict=False).dt.date()
        for dtype, fmt in _ISO
    ]
    return frame.select(
        "text",
        pl.coalesce(iso).alias("iso"),
        as_date("a", "b").alias("dmy"),
        as_date("b", "a").alias("mdy"),
        (written & (year.str.len_chars() == 2)).alias("two_digit"),
        (pl.col("a").cast(pl.Int32, strict=False) == pl.col("b").cast(pl.Int32, strict=False))
        .fill_null(False)
        .alias("same"),
    )


def read_date_columns(
    strings: pl.DataFrame, columns: list[str], order: str = DMY
) -> tuple[DateEvidence, dict[str, tuple[pl.Series, pl.Series | None]]]:
    """Weigh every date cell of the file, then read each date column with that evidence.

    Returns the evidence and, per column, (dates, rule per cell or None when every cell is fine).
    """
    month_first = day_first = None
    parts = {}
    for name in columns:
        parts[name] = found = _parts(strings[name].drop_nulls().unique())
        only_mdy = found.filter(pl.col("mdy").is_not_null() & pl.col("dmy").is_null())["text"]
        only_dmy = found.filter(pl.col("dmy").is_not_null() & pl.col("mdy").is_null())["text"]
        month_first = month_first or _first(strings, name, only_mdy)
        day_first = day_first or _first(strings, name, only_dmy)
    evidence = DateEvidence(order=order, month_first=month_first, day_first=day_first)
    return evidence, {name: _read(strings[name], parts[name], evidence) for name in columns}


def _first(strings: pl.DataFrame, name: str, values: pl.Series) -> Example | None:
    if values.is_empty():
        return None
    row = strings.filter(pl.col(name).is_in(values.implode())).select(name, LINE).sort(LINE).row(0)
    return Example(name, row[0], row[1])


def _read(cells: pl.Series, parts: pl.DataFrame, found: DateEvidence) -> tuple[pl.Series, pl.Series | None]:
    """(dates, rule): each cell's date, or null and the rule that refuses it (null where fine or empty)."""
    order = found.order
    # A cell reading both ways is read with the order only when the file's evidence agrees.
    against = found.day_first if order == MDY else found.month_first
    chosen = pl.col("mdy") if order == MDY else pl.col("dmy")
    both = pl.col("dmy").is_not_null() & pl.col("mdy").is_not_null()
    only_mdy = pl.col("mdy").is_not_null() & pl.col("dmy").is_null()
    only_dmy = pl.col("dmy").is_not_null() & pl.col("mdy").is_null()
    judged = parts.select(
        "text",
        pl.when(pl.col("iso").is_not_null())
        .then(pl.col("iso"))
        .when(pl.col("two_digit"))
        .then(None)
        .when(both & (pl.col("same") | pl.lit(against is None)))
        .then(chosen)
        .when(both)
        .then(None)
        .otherwise(chosen)
        .alias("date"),
        pl.when(pl.col("iso").is_not_null())
        .then(None)
        .when(pl.col("two_digit"))
        .then(pl.lit(TWO_DIGIT_YEAR))
        .when(both & ~pl.col("same") & pl.lit(against is not None))
        .then(pl.lit(AMBIGUOUS))
        .when(only_mdy & pl.lit(order == DMY))
        .then(pl.lit(MONTH_FIRST))
        .when(only_dmy & pl.lit(order == MDY))
        .then(pl.lit(DAY_FIRST))
        .when(chosen.is_null())
        .then(pl.lit(TYPE_DATE))
        .alias("rule"),
    )
    dates = cells.replace_strict(judged["text"], judged["date"], default=None, return_dtype=pl.Date)
    refused = judged.filter(pl.col("rule").is_not_null())
    if refused.is_empty():
        return dates.alias(cells.name), None
    rules = cells.replace_strict(refused["text"], refused["rule"], default=None, return_dtype=pl.String)
    return dates.alias(cells.name), rules.alias("rule")
