"""Excel files built by hand for the fuzz tests: a workbook streamed part by part, and the bombs of issue 11.

Unlike hostile.py's one-sheet workbooks these carry a shared-strings part (the «huge cell» bomb needs it).
"""

from __future__ import annotations

import functools
import io
import itertools
import zipfile

from hostile import start_workbook

from kernel import contracts as c

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">{dimension}<sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"
_SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">'
)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row(feed: str) -> str:
    cells = "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(c.FEEDS[feed].column_names))
    return f'<row r="1">{cells}</row>'


def workbook(sheet_parts, shared_parts=(), dimension: str = "") -> bytes:
    """An .xlsx built by hand; the parts (str chunks) are deflated as they come, so huge ones stay cheap."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        start_workbook(book, _CONTENT_TYPES, _WORKBOOK_RELS)
        for entry, head, parts, tail in (
            ("xl/sharedStrings.xml", _SST_HEAD, shared_parts, "</sst>"),
            ("xl/worksheets/sheet1.xml", _SHEET_HEAD.format(dimension=dimension), sheet_parts, _SHEET_TAIL),
        ):
            with book.open(entry, "w", force_zip64=True) as out:
                out.write(head.encode())
                for part in parts:
                    out.write(part.encode())
                out.write(tail.encode())
    return buffer.getvalue()


@functools.cache
def xlsx_bomb_bytes(kind: str, feed: str, size: int) -> bytes:
    """The three bombs of issue 11, in a few KB to a few MB (cached: they are slow to deflate)."""
    header = _header_row(feed)
    if kind == "dimension":  # the 1,5 KB file that made calamine ask for 512 GiB
        return workbook([header], dimension='<dimension ref="A1:XFD1048576"/>')
    if kind == "far_cell":
        return workbook([header, f'<row r="1048576">{_inline("XFD1048576", "x")}</row>'])
    if kind == "far_cell_and_dimension":
        return workbook(
            [header, f'<row r="{size}">{_inline("XFD" + str(size), "x")}</row>'],
            dimension=f'<dimension ref="A1:XFD{size}"/>',
        )
    if kind == "huge_cell":  # one shared string of `size` MB
        chunk = "A" * (1 << 20)
        shared = itertools.chain(["<si><t>"], itertools.repeat(chunk, size), ["</t></si>"])
        return workbook([header, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'], shared)

    # `size` hundred thousand tiny rows, without row numbers (allowed, and it compresses best)
    block = "<row><c><v>1</v></c></row>" * 100_000
    return workbook(itertools.chain([header], itertools.repeat(block, size)))
