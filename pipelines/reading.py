"""Turn the bytes a clerk sends into a table of strings, whatever Excel wrote.

Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Windows-1258;
delimiters comma, semicolon, tab; CRLF line ends; `.xlsx`/`.xls` (first sheet).
The result keeps every cell as text plus the line number each row came from
(header = line 1); typing and rules happen later.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field

import polars as pl

LINE = "_line"


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
_DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab"}


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes to NFC text; return (text, encoding name)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"Tệp bắt đầu bằng dấu hiệu {encoding.upper()} nhưng nội dung bị hỏng "
                    f"tại byte {exc.start}; hãy lưu lại tệp từ Excel."
                ) from None
            return _nfc(text), "utf-16" if encoding == "utf-16" else "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise FileRefused(
            "Tệp không phải là văn bản CSV hay Excel (có ký tự nhị phân). "
            "Hãy gửi tệp .csv, .txt (Unicode) hoặc .xlsx."
        )
    try:
        return _nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"Không nhận ra bảng mã của tệp (byte {exc.start} không hợp lệ với UTF-8 "
            "hay Windows-1258). Hãy lưu lại từ Excel dạng 'CSV UTF-8'."
        ) from None
    if _looks_binary(text):
        raise FileRefused(
            "Tệp không phải là văn bản CSV hay Excel. Hãy gửi tệp .csv, .txt (Unicode) hoặc .xlsx."
        )
    # Windows-1258 writes many tone marks as combining characters.
    return _nfc(text), "windows-1258"


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
    """Read a CSV/TXT/XLSX file's bytes into a RawTable, or raise FileRefused."""
    if not data or not data[:65536].strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileRefused("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        return _read_excel(data, file_name)
    body, encoding = _utf8_body(data)
    if body is None:
        text, encoding = decode(data)
        body = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    # Leading blank lines before the header: drop them but keep line numbers right.
    stripped = body.lstrip(b"\r\n")
    leading = body[: len(body) - len(stripped)].count(b"\n")
    body = stripped
    first_line = body[:65536].split(b"\n", 1)[0].decode("utf-8", "replace")
    delimiter = sniff_delimiter(first_line)
    try:
        frame = pl.read_csv(body, has_header=False, separator=delimiter, infer_schema=False, quote_char='"')
        header, rows = _split_header(frame)
        # Polars turns each physical line into one row; a quoted cell spanning lines
        # breaks that, so count lines the slow way only when quotes are present.
        if b'"' in body:
            lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
            if frame.height != lines + (1 if body.endswith(b"\n\n") else 0):
                raise _SlowPath
        rows = rows.with_columns((pl.int_range(2, rows.height + 2, dtype=pl.Int64) + leading).alias(LINE))
        row_errors: list[dict] = []
    except (_SlowPath, pl.exceptions.ComputeError) as exc:
        if isinstance(exc, pl.exceptions.ComputeError) and "utf-8" in str(exc).lower():
            # Not UTF-8 after all (e.g. Windows-1258 with no tone marks in the sample).
            text, encoding = decode(data)
            return read_table(text.encode("utf-8"), file_name)._with_encoding(encoding)
        # Only here can a (quoted) cell span lines: keep its line breaks as "\n" whatever the file used.
        text = body.decode("utf-8").replace("\r\n", "\n")
        header, rows, row_errors = _read_csv_slow(text, delimiter, leading)
    rows = _drop_blank_rows(rows)
    return RawTable(header, rows, encoding, delimiter, "csv", row_errors)


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
    if b"\x00" in body[:4096]:
        return None, encoding  # decode() refuses it with the reason
    if b"\xcc" in body or b"\xcd" in body:
        return None, encoding
    if b"\r" in body and b"\r\n" not in body:
        return None, encoding
    return body, encoding


class _SlowPath(Exception):
    pass


def _split_header(frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    if frame.height == 0:
        raise FileRefused("Tệp không có dòng tiêu đề.")
    header = [("" if v is None else str(v)) for v in frame.row(0)]
    rows = frame.slice(1)
    rows.columns = [f"c{i}" for i in range(len(header))]
    return header, rows


def _read_csv_slow(text: str, delimiter: str, leading: int) -> tuple[list[str], pl.DataFrame, list]:
    """Python csv reader: exact line numbers for quoted multi-line cells and ragged rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[list[str | None]] = []
    lines: list[int] = []
    row_errors: list[dict] = []
    start = 1
    for record in reader:
        line = start + leading
        start = reader.line_num + 1
        if header is None:
            header = record
            continue
        if len(record) > len(header):
            row_errors.append(
                {
                    "line": line,
                    "column": None,
                    "value": delimiter.join(record[len(header) :]),
                    "rule": "column_count",
                }
            )
            continue
        padded = [cell if cell != "" else None for cell in record]
        padded += [None] * (len(header) - len(record))
        records.append(padded)
        lines.append(line)
    if header is None:
        raise FileRefused("Tệp không có dòng tiêu đề.")
    schema = {f"c{i}": pl.String for i in range(len(header))}
    rows = pl.DataFrame(records, schema=schema, orient="row").with_columns(
        pl.Series(LINE, lines, dtype=pl.Int64)
    )
    return header, rows, row_errors


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
    except Exception as exc:  # calamine reports many kinds of corruption
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
