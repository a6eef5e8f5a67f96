"""`dothixanh user`: the dashboard's accounts."""

from __future__ import annotations

import sys

from services.cli.common import Parser, read_password, text


def register(sub) -> None:
    p = sub.add_parser("user", help=text("user", "help"), description=text("user", "description"))
    users = p.add_subparsers(dest="user_command", metavar="VIỆC", parser_class=Parser)
    q = users.add_parser("add", help=text("user add", "help"), description=text("user add", "description"))
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q.add_argument(
        "--role",
        required=True,
        choices=["leader", "analyst", "unit", "admin"],
        help=text("user add", "--role"),
    )
    q.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help=text("user add", "--unit"))
    q.add_argument("--name", metavar="HỌ_TÊN", help=text("user add", "--name"))
    q.add_argument("--password-stdin", action="store_true", help=text("user add", "--password-stdin"))
    q = users.add_parser(
        "remove", help=text("user remove", "help"), description=text("user remove", "description")
    )
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q = users.add_parser(
        "passwd", help=text("user passwd", "help"), description=text("user passwd", "description")
    )
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q.add_argument("--password-stdin", action="store_true", help=text("user passwd", "--password-stdin"))
    users.add_parser("list", help=text("user list", "help"), description=text("user list", "description"))
    p.set_defaults(handler=cmd_user)


def cmd_user(args) -> int:
    from warehouse.accounts import ROLES, AccountError, Accounts

    accounts = Accounts()
    try:
        if args.user_command == "add":
            user = accounts.add_user(
                args.username,
                read_password(args.password_stdin),
                args.role,
                unit_code=args.unit.upper() if args.unit else None,
                full_name=args.name,
            )
            unit = f", đơn vị {user.unit_code}" if user.unit_code else ""
            print(f"Đã thêm tài khoản «{user.username}» ({user.role_label}{unit}).")
        elif args.user_command == "remove":
            accounts.remove_user(args.username)
            print(f"Đã xóa tài khoản «{args.username}».")
        elif args.user_command == "passwd":
            accounts.set_password(args.username, read_password(args.password_stdin))
            print(f"Đã đổi mật khẩu của «{args.username}».")
        elif args.user_command == "list":
            for row in accounts.list_users():
                unit = row["unit_code"] or ""
                print(f"{row['username']:<16} {ROLES[row['role']][0]:<24} {unit:<8} {row['full_name'] or ''}")
        else:
            print("Chọn một việc: add, remove, passwd, list (xem dothixanh user --help).", file=sys.stderr)
            return 2
    except AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    return 0
