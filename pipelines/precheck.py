"""Cheap structural checks that refuse a hostile file before any reader touches it.

A `.xlsx` is a zip: `zipfile` reads each entry's declared sizes without inflating it,
and the first sheet is then inflated as a stream, a chunk at a time, to read its
declared `<dimension>`, count its rows and find cells far to the right — the
readers behind `pipelines.reading` would otherwise allocate the whole declared grid
(a sheet declaring XFD1048576 asks for 512 GiB and aborts the process). A legacy
`.xls` is bounded by size and its BIFF DIMENSIONS records. A text file is measured
with numpy over its bytes: lines, longest line, fields in a line, biggest cell.

The checks run inside the sandbox worker (pipelines/sandbox_worker.py), first thing;
the worker's own limits remain the backstop for whatever they cannot see. Every
limit is an environment variable (see `Limits.from_env` and the README).
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, fields

from kernel.formats import integer
from pipelines.reading import FileRefused, sniff_delimiter

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TOO_BIG = "Tệp quá lớn / quá phức tạp để đọc an toàn"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused unread (defaults fit the 50 MB upload cap)."""

    max_rows: int = 1_200_000  # DOTHIXANH_MAX_ROWS (lines of text or sheet rows)
    max_columns: int = 500  # DOTHIXANH_MAX_COLUMNS
    max_line_kb: int = 1024  # DOTHIXANH_MAX_LINE_KB (longest line of a text file)
    max_cell_kb: int = 256  # DOTHIXANH_MAX_CELL_KB (biggest cell of a text file)
    max_cells: int = 30_000_000  # DOTHIXANH_MAX_CELLS (columns × rows of a sheet's grid)
    xlsx_max_entries: int = 1000  # DOTHIXANH_XLSX_MAX_ENTRIES
    xlsx_max_uncompressed_mb: int = 1024  # DOTHIXANH_XLSX_MAX_UNCOMPRESSED_MB (all entries together)
    xlsx_max_ratio: int = 100  # DOTHIXANH_XLSX_MAX_RATIO (inflated / compressed, entries over 1 MB)
    xls_max_mb: int = 30  # DOTHIXANH_XLS_MAX_MB (legacy .xls)

    @classmethod
    def from_env(cls) -> Limits:
        """Every limit from DOTHIXANH_<NAME IN CAPITALS>; a missing or bad value keeps the default."""
        return cls(**positive_ints_from_env(cls, "DOTHIXANH_"))

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def positive_ints_from_env(limits: type, prefix: str) -> dict[str, int]:
    """The fields of a limits dataclass set in the environment (PREFIX + NAME) to a positive whole number."""
    values = {}
    for f in fields(limits):
        raw = os.environ.get(f"{prefix}{f.name.upper()}")
        try:
            if raw is not None and int(raw) > 0:
                values[f.name] = int(raw)
        except ValueError:
            pass
    return values


def precheck(data: bytes, file_name: str = "", limits: Limits | None = None) -> None:
    """Refuse (FileRefused, in Vietnamese) a file too big or too strange to read safely."""
    limits = limits or Limits.from_env()
    if data.startswith(_ZIP):
        check_xlsx(data, limits)
    elif data.startswith(_OLE2):
        check_xls(data, limits)
    else:
        check_text(data, limits)


# -- .xlsx -----------------------------------------------------------------------------
def _mb(n: int) -> str:
    return integer(round(n / 1e6)) if n >= 1e6 else f"{n / 1e6:.1f}".replace(".", ",")


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Entries, declared sizes and ratios, then the first sheet's dimension, rows and columns."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        entries = book.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        struct.error,
        NotImplementedError,
    ):
        raise FileRefused(
            "Tệp Excel (.xlsx) bị hỏng: không mở được cấu trúc nén bên trong. "
            "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
        ) from None
    if len(entries) > limits.xlsx_max_entries:
        raise FileRefused(
            f"{TOO_BIG}: tệp Excel chứa {integer(len(entries))} phần bên trong "
            f"(giới hạn {integer(limits.xlsx_max_entries)})."
        )
    cap = limits.xlsx_max_uncompressed_mb * 1_000_000
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1_000_000 and ratio > limits.xlsx_max_ratio:
            raise FileRefused(
                f"{TOO_BIG}: phần «{entry.filename[:80]}» nén {integer(round(ratio))} lần "
                f"({_mb(entry.compress_size)} MB thành {_mb(entry.file_size)} MB; giới hạn "
                f"{integer(limits.xlsx_max_ratio)} lần). Đây là dấu hiệu của tệp "
                "được tạo ra để làm treo máy; hãy lưu lại bảng tính từ Excel rồi gửi lại."
            )
        if total > cap:
            raise FileRefused(
                f"{TOO_BIG}: nội dung tệp Excel khi giải nén lớn hơn {integer(limits.xlsx_max_uncompressed_mb)} MB. "
                "Hãy chia tệp thành nhiều tệp nhỏ hơn."
            )
    sheet = _first_sheet(book)
    if sheet is not None:
        _check_sheet(book, sheet, limits)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")


def _head(book: zipfile.ZipFile, name: str, size: int = 65536) -> bytes:
    try:
        with book.open(name) as stream:
            return stream.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, RuntimeError):
        return b""


def _first_sheet(book: zipfile.ZipFile) -> str | None:
    """The entry of the workbook's first sheet (the one the reader loads)."""
    names = set(book.namelist())
    found = _SHEET_TAG.search(_head(book, "xl/workbook.xml"))
    if found:
        rid = found.group(1)
        for rel in _REL.findall(_head(book, "xl/_rels/workbook.xml.rels")):
            attrs = dict(_ATTR.findall(rel))
            if attrs.get(b"Id") == rid:
                target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
                path = target if target.startswith("xl/") else f"xl/{target}"
                if path in names:
                    return path
    sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    return sheets[0] if sheets else None


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]{1,4})?(\d+)?(?::([A-Z]{1,4})(\d+))?\"")
_LAST_ROW = re.compile(rb"<row r=\"(\d+)\"")
# Cells past column Z, the only ones whose column needs working out (legit sheets rarely have any).
_WIDE_CELL = re.compile(rb" r=\"([A-Z]{2,4})(\d+)\"")


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'Z' → 26, 'AA' → 27, 'XFD' → 16384."""
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _refuse_grid(where: str, columns: int, rows: int, limits: Limits) -> None:
    if columns > limits.max_columns:
        raise FileRefused(
            f"{TOO_BIG}: bảng tính {where} tới cột {_letters(columns)} ({integer(columns)} cột; giới hạn "
            f"{integer(limits.max_columns)} cột). Hãy xóa các cột thừa bên phải "
            "(chọn các cột trống, Delete), lưu lại rồi gửi lại."
        )
    if rows > limits.max_rows:
        raise FileRefused(
            f"{TOO_BIG}: bảng tính {where} tới dòng {integer(rows)} (giới hạn {integer(limits.max_rows)} "
            "dòng). Hãy xóa các dòng trống thừa ở cuối hoặc chia tệp thành nhiều tệp."
        )
    if columns * rows > limits.max_cells:
        raise FileRefused(
            f"{TOO_BIG}: bảng tính {where} {integer(columns)} cột × {integer(rows)} dòng = "
            f"{integer(columns * rows)} ô (giới hạn {integer(limits.max_cells)} ô). "
            "Hãy xóa các hàng, cột trống thừa hoặc chia tệp thành nhiều tệp."
        )


def _check_sheet(book: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Read the sheet as a stream: its declared dimension, then its rows and far-right cells.

    The reader reserves room for the declared dimension and then builds a grid as wide and as
    tall as the cells it found, so both are bounded here. Counting uses bytes.count and
    regular expressions that match only rare cells: about 0,2 s per 50 MB of sheet.
    """
    cap = limits.xlsx_max_uncompressed_mb * 1_000_000
    rows = inflated = last_row = 0
    widest = 26  # columns A..Z are never matched by _WIDE_CELL; assume them all used
    tail = b""
    try:
        with book.open(name) as stream:
            first = True
            while True:
                chunk = stream.read(_CHUNK)
                inflated += len(chunk)
                if inflated > cap:
                    raise FileRefused(
                        f"{TOO_BIG}: trang tính đầu tiên khi giải nén lớn hơn "
                        f"{integer(limits.xlsx_max_uncompressed_mb)} MB."
                    )
                text = tail + chunk
                if first:
                    first = False
                    if dim := _DIMENSION.search(text[:65536]):
                        last_col, declared_row = dim.group(3) or dim.group(1), dim.group(4) or dim.group(2)
                        ref = dim.group(0).split(b"ref=")[1].strip(b'"').decode()
                        _refuse_grid(
                            f"khai báo vùng dữ liệu «{ref}», tức là",
                            column_number(last_col) if last_col else 0,
                            int(declared_row) if declared_row else 0,
                            limits,
                        )
                # Tags wholly inside this window are counted; a short tail waits for the next one.
                cut = len(text) if not chunk else max(0, len(text) - 64)
                rows += text.count(b"<row ", 0, cut) + text.count(b"<row>", 0, cut)
                for cell in _WIDE_CELL.finditer(text, 0, cut):
                    column = column_number(cell.group(1))
                    if column > widest:
                        widest = column
                        where = "có ô dữ liệu ở ô " + (cell.group(1) + cell.group(2)).decode() + ","
                        _refuse_grid(where, column, 0, limits)
                at = text.rfind(b"<row r=", 0, cut)
                if at != -1 and (found := _LAST_ROW.match(text, at)):
                    last_row = max(last_row, int(found.group(1)))
                if rows > limits.max_rows or last_row > limits.max_rows:
                    _refuse_grid("có dữ liệu", 0, max(rows, last_row), limits)
                if not chunk:
                    break
                tail = text[cut:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, RuntimeError):
        raise FileRefused(
            "Tệp Excel (.xlsx) bị hỏng: trang tính đầu tiên không giải nén được. "
            "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
        ) from None
    if widest > 26:
        _refuse_grid("có dữ liệu", widest, max(rows, last_row), limits)


# -- legacy .xls -------------------------------------------------------------------------
_BIFF_DIMENSIONS = b"\x00\x02\x0e\x00"  # record 0x0200, 14 bytes: rwMic, rwMac (u32), colMic, colMac (u16)


def check_xls(data: bytes, limits: Limits) -> None:
    """A legacy workbook: its size, and every DIMENSIONS record within Excel 97's own grid."""
    if len(data) > limits.xls_max_mb * 1_000_000:
        raise FileRefused(
            f"{TOO_BIG}: tệp Excel cũ (.xls) nặng {_mb(len(data))} MB (giới hạn {integer(limits.xls_max_mb)} MB). "
            "Hãy lưu lại dạng .xlsx hoặc CSV UTF-8 rồi gửi lại."
        )
    if len(data) < 512:
        raise FileRefused("Tệp Excel cũ (.xls) bị hỏng: quá ngắn. Hãy lưu lại dạng .xlsx rồi gửi lại.")
    sector_shift = struct.unpack_from("<H", data, 30)[0]
    if sector_shift not in (9, 12):
        raise FileRefused("Tệp Excel cũ (.xls) bị hỏng: phần đầu tệp không hợp lệ. Hãy lưu lại dạng .xlsx.")
    start = data.find(_BIFF_DIMENSIONS)
    while start != -1 and start + 18 <= len(data):
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data, start + 4)
        if first_row <= last_row <= 65536 and first_col <= last_col <= 256:
            _refuse_grid("khai báo vùng dữ liệu", last_col, last_row, limits)
        elif last_row > 65536 or last_col > 256:
            raise FileRefused(
                f"{TOO_BIG}: tệp .xls khai báo vùng dữ liệu {integer(last_col)} cột × {integer(last_row)} dòng, "
                "vượt quá khổ giấy của Excel 97 (256 cột × 65.536 dòng). Hãy lưu lại dạng .xlsx."
            )
        start = data.find(_BIFF_DIMENSIONS, start + 4)


# -- text --------------------------------------------------------------------------------
def check_text(data: bytes, limits: Limits) -> None:
    """Lines, longest line, fields in a line and biggest cell, counted over the raw bytes."""
    import numpy as np

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = data[2 : len(data) - (len(data) % 2)]
        codes = np.frombuffer(body, dtype="<u2" if data[0] == 0xFF else ">u2")
        unit = 2
        header = body[:131072].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be", "replace")
    else:
        codes = np.frombuffer(data, dtype=np.uint8)
        unit = 1
        header = data[:131072].decode("utf-8", "replace")
    delimiter = ord(sniff_delimiter(header.split("\n", 1)[0]))
    newlines = np.flatnonzero(codes == 10)
    lines = len(newlines) + 1
    if lines > limits.max_rows + 1:
        raise FileRefused(
            f"{TOO_BIG}: tệp có {integer(lines)} dòng (giới hạn {integer(limits.max_rows)} dòng dữ liệu). "
            "Hãy chia tệp thành nhiều tệp nhỏ hơn."
        )
    bounds = np.concatenate(([-1], newlines, [len(codes)]))
    lengths = np.diff(bounds) - 1
    longest = int(lengths.max()) * unit
    if longest > limits.max_line_kb * 1024:
        line = int(lengths.argmax()) + 1
        raise FileRefused(
            f"{TOO_BIG}: dòng {integer(line)} dài {integer(longest // 1024)} KB (giới hạn "
            f"{integer(limits.max_line_kb)} KB một dòng). Có thể tệp bị hỏng hoặc "
            "thiếu dấu xuống dòng; hãy lưu lại từ Excel dạng 'CSV UTF-8'."
        )
    # A line has at most as many fields as characters plus one, and no cell is longer than its line:
    # for the usual file (short lines) both counts below are known to pass without doing them.
    if longest // unit + 1 <= limits.max_columns and longest <= limits.max_cell_kb * 1024:
        return
    separators = np.flatnonzero((codes == delimiter) | (codes == 10))
    # Fields on a line: separators on it (its delimiters and its newline) — quoted cells counted too,
    # so this is an upper bound that only a far too wide file reaches.
    per_line = np.diff(
        np.concatenate(([0], np.searchsorted(separators, newlines, side="right"), [separators.size]))
    )
    widest = int(per_line.max()) if per_line.size else 0
    if widest > limits.max_columns + 1:
        line = int(per_line.argmax()) + 1
        raise FileRefused(
            f"{TOO_BIG}: dòng {integer(line)} có khoảng {integer(widest)} ô (giới hạn "
            f"{integer(limits.max_columns)} cột). Có thể tệp không phải là bảng dữ "
            "liệu hoặc đã bị hỏng."
        )
    cells = np.diff(np.concatenate(([-1], separators, [len(codes)]))) - 1
    biggest = int(cells.max()) * unit if cells.size else 0
    if biggest > limits.max_cell_kb * 1024:
        where = int(separators[cells.argmax() - 1]) + 1 if cells.argmax() else 0
        line = int(np.searchsorted(newlines, where, side="left")) + 1
        raise FileRefused(
            f"{TOO_BIG}: một ô ở dòng {integer(line)} dài {integer(biggest // 1024)} KB (giới hạn "
            f"{integer(limits.max_cell_kb)} KB một ô)."
        )
