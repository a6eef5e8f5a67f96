"""`dothixanh settings`: the ward's targets, who set them, and confirming the shipped samples."""

from __future__ import annotations

import sys

from services.cli.common import text, ward_warehouse
from warehouse import named


def register(sub) -> None:
    p = sub.add_parser("settings", help=text("settings", "help"), description=text("settings", "description"))
    actions = p.add_subparsers(dest="settings_action", metavar="VIỆC", required=True)
    q = actions.add_parser(
        "targets", help=text("settings targets", "help"), description=text("settings targets", "description")
    )
    q.add_argument("--year", type=int, metavar="NĂM", help=text("settings targets", "--year"))
    q.set_defaults(handler=cmd_targets)
    q = actions.add_parser(
        "confirm-targets",
        help=text("settings confirm-targets", "help"),
        description=text("settings confirm-targets", "description"),
    )
    q.add_argument("--user", required=True, metavar="TÊN", help=text("settings confirm-targets", "--user"))
    q.add_argument("--note", metavar="GHI_CHÚ", help=text("settings confirm-targets", "--note"))
    q.set_defaults(handler=cmd_confirm_targets)


def cmd_confirm_targets(args) -> int:
    from warehouse.accounts import Accounts
    from warehouse.targets import TargetsNotAllowed, confirm_targets

    warehouse = ward_warehouse()
    if warehouse is None:
        return 2
    user = Accounts(warehouse.home).get(args.user)
    if user is None:
        print(f"Không có tài khoản «{args.user}». Tạo bằng 'dothixanh user add'.", file=sys.stderr)
        return 2
    try:
        at = confirm_targets(warehouse, by=user.username, role=user.role, note=args.note)
    except TargetsNotAllowed as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"Đã xác nhận các chỉ tiêu của tệp thiết lập hiện hành: {user.username}, lúc {at:%H:%M %d/%m/%Y}.")
    return 0


def cmd_targets(args) -> int:
    from kernel.formats import smart

    warehouse = ward_warehouse()
    if warehouse is None:
        return 2
    with warehouse.reading() as con:
        rows = named.rows(con, "target_list", year=args.year)
    for name, unit, year, target, note in rows:
        print(f"{name} — năm {year}: {smart(target)} {unit} ({note})")
    return 0


def sample_targets_line(con, evaluation: str) -> str | None:
    """The line «Chỉ tiêu mẫu — phường chưa xác nhận: …» for an evaluation's weighted indicators, or None."""
    import duckdb

    try:
        rows = named.rows(con, "sample_targets", evaluation=evaluation)
    except duckdb.CatalogException:  # marts built before target provenance existed
        return None
    if not rows:
        return None
    return "Chỉ tiêu mẫu — phường chưa xác nhận: " + "; ".join(name for name, _ in rows) + "."
