"""The `dothixanh` command: set up a ward, load unit files, query the warehouse, build the demo.

One module per command group (COMMAND_MODULES below); `python -m services.cli` runs `main`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from services.cli.common import Parser, log_error

DESCRIPTION = """\
dothixanh — bảng chỉ tiêu phong trào "Đô thị Xanh - Văn minh - Hiện đại" (phường Lê Chân).

Kho dữ liệu nằm trong thư mục DOTHIXANH_HOME (mặc định: thư mục data/ tại nơi chạy lệnh).
Chạy "dothixanh LỆNH --help" để xem hướng dẫn từng lệnh.
"""

# The modules that add the commands, in the order `dothixanh --help` lists them: each has
# `register(sub)`, which adds its sub-parsers (through `sub`, so they are Parser too) and sets
# `handler=` on each with `set_defaults`. A new command group is one more module here.
COMMAND_MODULES: tuple[str, ...] = (
    "services.cli.ward",  # init, ingest
    "services.cli.query",  # sql
    "services.cli.demo",  # demo, serve
    "services.cli.backup",  # backup, restore
    "services.cli.templates",  # template, expectations
    "services.cli.evaluate",  # evaluate
    "services.cli.report",  # report
    "services.cli.users",  # user
    "services.cli.export",  # export
    "services.cli.documents",  # dictionary, docs
    "services.cli.settings",  # settings
    "services.cli.approval",  # submit, approve, return, lock, reopen
    "services.cli.indicators",  # indicators list, check, sql
    "services.cli.city",  # city publish, refresh; demo --ward
    "services.cli.city_view",  # city serve, city account (after city: adds to its group)
    "services.cli.feeds",  # feeds add, list, check (last: it lets --feed of the others take a ward's feeds)
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="dothixanh", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--home", help="thư mục kho dữ liệu (mặc định: biến môi trường DOTHIXANH_HOME, hoặc ./data)"
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["DOTHIXANH_HOME"] = args.home
    if not args.command:
        parser.print_help()
        return 0
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback to a user: the details go to the event log
        where = log_error(args.command, exc)
        print(f"Lỗi không mong đợi khi chạy «dothixanh {args.command}»: {exc}", file=sys.stderr)
        print(f"Chi tiết đã ghi vào {where}.", file=sys.stderr)
        return 1
