"""Hostile files built in memory for the sandbox and precheck tests (each a few KB)."""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def start_workbook(
    book: zipfile.ZipFile, content_types: str = _CONTENT_TYPES, workbook_rels: str = _WORKBOOK_RELS
) -> None:
    """The parts every hand-made workbook has: content types, relationships, the workbook with one sheet."""
    book.writestr("[Content_Types].xml", content_types)
    book.writestr("_rels/.rels", _RELS)
    book.writestr("xl/workbook.xml", _WORKBOOK)
    book.writestr("xl/_rels/workbook.xml.rels", workbook_rels)


def xlsx(sheet_body: str | bytes, *, dimension: str | None = None) -> bytes:
    """A minimal workbook whose first sheet holds `sheet_body` (the <sheetData> and what follows)."""
    body = sheet_body.encode() if isinstance(sheet_body, str) else sheet_body
    head = _SHEET_HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        start_workbook(book)
        book.writestr("xl/worksheets/sheet1.xml", head.encode() + body + b"</worksheet>")
    return buffer.getvalue()


def _row(n: int, cells: list[tuple[str, str]]) -> str:
    inner = "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells)
    return f'<row r="{n}">{inner}</row>'


def xfd_bomb() -> bytes:
    """The 1,5 KB workbook that aborted the process: a cell at XFD1048576, declared as such."""
    body = (
        "<sheetData>" + _row(1, [("A1", "Số hồ sơ")]) + _row(1048576, [("XFD1048576", "x")]) + "</sheetData>"
    )
    return xlsx(body, dimension="A1:XFD1048576")


def xfd_undeclared() -> bytes:
    """The same far cell with an honest-looking dimension (the reader sizes its grid from the cells)."""
    body = "<sheetData>" + _row(1, [("A1", "Số hồ sơ")]) + _row(2, [("XFD2", "x")]) + "</sheetData>"
    return xlsx(body, dimension="A1:B2")


def huge_cell_bomb(megabytes: int = 200) -> bytes:
    """One cell of `megabytes` MB of the same letter: a few hundred KB compressed."""
    body = b"<sheetData>" + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * (megabytes * 1_000_000)
    return xlsx(body + b"</t></is></c></row></sheetData>", dimension="A1:A1")


def many_rows_xlsx(rows: int = 3_000_000) -> bytes:
    """Millions of tiny rows that declare nothing unusual (rows need no r= attribute), values varied
    enough that the zip's compression ratio looks ordinary."""
    body = b"".join(b"<row><c><v>%d</v></c></row>" % (i * 7919 % 1000003) for i in range(rows))
    return xlsx(b"<sheetData>" + body + b"</sheetData>", dimension="A1:A1")


def many_rows_csv(rows: int = 3_000_000) -> bytes:
    return b"a\n" + b"1\n" * rows


def comma_line(size: int = 1_000_000) -> bytes:
    return b"," * size


def unsupported_zip_version() -> bytes:
    """A workbook whose zip directory says its parts need a zip version no reader knows (17.0): what
    the full fuzz run found refused as a program error, not as a damaged file."""
    data = bytearray(xlsx(_row(1, [("A1", "x")])))
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 6 : at + 8] = (170).to_bytes(2, "little")  # «version needed to extract»
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)
