"""`dothixanh dictionary | docs`: the generated documents, checked or rewritten."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "dictionary",
        help="kiểm tra hoặc tạo lại từ điển dữ liệu (docs/data-dictionary.md)",
        description="Từ điển dữ liệu được sinh từ chú thích (COMMENT) của một kho dữ liệu mới tạo.",
    )
    p.add_argument("--write", action="store_true", help="ghi lại từ điển")
    p.set_defaults(handler=cmd_dictionary)

    p = sub.add_parser(
        "docs",
        help="kiểm tra hoặc tạo lại tài liệu mẫu tệp (docs/feeds.md) từ hợp đồng dữ liệu",
        description="Tài liệu docs/feeds.md được sinh từ pipelines/contracts.py.",
    )
    p.add_argument("--write", action="store_true", help="ghi lại tài liệu")
    p.set_defaults(handler=cmd_docs)


def _check_or_write(module, write: bool, name: str, command: str, source: str) -> int:
    """A generated document: write it, or say whether the committed copy is current."""
    if write:
        print(f"Đã ghi {module.write()}")
        return 0
    if module.is_stale():
        print(f"{name} đã cũ; chạy 'dothixanh {command} --write'.", file=sys.stderr)
        return 1
    print(f"{name} khớp với {source}.")
    return 0


def cmd_dictionary(args) -> int:
    from services import dictionary

    return _check_or_write(dictionary, args.write, "docs/data-dictionary.md", "dictionary", "kho dữ liệu")


def cmd_docs(args) -> int:
    from pipelines import docs

    return _check_or_write(docs, args.write, "docs/feeds.md", "docs", "hợp đồng dữ liệu")
