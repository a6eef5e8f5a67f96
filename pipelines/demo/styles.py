"""How each unit writes its files (encodings, separators, headers, dates, numbers, a few dirty rows), when they
arrive, and writing them."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kernel import contracts as c
from kernel.formats import integer as fmt_int
from pipelines.demo.records import (
    NOTHING_TO_REPORT,
    generate_records,
)
from pipelines.demo.ward import (
    ONE_DAY,
    SUNDAY,
    UNITS,
    Rec,
    _ascii,
    _month_end,
    _months,
    make_groups,
)

# -- how each unit writes its files ------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    encoding: str  # utf-8-sig | utf-8 | utf-16 | cp1258 | xlsx
    delimiter: str = ","
    headers: str = "vi"  # vi (labels) | ascii (labels without diacritics) | en (canonical names)
    dates: str = "dmy"  # dmy (dd/mm/yyyy) | dmy_short (d/m/yyyy) | iso
    enums: str = "label"  # label | code
    vn_numbers: bool = True  # 1.500.000 and 120,5
    crlf: bool = True
    unit_column: bool = True
    zero_fines: bool = False  # writes 0 rather than leaving the fine empty
    serial: bool = False  # a leading "STT" column
    reporter: bool = False  # a trailing "Người báo cáo" column
    updates: bool = False  # re-sends earlier records whose outcome changed
    delay: tuple[int, int] = (1, 5)  # days after the month ends
    partial: bool = False  # also sends the current month so far, on `until`

    @property
    def extension(self) -> str:
        return {"xlsx": ".xlsx", "utf-16": ".txt"}.get(self.encoding, ".csv")


STYLES = {
    # Police: Excel "CSV UTF-8", serial column, keeps its records up to date.
    "CAP": Style("utf-8-sig", serial=True, updates=True),
    # The lead unit works in Excel and sends the workbook.
    "KTHTDT": Style("xlsx", updates=True),
    # An old PC: Excel's plain CSV in Windows-1258, semicolons, d/m/yyyy; always late.
    "VHXH": Style("cp1258", delimiter=";", dates="dmy_short", delay=(10, 20)),
    # Excel "Unicode text": UTF-16 LE, tab-separated.
    "BQLDA": Style("utf-16", delimiter="\t"),
    # The company's own system: canonical names, codes, ISO dates, plain numbers.
    "MTDT": Style(
        "utf-8",
        headers="en",
        dates="iso",
        enums="code",
        vn_numbers=False,
        crlf=False,
        zero_fines=True,
        updates=True,
    ),
    # Headers typed without diacritics, semicolons.
    "TTBT": Style("utf-8-sig", delimiter=";", headers="ascii", updates=True),
    # Windows-1258, comma, d/m/yyyy; late; updates its tickets.
    "DLLC": Style("cp1258", dates="dmy_short", delay=(10, 20), updates=True),
    "MTTQ": Style("utf-16", delimiter="\t"),
    # The groups' reports compiled by the ward: no unit column, reporter column, weekly.
    "TDP": Style("utf-8-sig", unit_column=False, reporter=True, partial=True),
}

FEED_SLUGS = {
    "violations": "vi-pham",
    "cleanups": "ra-quan-ve-sinh",
    "sorting_inspections": "kiem-tra-phan-loai-rac",
    "lighting_repairs": "sua-den-chieu-sang",
}

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # the five tone marks cp1258 can write


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 bytes of Vietnamese text, as Windows writes them.

    The code page holds the vowels with their shape marks (â, ê, ô, ơ, ư, ă) and
    a few precomposed toned vowels; other toned vowels are written as the
    shaped vowel followed by a combining tone mark ("ậ" → "â" + U+0323).
    """
    try:
        return text.encode("cp1258")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONE_MARKS))
        tones = "".join(p for p in parts if p in _TONE_MARKS)
        out += (base + tones).encode("cp1258")  # anything left is a bug in the demo's data
    return bytes(out)


def _vn_decimal(value: float) -> str:
    whole = int(value)
    tenths = round((value - whole) * 10)
    return fmt_int(whole) + (f",{tenths}" if tenths else "")


def _header(col: c.Column, style: Style) -> str:
    if style.headers == "en":
        return col.name
    if style.headers == "ascii":
        return _ascii(col.label_vi)
    return col.label_vi


def _format_date(day: dt.date, style: Style) -> str:
    if style.dates == "iso":
        return day.isoformat()
    if style.dates == "dmy_short":
        return f"{day.day}/{day.month}/{day.year}"
    return day.strftime("%d/%m/%Y")


def _cell(col: c.Column, value, style: Style):
    """One cell as the unit writes it: text for CSV, typed values for Excel."""
    xlsx = style.encoding == "xlsx"
    if value is None:
        if col.name == "fine_vnd" and style.zero_fines:
            return 0 if xlsx else "0"
        return None if xlsx else ""
    if col.type == c.DATE:
        return dt.datetime.combine(value, dt.time()) if xlsx else _format_date(value, style)
    if col.type == c.INTEGER:
        if xlsx:
            return int(value)
        return fmt_int(value) if style.vn_numbers else str(value)
    if col.type == c.DECIMAL:
        if xlsx:
            return float(value)
        return _vn_decimal(value) if style.vn_numbers else f"{value:.1f}".removesuffix(".0")
    if col.type == c.ENUM:
        return col.choice_label(value) if style.enums == "label" else value
    return str(value)


def _impossible_date(day: dt.date, style: Style) -> str:
    """A date a clerk could type that no calendar has: 31/06/2026, or 32/07/2026."""
    wrong = 31 if calendar.monthrange(day.year, day.month)[1] == 30 else 32
    if style.dates == "iso":
        return f"{day.year}-{day.month:02d}-{wrong}"
    if style.dates == "dmy_short":
        return f"{wrong}/{day.month}/{day.year}"
    return f"{wrong}/{day.month:02d}/{day.year}"


DIRTY_KINDS = {
    "violations": ("impossible_date", "group_alias", "missing_fine", "duplicate"),
    "cleanups": ("impossible_date", "group_alias", "duplicate"),
    "sorting_inspections": ("impossible_date", "group_alias", "duplicate"),
    "lighting_repairs": ("impossible_date", "group_alias", "duplicate"),
}
DIRTY_RATE = 0.005


class DemoFile(NamedTuple):
    """One unit file of the demo, and when it reaches the ward."""

    path: Path
    feed: str
    unit_code: str
    received_at: dt.datetime


@dataclass
class _Table:
    """A file being written: header cells, rows of cells, where each contract column sits."""

    header: list[str]
    rows: list[list]
    position: dict[str, int]


def _table(contract: c.Contract, style: Style, views: list[dict]) -> _Table:
    columns = [col for col in contract.columns if style.unit_column or col.name != "unit_code"]
    header = (["STT"] if style.serial else []) + [_header(col, style) for col in columns]
    offset = 1 if style.serial else 0
    position = {col.name: i + offset for i, col in enumerate(columns)}
    if style.reporter:
        header.append("Người báo cáo")
    rows = []
    for view in views:
        row = ([None] if style.serial else []) + [_cell(col, view[col.name], style) for col in columns]
        if style.reporter:
            row.append(f"Tổ trưởng {view['group_code']}")
        rows.append(row)
    return _Table(header, rows, position)


def _dirty(
    table: _Table,
    views: list[dict],
    feed: str,
    style: Style,
    rng: random.Random,
    counter: dict[str, int],
    candidates: int,
) -> set[int]:
    """Spoil about 0.5 % of the month's rows; return the indexes of the rows that will be rejected."""
    count = int(candidates * DIRTY_RATE + rng.random())
    spoiled: set[int] = set()
    kinds = DIRTY_KINDS[feed]
    contract = c.FEEDS[feed]
    duplicates: list[int] = []
    for _ in range(min(count, candidates)):
        kind = kinds[counter[feed] % len(kinds)]
        counter[feed] += 1
        clean = [i for i in range(candidates) if i not in spoiled and i not in duplicates]
        fines = [i for i in clean if views[i].get("action") == "fine"]
        if kind == "missing_fine" and not fines:
            kind = "impossible_date"
        pool = fines if kind == "missing_fine" else clean
        if not pool:
            break
        index = rng.choice(pool)
        row = table.rows[index]
        if kind == "impossible_date":
            row[table.position[contract.date_column]] = _impossible_date(
                views[index][contract.date_column], style
            )
        elif kind == "group_alias":
            number = int(views[index]["group_code"][3:])
            row[table.position["group_code"]] = f"TDP {number}" if style.headers == "en" else f"Tổ {number}"
        elif kind == "missing_fine":
            row[table.position["fine_vnd"]] = None if style.encoding == "xlsx" else ""
        if kind == "duplicate":
            duplicates.append(index)  # pasted twice: the first copy loads, the second is rejected
        else:
            spoiled.add(index)
    for index in sorted(duplicates, reverse=True):
        table.rows.insert(index + 1 + rng.randint(0, 2), list(table.rows[index]))
    return spoiled


def _serialise(table: _Table, style: Style, created: dt.datetime) -> bytes:
    if style.serial:
        for n, row in enumerate(table.rows, start=1):
            row[0] = str(n)
    if style.encoding == "xlsx":
        return _xlsx(table, created)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n" if style.crlf else "\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    text = buffer.getvalue()
    if style.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if style.encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if style.encoding == "cp1258":
        return encode_cp1258(text)
    return text.encode("utf-8")


def _xlsx(table: _Table, created: dt.datetime) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": created, "author": "Phòng Kinh tế, Hạ tầng và Đô thị"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBD9", "border": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    number = book.add_format({"num_format": "#,##0"})
    sheet = book.add_worksheet("Số liệu")
    for i, text in enumerate(table.header):
        sheet.write_string(0, i, text, bold)
        sheet.set_column(i, i, max(12, len(text) + 2))
    for r, row in enumerate(table.rows, start=1):
        for i, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, i, value, day)
            elif isinstance(value, str):
                sheet.write_string(r, i, str(value))
            elif isinstance(value, int):
                sheet.write_number(r, i, value, number if value >= 1000 else None)
            else:
                sheet.write_number(r, i, value)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _arrival(seed: int, unit: str, feed: str, month: dt.date, until: dt.date) -> dt.datetime | None:
    """When the unit's file for `month` reaches the ward; None if not (yet) sent by `until`."""
    style = STYLES[unit]
    rng = random.Random(f"{seed}:arrival:{unit}:{feed}:{month:%Y-%m}")
    minutes = rng.randint(0, 9 * 60 + 29)
    end = _month_end(month)
    if end >= until:  # the month still running
        if style.partial and until.day >= 7:
            return dt.datetime.combine(until, dt.time(16, 0)) + dt.timedelta(minutes=minutes % 60)
        return None
    delay = rng.randint(*style.delay)
    if rng.random() < 0.1:
        delay += rng.randint(3, 8)
    day = end + dt.timedelta(days=delay)
    if day.weekday() == SUNDAY:
        day += ONE_DAY
    if day > until:
        return None
    return dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=minutes)


# The day the files of `missing_files` finally arrive (after the lead unit chased them): a build
# until before it shows them missing; one after it can approve, lock and rank those months.
LATE_ARRIVAL = dt.date(2026, 11, 24)


def missing_files(seed: int) -> frozenset[tuple[str, str, str]]:
    """The (unit, feed, yyyy-mm) files missing for weeks: a couple, so completeness means something."""
    rng = random.Random(f"{seed}:missing")
    pairs = [(u.code, feed) for u in UNITS for feed in u.feeds if not STYLES[u.code].partial]
    months = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
    return frozenset((unit, feed, rng.choice(months)) for unit, feed in rng.sample(pairs, 2))


# -- writing the files -------------------------------------------------------------------------------


def write_reference(files_dir: Path, seed: int = 2026) -> tuple[Path, Path]:
    """Write the ward's groups.csv and units.csv (UTF-8 with BOM, Vietnamese headers)."""
    files_dir = Path(files_dir)
    files_dir.mkdir(parents=True, exist_ok=True)
    style = Style("utf-8-sig")
    groups = [
        {"group_code": g.code, "group_name": g.name, "households": g.households, "population": g.population}
        for g in make_groups(seed)
    ]
    units = [{"unit_code": u.code, "unit_name": u.name, "feeds": ";".join(u.feeds)} for u in UNITS]
    paths = []
    for contract, views in ((c.GROUPS, groups), (c.UNITS, units)):
        table = _Table(
            [_header(col, style) for col in contract.columns],
            [[_cell(col, view[col.name], style) for col in contract.columns] for view in views],
            {},
        )
        path = files_dir / f"{contract.name}.csv"
        path.write_bytes(_serialise(table, style, dt.datetime(2026, 5, 1)))
        paths.append(path)
    return paths[0], paths[1]


def generate_files(files_dir: Path, until: dt.date, scale: int = 1, seed: int = 2026) -> list[DemoFile]:
    """Write every unit file sent by `until` under files_dir/don-vi/; return them in order of arrival."""
    files_dir = Path(files_dir)
    groups = make_groups(seed)
    records = generate_records(groups, until, scale, seed)
    by_source: dict[tuple[str, str], list[Rec]] = {}
    for feed, recs in records.items():
        for rec in recs:
            by_source.setdefault((rec.unit, feed), []).append(rec)
    missing = missing_files(seed)
    sent: dict[tuple[str, str], dict[str, tuple[Rec, dict]]] = {}  # last state reported of each record
    dirty_counter = dict.fromkeys(c.FEEDS, 0)
    out: list[tuple[dt.datetime, int, int, DemoFile]] = []
    for month in _months(until):
        cutoff = min(_month_end(month), until)
        for unit_index, unit in enumerate(UNITS):
            style = STYLES[unit.code]
            for feed in unit.feeds:
                contract = c.FEEDS[feed]
                source = (unit.code, feed)
                arrival = _arrival(seed, unit.code, feed, month, until)
                if arrival is not None and (unit.code, feed, f"{month:%Y-%m}") in missing:
                    # Missing until the lead unit chased it: it arrives on LATE_ARRIVAL, weeks late.
                    arrival = dt.datetime.combine(LATE_ARRIVAL, dt.time(16, 30))
                    arrival = arrival if arrival.date() <= until else None
                if arrival is None:
                    continue
                as_of = arrival.date()
                fresh = [r for r in by_source.get(source, []) if month <= r.day <= cutoff]
                views = [r.as_of(as_of) for r in fresh]
                earlier = sent.setdefault(source, {})
                corrections: list[tuple[Rec, dict]] = []
                if style.updates:
                    for rec, last in earlier.values():
                        now = rec.as_of(as_of)
                        if now != last:
                            corrections.append((rec, now))
                    corrections.sort(key=lambda item: (item[0].day, item[0].key))
                if not views and not corrections:
                    continue
                all_views = views + [now for _, now in corrections]
                if feed == "violations":  # say why an old record comes back
                    all_views[len(views) :] = [
                        {**now, "note": "Cập nhật kết quả khắc phục"} for now in all_views[len(views) :]
                    ]
                table = _table(contract, style, all_views)
                rng = random.Random(f"{seed}:dirty:{unit.code}:{feed}:{month:%Y-%m}")
                spoiled = _dirty(table, all_views, feed, style, rng, dirty_counter, len(views))
                for i, rec in enumerate(fresh):
                    if i not in spoiled:
                        earlier[rec.key] = (rec, views[i])
                for rec, now in corrections:
                    earlier[rec.key] = (rec, now)
                partial = "" if cutoff == _month_end(month) and as_of > cutoff else f"_den-{cutoff:%d}"
                name = f"{unit.code}_{FEED_SLUGS[feed]}_{month:%Y-%m}{partial}{style.extension}"
                path = files_dir / "don-vi" / unit.code / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_serialise(table, style, arrival))
                feed_index = list(c.FEEDS).index(feed)
                out.append((arrival, unit_index, feed_index, DemoFile(path, feed, unit.code, arrival)))
    out.sort(key=lambda item: item[:3])
    return [item[3] for item in out]


class Declaration(NamedTuple):
    """A unit's «Không có số liệu phát sinh» for a feed and month, and when it reaches the ward."""

    feed: str
    unit_code: str
    month: dt.date
    received_at: dt.datetime


def nothing_to_report(until: dt.date, seed: int = 2026) -> list[Declaration]:
    """The declarations made by `until` (on the day the unit's file would have come)."""
    out = []
    for unit, feed, month_key in sorted(NOTHING_TO_REPORT):
        month = dt.date(int(month_key[:4]), int(month_key[5:]), 1)
        arrival = _arrival(seed, unit, feed, month, until)
        if arrival is not None and _month_end(month) < until:
            out.append(Declaration(feed, unit, month, arrival))
    return out
