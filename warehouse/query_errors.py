"""DuckDB's English error messages explained in Vietnamese for analysts; the original stays as a detail.

DuckDB names its error classes at the start of a message ("Catalog Error: Table with name x does
not exist!"); the common ones get a sentence that says what to do, the rest a general one.
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"Table with name (\S+) does not exist", re.I),
        "Không có bảng «{0}» trong kho dữ liệu. Xem tên các bảng ở mục «Cấu trúc kho dữ liệu» bên dưới.",
    ),
    (
        re.compile(r'Referenced column "?([^"\s]+)"? not found', re.I),
        "Không có cột «{0}» trong các bảng của câu truy vấn. Kiểm tra lại tên cột.",
    ),
    (
        re.compile(r"(?:Scalar|Aggregate|Table) Function with name (\S+) does not exist", re.I),
        "DuckDB không có hàm «{0}». Kiểm tra lại tên hàm.",
    ),
    (
        re.compile(r'syntax error at or near "([^"]*)"', re.I),
        "Câu truy vấn sai cú pháp ở gần «{0}».",
    ),
    (re.compile(r"syntax error at end of input", re.I), "Câu truy vấn chưa viết hết (thiếu phần cuối)."),
    (
        re.compile(r"must appear in the GROUP BY clause", re.I),
        "Một cột được chọn phải có trong GROUP BY hoặc nằm trong một hàm gộp (sum, count…).",
    ),
    (
        re.compile(r"Ambiguous reference to column name \"?([^\"\s]+)", re.I),
        "Tên cột «{0}» có ở nhiều bảng: hãy ghi rõ tên bảng trước tên cột.",
    ),
    (
        re.compile(r"Conversion Error|Could not convert", re.I),
        "Có giá trị không chuyển được sang kiểu dữ liệu cần dùng.",
    ),
    (re.compile(r"Division by zero", re.I), "Câu truy vấn chia cho 0."),
    (
        re.compile(r"^Catalog Error", re.I),
        "Câu truy vấn nhắc tới bảng, cột hoặc hàm không có trong kho dữ liệu.",
    ),
    (re.compile(r"^Binder Error", re.I), "Câu truy vấn dùng tên bảng, cột hoặc hàm không hợp lệ."),
    (re.compile(r"^Parser Error", re.I), "Câu truy vấn sai cú pháp."),
]
GENERAL = "DuckDB không chạy được câu truy vấn này."


def explain(message: str) -> str:
    """A Vietnamese sentence for a DuckDB error message."""
    for pattern, sentence in _RULES:
        if found := pattern.search(message or ""):
            return sentence.format(*(g.strip("!.\"'") for g in found.groups()))
    return GENERAL
