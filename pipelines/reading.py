"""Turn the bytes a clerk sends into a table of strings, whatever Excel wrote.

Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Windows-1258;
delimiters comma, semicolon, tab; CRLF line ends; `.xlsx`/`.xls` (first sheet).
The result keeps every cell as text plus the line number each row came from
(header = line 1); typing and rules happen later.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from kernel.records import LINE


class FileRefused(Exception):
    """A file that cannot be read at all; the message is Vietnamese and says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class RawTable:
    """Header cells, data cells as strings, and where each row came from."""

    header: list[str]
    rows: pl.DataFrame  # columns c0..cN (str) plus _line (Int64)
    encoding: str
    delimiter: str | None
    file_format: str  # "csv" or "xlsx"
    row_errors: list[dict] = field(default_factory=list)  # rows the reader itself could not split
    control_characters: bool = True  # False when the reader saw none (parse need not look in cells)

    def _with_encoding(self, encoding: str) -> RawTable:
        self.encoding = encoding
        return self


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
# Every byte but the C0 controls other than tab and line breaks, and DEL (see _has_control).
_NOT_CONTROL = bytes(b for b in range(256) if (b >= 32 or b in (9, 10, 13)) and b != 127)
_DELIMITERS = (",", ";", "\t")
# The slow reader's cells are bounded by the file (and the checks before reading), not by the
# csv module's 128 KB default, which would end a long note in an exception.
csv.field_size_limit(2**31 - 1)
DELIMITER_NAMES = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab"}


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes to NFC text; return (text, encoding name), or refuse naming the line."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                name = "UTF-16" if encoding == "utf-16" else "UTF-8"
                raise FileRefused(
                    f"Tệp có dấu hiệu bảng mã {name} ở đầu, nhưng dòng {_line_at(data, exc.start, encoding)} "
                    f"có ký tự không đọc được theo {name} (tệp bị hỏng, bị cắt ngang hoặc ghép từ hai "
                    "bảng mã). Hãy mở tệp bằng Excel, lưu lại rồi gửi lại."
                ) from None
            return _nfc(text), "utf-16" if encoding == "utf-16" else "utf-8-sig"
    if _binary(data):
        raise FileRefused(
            "Tệp không phải là văn bản CSV hay Excel (có ký tự nhị phân). "
            "Hãy gửi tệp .csv, .txt (Unicode) hoặc .xlsx."
        )
    try:
        return _nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        if not data[: exc.start].isascii():
            # Letters written in UTF-8 before the fault: a broken or spliced file, not Windows-1258
            # (read as Windows-1258 its letters would turn into «Ã¡»-like garbage without a word).
            line = _line_at(data, exc.start, "utf-8")
            raise FileRefused(
                f"Tệp ghi theo bảng mã UTF-8 nhưng dòng {line} có ký tự không đọc được theo UTF-8 "
                "(tệp bị hỏng hoặc được ghép từ hai bảng mã khác nhau). Hãy sửa hoặc gõ lại dòng "
                f"{line}, lưu dạng «CSV UTF-8» rồi gửi lại."
            ) from None
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"Không nhận ra bảng mã của tệp: dòng {_line_at(data, exc.start, 'cp1258')} có ký tự không "
            "hợp lệ với cả UTF-8 và Windows-1258. Hãy lưu lại từ Excel dạng «CSV UTF-8» rồi gửi lại."
        ) from None
    if _looks_binary(text):
        raise FileRefused(
            "Tệp không phải là văn bản CSV hay Excel. Hãy gửi tệp .csv, .txt (Unicode) hoặc .xlsx."
        )
    # Windows-1258 writes many tone marks as combining characters.
    return _nfc(text), "windows-1258"


def _line_at(data: bytes, position: int, encoding: str) -> int:
    """The line (1 = first) holding byte `position` of the file."""
    if encoding.startswith("utf-16"):
        return data[:position].decode(encoding, "replace").count("\n") + 1
    return data[:position].count(b"\n") + 1


def _binary(data: bytes) -> bool:
    """Control bytes all through the start (a program file, UTF-16 without its BOM), not one broken cell.

    A few stray NULs or escapes in a text file are its cells' problem: parse rejects those rows.
    """
    sample = data[:4096]
    return len(sample.translate(None, _NOT_CONTROL)) > max(4, len(sample) // 100)


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(4, len(sample) // 100)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used in the header line (the most frequent of , ; tab outside quotes)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(data: bytes, file_name: str = "") -> RawTable:
    """Read a CSV/TXT/XLSX file's bytes into a RawTable, or raise FileRefused.

    Whatever the bytes, nothing but FileRefused leaves this function: problems of one row
    become row errors, problems of the whole file a refusal saying why.
    """
    if not data or not data[:65536].strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileRefused("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        return _read_excel(data, file_name)
    body, encoding = _utf8_body(data)
    if body is not None:
        try:
            return _read_csv(body, encoding)
        except _NotUtf8:
            pass  # not UTF-8 after all (e.g. Windows-1258 with no tone marks at the start)
    # The whole file decides its encoding, or is refused naming the line that breaks it.
    text, encoding = decode(data)
    body = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return _read_csv(body, encoding, valid_utf8=True)


def _utf8_body(data: bytes) -> tuple[bytes | None, str]:
    """UTF-8 bytes Polars can read as they are, or None when the text must be decoded first.

    Most files are UTF-8 with precomposed Vietnamese letters and CRLF or LF line ends:
    those go to Polars untouched. Combining tone marks (bytes CC/CD in UTF-8, or a
    Windows-1258 file), lone CR line ends and UTF-16 need decoding and NFC first.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, "utf-16"
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    body = data[3:] if encoding == "utf-8-sig" else data
    if _binary(body):
        return None, encoding  # decode() refuses it with the reason
    if b"\xcc" in body or b"\xcd" in body:
        return None, encoding
    if b"\r" in body and b"\r\n" not in body:
        return None, encoding
    return body, encoding


class _NotUtf8(Exception):
    """The bytes given as UTF-8 are not: the caller decodes the whole file instead."""


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic inside Polars or calamine: pyo3's PanicException is not an Exception."""
    return type(exc).__name__ == "PanicException"


def _read_csv(body: bytes, encoding: str, *, valid_utf8: bool = False) -> RawTable:
    """Split UTF-8 bytes into header and rows: Polars when each line is a row, else the slow reader."""
    # Leading blank lines before the header: drop them but keep line numbers right.
    stripped = body.lstrip(b"\r\n")
    leading = body[: len(body) - len(stripped)].count(b"\n")
    body = stripped
    first_line = body[:65536].split(b"\n", 1)[0].decode("utf-8", "replace")
    delimiter = sniff_delimiter(first_line)
    frame = None
    try:
        frame = pl.read_csv(body, has_header=False, separator=delimiter, infer_schema=False, quote_char='"')
    except pl.exceptions.PolarsError as exc:
        if not valid_utf8 and "invalid utf-8" in str(exc).lower():
            raise _NotUtf8 from None
    except BaseException as exc:
        if not _is_panic(exc):
            raise
    if frame is not None and b'"' in body:
        # Polars turns each physical line into one row; a quoted cell spanning lines (or a quote
        # left open) breaks that: only then is the slow reader needed.
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
        if frame.height != lines + (1 if body.endswith(b"\n\n") else 0):
            frame = None
    if frame is not None:
        header, rows = _split_header(frame)
        rows = rows.with_columns((pl.int_range(2, rows.height + 2, dtype=pl.Int64) + leading).alias(LINE))
        return RawTable(header, _drop_blank_rows(rows), encoding, delimiter, "csv", [], _has_control(body))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _NotUtf8 from None
    # Only here can a (quoted) cell span lines: keep its line breaks as "\n" whatever the file used.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header, rows, row_errors = _read_csv_slow(text, delimiter, leading)
    return RawTable(
        header, _drop_blank_rows(rows), encoding, delimiter, "csv", row_errors, _has_control(body)
    )


def _has_control(body: bytes) -> bool:
    """Whether UTF-8 bytes hold a control character (about 1 ms per MB: bytes.translate in C)."""
    return bool(body.translate(None, _NOT_CONTROL))


def _split_header(frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    if frame.height == 0:
        raise FileRefused("Tệp không có dòng tiêu đề.")
    header = [("" if v is None else str(v)) for v in frame.row(0)]
    rows = frame.slice(1)
    rows.columns = [f"c{i}" for i in range(len(header))]
    return header, rows


class _OpenQuote(Exception):
    """A quoted cell that never closes; it opens on physical line `start` (0-based)."""

    def __init__(self, start: int):
        super().__init__(start)
        self.start = start


class _Lines:
    """The file's physical lines, handed to csv.reader one record at a time.

    When the reader asks for another line while a quoted cell is open, that line is a
    continuation of the cell. A continuation that holds a whole record of its own (as many
    cells as the header, its own quotes balanced) or the end of the file means the quote was
    never closed: `_OpenQuote` stops the reader instead of letting it swallow the next rows.
    """

    def __init__(self, lines: list[str], position: int, delimiter: str, width: int | None):
        self.lines, self.next, self.delimiter, self.width = lines, position, delimiter, width
        self.start = position

    def begin_record(self) -> None:
        self.start = self.next

    def __iter__(self):
        return self

    def __next__(self) -> str:
        continuation = self.next > self.start
        if self.next >= len(self.lines):
            if continuation:
                raise _OpenQuote(self.start)
            raise StopIteration
        line = self.lines[self.next]
        if continuation and self._whole_record(line):
            raise _OpenQuote(self.start)
        self.next += 1
        return line

    def _whole_record(self, line: str) -> bool:
        if line.count('"') % 2:
            return False  # closes the open cell (or opens another): part of the same record
        width = self.width or len(_cells(self.lines[self.start], self.delimiter))
        return width >= 2 and len(_cells(line, self.delimiter)) >= width


def _cells(line: str, delimiter: str) -> list[str]:
    """The cells of one line read on its own (an open quote runs to the end of the line)."""
    return next(csv.reader([line], delimiter=delimiter), [])


def _physical_lines(text: str) -> list[str]:
    """Lines split on "\n" only, each keeping its "\n" (str.splitlines also splits on \x0b, \x1c, …)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _read_csv_slow(text: str, delimiter: str, leading: int) -> tuple[list[str], pl.DataFrame, list]:
    """Python csv reader: exact line numbers for quoted multi-line cells, ragged rows and open quotes."""
    lines = _physical_lines(text)
    header: list[str] | None = None
    records: list[list[str | None]] = []
    numbers: list[int] = []
    row_errors: list[dict] = []
    feed = _Lines(lines, 0, delimiter, None)
    while True:
        # strict: a quote that closes a cell must end it (`"Ngõ 5"x` is an error, not «Ngõ 5x»), so
        # a stray quote cannot silently pair with the next line's.
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        try:
            while True:
                feed.begin_record()
                record = next(reader, None)
                if record is None:
                    break
                line = feed.start + 1 + leading
                if header is None:
                    header = record
                    feed.width = len(header)
                elif len(record) > len(header):
                    row_errors.append(
                        {
                            "line": line,
                            "column": None,
                            "value": delimiter.join(record[len(header) :]),
                            "rule": "column_count",
                        }
                    )
                else:
                    padded = [cell if cell != "" else None for cell in record]
                    padded += [None] * (len(header) - len(record))
                    records.append(padded)
                    numbers.append(line)
            break
        except (_OpenQuote, csv.Error) as broken:
            start = feed.start
            line = start + 1 + leading
            # A record that ran past its first line was opened by a quote on that line.
            spans = isinstance(broken, _OpenQuote) or feed.next > start + 1
            if header is None:
                raise FileRefused(
                    f'Dòng tiêu đề (dòng {line}) có dấu ngoặc kép (") mở mà không đóng đúng cách, nên '
                    "không tách được các cột. Hãy xóa dấu ngoặc kép đó hoặc thêm dấu đóng rồi gửi lại."
                ) from None
            if spans:
                row_errors.append(_open_quote_error(lines[start], line, header, delimiter))
            else:
                shown = lines[start].rstrip("\n")
                row_errors.append(
                    {
                        "line": line,
                        "column": None,
                        "value": shown[:60] + ("…" if len(shown) > 60 else ""),
                        "rule": "bad_quote",
                    }
                )
            # That line is rejected; every later line is read again as a line of its own.
            feed = _Lines(lines, start + 1, delimiter, len(header))
    if header is None:
        raise FileRefused("Tệp không có dòng tiêu đề.")
    schema = {f"c{i}": pl.String for i in range(len(header))}
    rows = pl.DataFrame(records, schema=schema, orient="row").with_columns(
        pl.Series(LINE, numbers, dtype=pl.Int64)
    )
    return header, rows, row_errors


def _open_quote_error(text: str, line: int, header: list[str], delimiter: str) -> dict:
    """The row error of a quote left open: its line, the cell it opens (by position) and how it starts."""
    cells = _cells(text, delimiter)
    position = max(len(cells) - 1, 0)  # the open cell runs to the end of the line: it is the last one
    cell = (cells[position] if cells else "").rstrip("\n")
    return {
        "line": line,
        "column": header[position].strip() if position < len(header) else None,
        "position": position,  # parse() turns it into the contract's column name
        "value": '"' + (cell[:40] + "…" if len(cell) > 40 else cell),
        "rule": "open_quote",
    }


def _drop_blank_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Blank lines (every cell empty) are not records; rows of spaces are dropped after cleaning."""
    cells = [c for c in rows.columns if c != LINE]
    if not cells:
        return rows
    return rows.filter(~pl.all_horizontal(pl.col(c).is_null() for c in cells))


def _read_excel(data: bytes, file_name: str) -> RawTable:
    import fastexcel  # imported here: only Excel uploads need it

    try:
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(0, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except BaseException as exc:  # calamine reports many kinds of corruption, some as Rust panics
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise FileRefused(
            f"Không đọc được tệp Excel '{file_name or 'tệp'}' ({exc.__class__.__name__}). "
            "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
        ) from None
    # Skip blank rows above the header, as Excel users sometimes leave a title gap.
    leading = 0
    while leading < frame.height and all(v is None or str(v).strip() == "" for v in frame.row(leading)):
        leading += 1
    frame = frame.slice(leading)
    header, rows = _split_header(frame)
    rows = rows.with_columns(pl.int_range(2 + leading, rows.height + 2 + leading, dtype=pl.Int64).alias(LINE))
    return RawTable(header, _drop_blank_rows(rows), "xlsx", None, "xlsx")
