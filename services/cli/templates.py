"""`dothixanh template | expectations`: the files derived from the feed contracts."""

from __future__ import annotations

import sys
from pathlib import Path

from kernel import contracts as c
from services.cli.common import text


def register(sub) -> None:
    p = sub.add_parser("template", help=text("template", "help"), description=text("template", "description"))
    p.add_argument("--feed", required=True, choices=list(c.ALL_CONTRACTS), help=text("template", "--feed"))
    p.add_argument("--output", required=True, metavar="TỆP", help=text("template", "--output"))
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser(
        "expectations", help=text("expectations", "help"), description=text("expectations", "description")
    )
    p.add_argument("--write", action="store_true", help=text("expectations", "--write"))
    p.set_defaults(handler=cmd_expectations)


def cmd_template(args) -> int:
    from pipelines.templates import write_template

    path = write_template(c.ALL_CONTRACTS[args.feed], Path(args.output))
    print(f"Đã ghi tệp mẫu {path}")
    return 0


def cmd_expectations(args) -> int:
    from expectations.suites import stale_suites, write_all

    if args.write:
        for path in write_all():
            print(f"Đã ghi {path}")
        return 0
    stale = stale_suites()
    if stale:
        print("Các bộ quy tắc đã cũ so với hợp đồng dữ liệu: " + ", ".join(stale), file=sys.stderr)
        print("Chạy 'dothixanh expectations --write' để tạo lại.", file=sys.stderr)
        return 1
    print("Các bộ quy tắc khớp với hợp đồng dữ liệu.")
    return 0
