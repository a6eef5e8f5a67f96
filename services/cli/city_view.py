"""`dothixanh city serve` and `dothixanh city account`: the city's view and its own accounts.

The city's accounts (role `city`) and sessions live in the `city refresh` output folder (`--city DIR`),
apart from every ward's: a ward's account never opens the city's view, a city account never a ward's
dashboard. The commands are added to the `city` group that services/cli/city.py makes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from services.cli.common import add_command, read_password, text

CITY_SERVER = Path(__file__).resolve().parents[2] / "dashboard" / "city_server.py"


def register(sub) -> None:
    city = sub.choices.get("city")
    if city is None:
        return
    actions = next(a for a in city._actions if isinstance(a, argparse._SubParsersAction))
    q = add_command(actions, "city serve")
    q.add_argument("--city", required=True, metavar="THƯ_MỤC", help=text("city serve", "--city"))
    q.add_argument("--store", required=True, metavar="THƯ_MỤC", help=text("city serve", "--store"))
    q.add_argument("--port", type=int, default=8502, metavar="CỔNG", help=text("city serve", "--port"))
    q.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", help=text("city serve", "--host"))
    q.set_defaults(handler=cmd_serve)
    q = add_command(actions, "city account")
    accounts = q.add_subparsers(dest="account_action", metavar="VIỆC", required=True)
    a = add_command(accounts, "city account add")
    a.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    a.add_argument("--city", required=True, metavar="THƯ_MỤC", help=text("city serve", "--city"))
    a.add_argument("--name", metavar="HỌ_TÊN", help=text("city account add", "--name"))
    a.add_argument("--password-stdin", action="store_true", help=text("city account add", "--password-stdin"))
    a.set_defaults(handler=cmd_account_add)
    a = add_command(accounts, "city account remove")
    a.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    a.add_argument("--city", required=True, metavar="THƯ_MỤC", help=text("city serve", "--city"))
    a.set_defaults(handler=cmd_account_remove)
    a = add_command(accounts, "city account list")
    a.add_argument("--city", required=True, metavar="THƯ_MỤC", help=text("city serve", "--city"))
    a.set_defaults(handler=cmd_account_list)


def cmd_account_add(args) -> int:
    from warehouse.accounts import AccountError, Accounts

    folder = Path(args.city)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        user = Accounts(folder).add_user(
            args.username, read_password(args.password_stdin), "city", full_name=args.name
        )
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"Đã thêm tài khoản thành phố «{user.username}» ({user.role_label}) trong {folder}.")
    return 0


def cmd_account_remove(args) -> int:
    from warehouse.accounts import AccountError, Accounts
    from warehouse.sessions import Sessions

    try:
        Accounts(Path(args.city)).remove_user(args.username.strip().lower())
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    Sessions(Path(args.city)).revoke_user(args.username.strip().lower())
    print(f"Đã xóa tài khoản «{args.username}»; các phiên đang mở của tài khoản này đã kết thúc.")
    return 0


def cmd_account_list(args) -> int:
    from warehouse.accounts import Accounts

    rows = [r for r in Accounts(Path(args.city)).list_users() if r["role"] == "city"]
    if not rows:
        print(f"Chưa có tài khoản thành phố nào trong {args.city}.")
        return 0
    for row in rows:
        print(f"{row['username']:<16} {row['full_name'] or ''}")
    return 0


def cmd_serve(args) -> int:
    """Become the Streamlit server of the city's view (exec, like `dothixanh serve`)."""
    from services.cli.demo import serve_command
    from warehouse.accounts import Accounts
    from warehouse.city.view import CityView, CityViewMissing

    city, store = Path(args.city).resolve(), Path(args.store).resolve()
    try:
        CityView(city, store).check()
    except CityViewMissing as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not any(r["role"] == "city" for r in Accounts(city).list_users()):
        print(
            f"Lưu ý: chưa có tài khoản thành phố nào; tạo bằng 'dothixanh city account add TÊN --city {args.city}'.",
            file=sys.stderr,
        )
    # The city's accounts, sessions and error log are the city folder's; the pages read both folders.
    os.environ.update(DOTHIXANH_HOME=str(city), DOTHIXANH_CITY=str(city), DOTHIXANH_CITY_STORE=str(store))
    command = serve_command(args.host, args.port)
    command[command.index(str(CITY_SERVER.parent / "server.py"))] = str(CITY_SERVER)
    print(f"Mở trang của thành phố tại http://{args.host}:{args.port} (Ctrl+C để dừng)", flush=True)
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached
