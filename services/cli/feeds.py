"""`dothixanh feeds`: the ward's own feeds — add a declaration, list every feed, check declarations."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from kernel import contracts as c
from services.cli.common import add_command, text


def register(sub) -> None:
    p = add_command(sub, "feeds")
    actions = p.add_subparsers(dest="feeds_action", metavar="VIỆC", required=True)
    q = add_command(actions, "feeds add")
    q.add_argument("file", metavar="TỆP", help=text("feeds add", "file"))
    q.add_argument("--user", metavar="TÊN", help=text("feeds add", "--user"))
    q.set_defaults(handler=cmd_add)
    q = add_command(actions, "feeds list")
    q.add_argument(
        "--format", choices=("table", "json"), default="table", help=text("feeds list", "--format")
    )
    q.set_defaults(handler=cmd_list)
    q = add_command(actions, "feeds check")
    q.add_argument("file", metavar="TỆP", nargs="?", help=text("feeds check", "file"))
    q.set_defaults(handler=cmd_check)
    _live_feed_choices(sub)


def _live_feed_choices(sub) -> None:
    """Commands built before this module offer the built-in feeds only: let them offer the ward's too.

    Their `--feed` is checked when the command runs, once the top-level `--home` has chosen the
    ward whose own feeds count, not against a list fixed when the parser was built.
    """
    lists = {tuple(c.BUILTIN_FEEDS): c.FEEDS, tuple(c.BUILTIN_CONTRACTS): c.ALL_CONTRACTS}
    for parser in sub.choices.values():
        for action in parser._actions:
            live = lists.get(tuple(action.choices)) if isinstance(action.choices, list) else None
            if action.dest == "feed" and live is not None:
                action.choices = _FeedNames(live)
                handler = functools.partial(_checked_feed, live, parser.get_default("handler"))
                parser.set_defaults(handler=handler)


class _FeedNames:
    """Every name passes argparse's own check (made too early); `_checked_feed` checks for real."""

    def __init__(self, live):
        self.live = live

    def __contains__(self, name) -> bool:
        return True

    def __iter__(self):
        return iter(self.live)


def _checked_feed(live, handler, args) -> int:
    if args.feed not in live:
        print(
            f"Lỗi: --feed: không có loại dữ liệu «{args.feed}»; các loại hợp lệ: {', '.join(live)}.",
            file=sys.stderr,
        )
        return 2
    return handler(args)


def _errors(errors: list[str]) -> int:
    for line in errors:
        print(line, file=sys.stderr)
    return 1


def cmd_add(args) -> int:
    from kernel.feed_format import DeclarationError
    from services.ward_feeds import OPERATOR, FeedNotAllowed, add_feed

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    by, role = "dòng lệnh", OPERATOR
    if args.user:
        from warehouse.accounts import Accounts

        account = Accounts(c.active_home()).get(args.user)
        if account is None:
            print(f"Không có tài khoản «{args.user}». Tạo bằng 'dothixanh user add'.", file=sys.stderr)
            return 2
        by, role = account.username, account.role
    try:
        added = add_feed(data, path.name, by=by, role=role)
    except DeclarationError as exc:
        return _errors(exc.errors)
    except FeedNotAllowed as exc:
        return _errors([str(exc)])
    ct = added.contract
    print(f"Đã thêm loại dữ liệu «{ct.label_vi}» ({ct.name}): {len(ct.columns)} cột.")
    print(f"  Tệp khai báo: {added.declaration}")
    print(f"  Bộ quy tắc kiểm tra: {added.suite}")
    if added.tables_created:
        print(f"  Bảng dữ liệu core.{ct.name} và bảng xem «{ct.name}» đã được tạo.")
    else:
        print("  Chưa có kho dữ liệu: bảng sẽ được tạo khi chạy 'dothixanh init'.")
    print(
        f"  Tiếp theo: thêm «{ct.name}» vào cột «Loại dữ liệu» của đơn vị được gửi (units.csv), rồi tạo "
        f"tệp mẫu bằng 'dothixanh template --feed {ct.name} --output mau.xlsx'."
    )
    return 0


def cmd_list(args) -> int:
    from services.ward_feeds import SOURCE_LABELS_VI, feed_rows

    rows = feed_rows()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    header = ("Tên chuẩn", "Tên loại dữ liệu", "Nguồn", "Số cột")
    table = [(r["name"], r["label_vi"], SOURCE_LABELS_VI[r["source"]], str(r["columns"])) for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    for row in (header, *table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(f"Tổng cộng {len(rows)} loại dữ liệu.")
    return 0


def cmd_check(args) -> int:
    from kernel.feed_format import DeclarationError
    from services.ward_feeds import check_file, check_ward

    if args.file:
        try:
            contract = check_file(args.file)
        except DeclarationError as exc:
            return _errors(exc.errors)
        print(f"Tệp khai báo hợp lệ: «{contract.label_vi}» ({contract.name}), {len(contract.columns)} cột.")
        return 0
    errors = check_ward()
    if errors:
        return _errors(errors)
    count = len(c.ward_feeds())
    folder = c.ward_feeds_dir()
    print(f"Các tệp khai báo của phường trong {folder} đều hợp lệ ({count} loại dữ liệu).")
    return 0
