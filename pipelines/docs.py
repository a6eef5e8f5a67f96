"""The file contracts as a document for clerks and analysts (docs/feeds.md), derived from the contracts."""

from __future__ import annotations

from pathlib import Path

from kernel import contracts as c
from kernel import generated
from pipelines.messages import RULE_LABELS_VI
from pipelines.templates import example

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "feeds.md"

_RULE_TEXT = {
    c.REQUIRED_WHEN: "«{col}» bắt buộc khi «{when}» là «{value}»",
    c.ZERO_UNLESS: "«{col}» để trống hoặc 0 khi «{when}» không phải «{value}»",
    c.NOT_BEFORE: "«{col}» không trước «{other}»",
    c.NOT_MORE_THAN: "«{col}» không lớn hơn «{other}»",
    c.AT_LEAST_COLUMN: "«{col}» không nhỏ hơn «{other}»",
    c.NOT_MORE_THAN_GROUP_HOUSEHOLDS: "«{col}» không lớn hơn số hộ của tổ dân phố",
    c.KNOWN_GROUP: "«{col}» phải có trong danh sách tổ dân phố của phường",
    c.UPLOADING_UNIT: "«{col}» phải là đơn vị gửi tệp (đơn vị được phép gửi loại dữ liệu này)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """docs/feeds.md, generated from kernel/contracts.py."""
    out = [
        "# Mẫu tệp số liệu / Feed contracts",
        "",
        "<!-- Sinh tự động từ kernel/contracts.py: chạy `dothixanh docs --write`, đừng sửa tay. -->",
        "",
        "Quy tắc chung: tệp CSV/TXT (UTF-8 có hoặc không BOM, UTF-16 có BOM, Windows-1258; phân cách "
        "bằng dấu phẩy, chấm phẩy hoặc tab) hoặc XLSX (trang đầu). Dòng đầu là tiêu đề: tên chuẩn hoặc "
        "tên tiếng Việt, có dấu hoặc không dấu, chữ hoa hay thường đều được. Ngày ghi dd/mm/yyyy, "
        "d/m/yyyy hoặc yyyy-mm-dd, không trước "
        f"{c.EARLIEST_DATE:%d/%m/%Y} và không sau hôm nay. Số nguyên có thể có dấu chấm phân cách "
        "hàng nghìn (1.500.000). Gửi lại cùng mã bản ghi là đính chính bản cũ; gửi lại đúng tệp cũ "
        "không thay đổi gì.",
        "",
    ]
    for contract in c.BUILTIN_CONTRACTS.values():
        out += [f"## {contract.label_vi} — `{contract.name}`", "", render_contract(contract)]
    return "\n".join(out)


def render_contract(contract: c.Contract) -> str:
    """One contract's section: columns, allowed values and cross-column rules (also the upload page's help)."""
    out = [contract.description_vi, ""]
    if contract.plan_section:
        out += [f"Mục của kế hoạch: {contract.plan_section}.", ""]
    if not contract.reference:
        out += [f"Khóa bản ghi: {', '.join(f'`{k}`' for k in contract.key)}.", ""]
    out += [
        "| Cột (tiếng Việt) | Tên chuẩn | Kiểu | Bắt buộc | Giải thích | Ví dụ |",
        "|---|---|---|---|---|---|",
    ]
    for col in contract.columns:
        rule = col.description_vi
        if col.minimum is not None:
            rule += f" Tối thiểu {col.minimum:g}."
        out.append(
            f"| {_cell(col.label_vi)} | `{col.name}` | {c.TYPE_LABELS_VI[col.type]} | "
            f"{'có' if col.required else ''} | {_cell(rule)} | {_cell(example(col))} |"
        )
    for col in contract.columns:
        if col.choices:
            out += ["", f"Giá trị của «{col.label_vi}» (ghi mã hoặc tên tiếng Việt):", ""]
            out += [f"- `{ch.code}` — {ch.label_vi} ({ch.label_en})" for ch in col.choices]
    if contract.rules:
        out += ["", "Quy tắc giữa các cột:", ""]
        for rule in contract.rules:
            when = contract.column(rule.when_column) if rule.when_column else None
            text = _RULE_TEXT[rule.kind].format(
                col=contract.column(rule.column).label_vi,
                other=contract.column(rule.other).label_vi if rule.other else "",
                when=when.label_vi if when else "",
                value=when.choice_label(rule.when_value) if when else "",
            )
            out.append(f"- {text} ({RULE_LABELS_VI[rule.kind]}).")
    out.append("")
    return "\n".join(out)


def write() -> Path:
    return generated.write(DOC_PATH, render)


def is_stale() -> bool:
    return generated.is_stale(DOC_PATH, render)
