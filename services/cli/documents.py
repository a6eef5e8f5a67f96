"""`dothixanh dictionary | docs`: the generated documents, checked or rewritten."""

from __future__ import annotations

import sys

from services.cli.common import text


def register(sub) -> None:
    p = sub.add_parser(
        "dictionary", help=text("dictionary", "help"), description=text("dictionary", "description")
    )
    p.add_argument("--write", action="store_true", help=text("dictionary", "--write"))
    p.set_defaults(handler=cmd_dictionary)

    p = sub.add_parser("docs", help=text("docs", "help"), description=text("docs", "description"))
    p.add_argument("--write", action="store_true", help=text("docs", "--write"))
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
