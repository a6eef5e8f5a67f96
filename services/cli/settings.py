"""`dothixanh settings`: the ward's targets, who set them, and confirming the shipped samples."""

from __future__ import annotations

import sys

from warehouse import named


def register(sub) -> None:
    p = sub.add_parser(
        "settings",
        help="chỉ tiêu của phường: ai đặt, khi nào; xác nhận chỉ tiêu mẫu",
        description="Xem nguồn gốc các chỉ tiêu (ai đặt, khi nào, đã được phường xác nhận chưa) và xác nhận "
        "các chỉ tiêu là quyết định của phường. Chỉ tiêu có sẵn khi cài đặt chỉ là chỉ tiêu mẫu: cho đến khi "
        "quản trị viên xác nhận, mọi con số so với chỉ tiêu đó đều ghi «chỉ tiêu mẫu — phường chưa xác nhận».",
    )
    actions = p.add_subparsers(dest="settings_action", metavar="VIỆC", required=True)
    q = actions.add_parser(
        "targets",
        help="liệt kê các chỉ tiêu năm và nguồn gốc của chúng",
        description="In mỗi chỉ tiêu theo năm: giá trị, ai đặt và khi nào, đã xác nhận chưa.",
    )
    q.add_argument("--year", type=int, metavar="NĂM", help="chỉ in một năm (ví dụ 2026)")
    q.set_defaults(handler=cmd_targets)
    q = actions.add_parser(
        "confirm-targets",
        help="xác nhận các chỉ tiêu hiện hành là quyết định của phường (chỉ quản trị viên)",
        description="Ghi lại rằng quản trị viên xác nhận các chỉ tiêu trong tệp thiết lập hiện hành là quyết "
        "định của phường (ví dụ theo nghị quyết). Nhãn «chỉ tiêu mẫu» bên cạnh các con số sẽ không còn.",
    )
    q.add_argument("--user", required=True, metavar="TÊN", help="tài khoản quản trị xác nhận")
    q.add_argument("--note", metavar="GHI_CHÚ", help="căn cứ xác nhận (ví dụ: Nghị quyết số 12/NQ-ĐU)")
    q.set_defaults(handler=cmd_confirm_targets)


def _warehouse():
    from warehouse.store import Warehouse

    warehouse = Warehouse()
    if not warehouse.exists():
        print(
            f"Chưa có kho dữ liệu trong {warehouse.home}. Hãy chạy 'dothixanh init' trước.", file=sys.stderr
        )
        return None
    return warehouse


def cmd_confirm_targets(args) -> int:
    from warehouse.accounts import Accounts
    from warehouse.targets import TargetsNotAllowed, confirm_targets

    warehouse = _warehouse()
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

    warehouse = _warehouse()
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
