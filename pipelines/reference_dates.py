"""The date a new version of the groups or units list applies from, and what `init` says it did."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from kernel.formats import number


class InvalidDate(ValueError):
    """A --valid-from value that is not a date dd/mm/yyyy (message in Vietnamese)."""


def parse_valid_from(text: str | None) -> dt.date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) → date; None stays None (today)."""
    if not text:
        return None
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise InvalidDate(f"Ngày áp dụng «{text}» không hợp lệ: hãy ghi dạng ngày/tháng/năm, ví dụ 01/11/2026.")


def describe_saved(con: duckdb.DuckDBPyConnection, saved, home: Path) -> str:
    """One Vietnamese sentence per list: a new version from a date, or no change."""
    labels = {"groups": ("tổ dân phố", "ref.groups"), "units": ("đơn vị", "ref.units")}
    lines = []
    for item in saved:
        label, table = labels[item.kind]
        count = con.sql(f"SELECT count(*) FROM {table} WHERE version = ?", params=[item.version]).fetchall()[
            0
        ][0]
        if item.created:
            lines.append(
                f"Đã lưu danh sách {label}: {number(count, 0)} dòng, phiên bản {item.version}, "
                f"áp dụng từ {item.valid_from:%d/%m/%Y}."
            )
        else:
            lines.append(
                f"Danh sách {label} giống hệt phiên bản {item.version}: không lưu phiên bản mới, không thay đổi gì."
            )
    lines.append(f"Kho dữ liệu: {home}.")
    return "\n".join(lines)
