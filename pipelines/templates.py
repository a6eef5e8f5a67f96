"""Templates clerks download: the contract's columns, labelled in Vietnamese, with an example row."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kernel import contracts as c


def header(col: c.Column) -> str:
    """Template header: the Vietnamese label and the canonical name, e.g. 'Số hồ sơ (record_id)'."""
    return f"{col.label_vi} ({col.name})"


def example(col: c.Column) -> str:
    """A column's example as a clerk writes it: a listed value by its Vietnamese label, not its code."""
    for choice in col.choices:
        if choice.code == col.example:
            return choice.label_vi
    return col.example or ""


def template_frame(contract: c.Contract) -> pl.DataFrame:
    """One example row under headers that carry both the Vietnamese label and the canonical name."""
    return pl.DataFrame(
        {header(col): [example(col) or None] for col in contract.columns},
        schema={header(col): pl.String for col in contract.columns},
    )


def template_csv(contract: c.Contract) -> bytes:
    """CSV template, UTF-8 with BOM so Excel shows Vietnamese correctly."""
    return b"\xef\xbb\xbf" + template_frame(contract).write_csv().encode("utf-8")


def template_xlsx(contract: c.Contract) -> bytes:
    """XLSX template: labels, canonical names and rules on a help sheet, example row on the data sheet."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBD9", "border": 1})
    text = book.add_format({"num_format": "@"})
    data = book.add_worksheet("Số liệu")
    for i, col in enumerate(contract.columns):
        data.write_string(0, i, header(col), bold)
        data.write_string(1, i, example(col), text)
        data.set_column(i, i, max(14, len(header(col)) + 2), text)
    data.freeze_panes(1, 0)
    help_sheet = book.add_worksheet("Hướng dẫn")
    headers = ["Cột (tiếng Việt)", "Tên chuẩn", "Kiểu", "Bắt buộc", "Giải thích", "Giá trị hợp lệ"]
    for i, h in enumerate(headers):
        help_sheet.write_string(0, i, h, bold)
    for r, col in enumerate(contract.columns, start=1):
        choices = "; ".join(f"{ch.label_vi} ({ch.code})" for ch in col.choices)
        cells = [
            col.label_vi,
            col.name,
            c.TYPE_LABELS_VI[col.type],
            "có" if col.required else "",
            col.description_vi,
            choices,
        ]
        for i, value in enumerate(cells):
            help_sheet.write_string(r, i, value)
    help_sheet.set_column(0, 1, 24)
    help_sheet.set_column(4, 5, 60)
    book.close()
    return buffer.getvalue()


def write_template(contract: c.Contract, path: Path) -> Path:
    path = Path(path)
    data = template_xlsx(contract) if path.suffix.lower() == ".xlsx" else template_csv(contract)
    path.write_bytes(data)
    return path
