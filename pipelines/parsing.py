"""From a table of strings to typed columns: header mapping, dates, numbers, enums.

Cells that cannot be typed become null and produce a row error (data, not an
exception); rules are checked afterwards by the Great Expectations suite.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import polars as pl

from kernel import contracts as c
from pipelines import dates
from pipelines.reading import LINE, FileRefused, RawTable
from pipelines.text import fold, fold_expr

ERROR_SCHEMA = {
    "line": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "rule": pl.String,
}


def header_aliases(contract: c.Contract) -> dict[str, str]:
    """Every accepted header spelling (folded) → canonical column name."""
    aliases: dict[str, str] = {}
    for col in contract.columns:
        spellings = [col.name, col.name.replace("_", " "), col.label_vi, col.label_en, *col.aliases]
        # "Khối lượng rác (kg)" is also written without the unit.
        spellings += [s.split("(")[0] for s in spellings if "(" in s]
        for spelling in spellings:
            aliases.setdefault(fold(spelling), col.name)
    return aliases


def enum_aliases(column: c.Column) -> dict[str, str]:
    """Every accepted spelling (folded) of an enum value → its code."""
    mapping: dict[str, str] = {}
    for choice in column.choices:
        for spelling in (choice.code, choice.code.replace("_", " "), choice.label_vi, choice.label_en):
            mapping.setdefault(fold(spelling), choice.code)
    return mapping


def feed_aliases() -> dict[str, str]:
    """Every accepted spelling of a feed name → its canonical name."""
    mapping: dict[str, str] = {}
    for contract in c.FEEDS.values():
        for spelling in (contract.name, contract.label_vi, contract.label_en, *contract.aliases):
            mapping.setdefault(fold(spelling), contract.name)
    return mapping


_TRAILING_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def _match_header(cell: str, aliases: dict[str, str]) -> str | None:
    """A header cell's column: its text, or for 'Số hồ sơ (record_id)' (our templates) either part."""
    name = aliases.get(fold(cell))
    if name is None and (parts := _TRAILING_PARENS.match(cell)):
        name = aliases.get(fold(parts.group(2))) or aliases.get(fold(parts.group(1)))
    return name


@dataclass
class HeaderMap:
    columns: dict[int, str]  # position in file → canonical name
    extras: list[str]  # headers we do not know, kept aside and reported


def map_headers(header: list[str], contract: c.Contract, filled: set[str] = frozenset()) -> HeaderMap:
    """Match the file's header cells to the contract; refuse the file when required columns miss."""
    aliases = header_aliases(contract)
    columns: dict[int, str] = {}
    extras: list[str] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        name = _match_header(cell or "", aliases)
        if name is None:
            if (cell or "").strip():
                extras.append(re.sub(_CONTROL, "\ufffd", cell.strip()))
            continue
        if name in seen:
            raise FileRefused(
                f"Cột «{contract.column(name).label_vi}» ({name}) xuất hiện hai lần trong dòng "
                f"tiêu đề: «{seen[name]}» và «{cell.strip()}». Hãy xóa một cột."
            )
        seen[name] = cell.strip()
        columns[position] = name
    missing = [n for n in contract.required_columns if n not in seen and n not in filled]
    if missing:
        names = ", ".join(f"«{contract.column(n).label_vi}» ({n})" for n in missing)
        hint = _other_feed_hint(header, contract, filled)
        raise FileRefused(
            f"Tệp thiếu cột bắt buộc của loại dữ liệu «{contract.label_vi}»: {names}. "
            f"Dòng tiêu đề đọc được: {re.sub(_CONTROL, '�', ' | '.join(h.strip() for h in header if h))}.{hint}"
        )
    return HeaderMap(columns, extras)


def _other_feed_hint(header: list[str], contract: c.Contract, filled: set[str] = frozenset()) -> str:
    folded = {fold(h or "") for h in header}
    best, best_hits = None, 0
    for other in c.ALL_CONTRACTS.values():
        if other.name == contract.name:
            continue
        # Columns the upload fills in (the unit) may be missing from any feed's file.
        assumed = set() if other.reference else filled
        hits = sum(1 for alias in header_aliases(other) if alias in folded)
        required_hits = sum(
            1 for n in other.required_columns if n in assumed or set(header_aliases_for(other, n)) & folded
        )
        if required_hits == len(other.required_columns) and hits > best_hits:
            best, best_hits = other, hits
    if best is None:
        return ""
    return f" Tệp này có vẻ là dữ liệu «{best.label_vi}» ({best.name}): hãy chọn đúng loại dữ liệu."


def header_aliases_for(contract: c.Contract, name: str) -> list[str]:
    return [alias for alias, col in header_aliases(contract).items() if col == name]


def _clean(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _integer(expr: pl.Expr) -> pl.Expr:
    s = expr.str.replace_all(r"[\s\u00a0]", "")
    # 1.500.000 or 1,500,000 (thousands separators); 12.0 from Excel number cells.
    grouped = s.str.contains(r"^[+-]?\d{1,3}([.,]\d{3})+$")
    whole_float = s.str.contains(r"^[+-]?\d+\.0+$")
    s = (
        pl.when(grouped)
        .then(s.str.replace_all(r"[.,]", ""))
        .when(whole_float)
        .then(s.str.replace(r"\.0+$", ""))
        .otherwise(s)
    )
    return s.cast(pl.Int64, strict=False)


def _decimal(expr: pl.Expr) -> pl.Expr:
    s = expr.str.replace_all(r"[\s\u00a0]", "")
    vietnamese = s.str.contains(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,5 or 1.500
    english = s.str.contains(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.5
    s = (
        pl.when(vietnamese)
        .then(s.str.replace_all(r"\.", "").str.replace(",", "."))
        .when(english)
        .then(s.str.replace_all(",", ""))
        .otherwise(s.str.replace(",", "."))
    )
    return s.cast(pl.Float64, strict=False)


def _enum(expr: pl.Expr, column: c.Column) -> pl.Expr:
    # Unknown values stay as written so the suite's value-set check reports them.
    return fold_expr(expr).replace_strict(enum_aliases(column), default=expr, return_dtype=pl.String)


def _feed_list(value: str | None) -> str | None:
    if value is None:
        return None
    aliases = feed_aliases()
    parts = [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]
    return ";".join(aliases.get(fold(p), p) for p in parts)


def _code(expr: pl.Expr, known: list[str]) -> pl.Expr:
    """Codes match known codes case-insensitively; anything else stays as written."""
    mapping = {code.upper(): code for code in known}
    return expr.str.to_uppercase().replace_strict(mapping, default=expr, return_dtype=pl.String)


def _convert_distinct(cells: pl.Series, convert) -> pl.Series:
    """Apply a conversion to each distinct cell text once (files repeat dates, codes and enums)."""
    distinct = cells.unique().drop_nulls()
    if distinct.len() > cells.len() // 2:
        return pl.select(convert(pl.lit(cells)).alias(cells.name)).to_series()
    converted = pl.select(convert(pl.lit(distinct))).to_series()
    return cells.replace_strict(distinct, converted, default=None, return_dtype=converted.dtype).alias(
        cells.name
    )


# C0 controls but tab and line breaks, and DEL: never typed by a clerk, they come from a broken
# file or a payload (a terminal escape in a cell would reach `dothixanh sql` output).
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def _control_characters(strings: pl.DataFrame, contract: c.Contract) -> pl.DataFrame:
    """One row error per cell holding a control character; the value shows each one as «�»."""
    frames = [
        strings.filter(pl.col(name).str.contains(_CONTROL)).select(
            pl.col(LINE).alias("line"),
            pl.lit(name).alias("column"),
            pl.col(name).str.replace_all(_CONTROL, "\ufffd").alias("value"),
            pl.lit("control_character").alias("rule"),
        )
        for name in contract.column_names
    ]
    return pl.concat(frames).cast(ERROR_SCHEMA)


def _name_column(error: dict, headers: HeaderMap) -> dict:
    position = error.get("position")
    if position is None or position not in headers.columns:
        return error
    return {**error, "column": headers.columns[position]}


@dataclass
class Parsed:
    contract: c.Contract
    strings: pl.DataFrame  # canonical names, cleaned cell text, _line
    typed: pl.DataFrame  # canonical names, typed, _line
    errors: pl.DataFrame  # line, column, value, rule (type errors)
    extras: list[str]
    date_evidence: dates.DateEvidence = field(default_factory=dates.DateEvidence)  # order used, and why

    @property
    def date_order_hint(self) -> dict | None:
        """Set when the file writes dates month/day/year (confirmed or not): for the preview and the CLI."""
        found = self.date_evidence.month_first
        return self.date_evidence.hint(self.contract.column(found.column).label_vi if found else None)


def parse(
    raw: RawTable,
    contract: c.Contract,
    *,
    unit_code: str | None = None,
    group_codes: list[str] | None = None,
    unit_codes: list[str] | None = None,
    date_order: str | None = None,
) -> Parsed:
    """Map headers and type every cell of a RawTable; type failures become row errors.

    The table's cells as read (`raw.rows`) are emptied once cleaned: `Parsed.strings` holds them.

    `date_order` is "dmy" (the default) or "mdy" once the clerk confirms the file writes
    month/day/year; see pipelines/dates.py for how the file's own dates are weighed.
    """
    date_order = date_order or dates.DMY
    if date_order not in dates.DATE_ORDERS:
        raise ValueError(f"date_order must be one of {dates.DATE_ORDERS}, not {date_order!r}")
    filled = {"unit_code"} if unit_code and "unit_code" in contract.column_names else set()
    headers = map_headers(raw.header, contract, filled)
    # The reader knows where a broken cell sits; the contract knows what that column is called.
    raw.row_errors = [_name_column(error, headers) for error in raw.row_errors]
    unmapped = [pos for pos in range(len(raw.header)) if pos not in headers.columns]
    strings = raw.rows.select(
        [_clean(pl.col(f"c{pos}")).alias(name) for pos, name in headers.columns.items()]
        + [_clean(pl.col(f"c{pos}")).alias(f"_unmapped{pos}") for pos in unmapped]
        + [pl.col(LINE)]
    )
    raw.rows = raw.rows.clear()  # the cleaned cells replace the cells as read (a large file's memory)
    # A line of spaces is a blank line too (the reader drops only lines with no text at all).
    cells = [name for name in strings.columns if name != LINE]
    if cells:
        strings = strings.filter(~pl.all_horizontal(pl.col(name).is_null() for name in cells))
    for name in contract.column_names:
        if name not in strings.columns:
            fill = unit_code if name == "unit_code" else None
            strings = strings.with_columns(pl.lit(fill, dtype=pl.String).alias(name))
    if unit_code and "unit_code" in filled:
        # A blank unit cell in a unit's own file means that unit.
        strings = strings.with_columns(pl.col("unit_code").fill_null(pl.lit(unit_code)))
    strings = strings.select([*contract.column_names, LINE])

    typed_columns = []
    error_frames = [_control_characters(strings, contract)] if raw.control_characters else []
    date_columns = [col.name for col in contract.columns if col.type == c.DATE]
    found, read_dates = dates.read_date_columns(strings, date_columns, date_order)
    for col in contract.columns:
        if col.type == c.DATE:
            typed, rules = read_dates[col.name]
            typed_columns.append(typed)
            if rules is not None:
                error_frames.append(
                    strings.with_columns(rules)
                    .filter(pl.col("rule").is_not_null())
                    .select(
                        pl.col(LINE).alias("line"),
                        pl.lit(col.name).alias("column"),
                        pl.col(col.name).alias("value"),
                        "rule",
                    )
                )
            continue
        if col.type == c.INTEGER:
            convert = _integer
        elif col.type == c.DECIMAL:
            convert = _decimal
        elif col.type == c.ENUM:
            convert = functools.partial(_enum, column=col)
        elif col.name == "group_code" and group_codes:
            convert = functools.partial(_code, known=group_codes)
        elif col.name == "unit_code" and unit_codes:
            convert = functools.partial(_code, known=unit_codes)
        else:
            typed_columns.append(strings[col.name])
            continue
        typed = _convert_distinct(strings[col.name], convert)
        typed_columns.append(typed)
        if col.type in (c.INTEGER, c.DECIMAL):
            failed = strings[col.name].is_not_null() & typed.is_null()
            if failed.any():
                error_frames.append(
                    strings.filter(failed).select(
                        pl.col(LINE).alias("line"),
                        pl.lit(col.name).alias("column"),
                        pl.col(col.name).alias("value"),
                        pl.lit(f"type_{col.type}").alias("rule"),
                    )
                )
    typed_frame = pl.DataFrame([*typed_columns, strings[LINE]])
    feed_lists = [col.name for col in contract.columns if col.type == c.FEED_LIST]
    if feed_lists:
        typed_frame = typed_frame.with_columns(
            pl.col(n).map_elements(_feed_list, return_dtype=pl.String) for n in feed_lists
        )
    errors = pl.concat(error_frames) if error_frames else pl.DataFrame(schema=ERROR_SCHEMA)
    return Parsed(contract, strings, typed_frame, errors.cast(ERROR_SCHEMA), headers.extras, found)


def duplicate_key_errors(parsed: Parsed) -> pl.DataFrame:
    """Rows whose key already appeared earlier in the same file: the later one is rejected."""
    key = list(parsed.contract.key)
    id_col = parsed.contract.id_column
    # One lazy query: filtered in two eager steps, the (unit, record number) pairs of 1.000.000 rows
    # cost the worker about 210 MB more at its peak (40 MB as one query, for some 0,03 s more).
    later = (
        parsed.typed.lazy()
        .select([*key, LINE])
        .filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key) & ~pl.struct(key).is_first_distinct())
        .collect()
    )
    if later.is_empty():
        return pl.DataFrame(schema=ERROR_SCHEMA)
    later = later.join(parsed.strings.select(pl.col(id_col).alias("_raw"), pl.col(LINE)), on=LINE)
    return later.select(
        pl.col(LINE).alias("line"),
        pl.lit(id_col).alias("column"),
        pl.col("_raw").alias("value"),
        pl.lit("duplicate_key").alias("rule"),
    ).cast(ERROR_SCHEMA)
