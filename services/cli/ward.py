"""`dothixanh init | ingest`: set up a ward from its two lists, load one unit file (or declare nothing to report)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from kernel import contracts as c
from services.cli.common import login_name, open_warehouse, read_file, text


def register(sub) -> None:
    p = sub.add_parser("init", help=text("init", "help"), description=text("init", "description"))
    p.add_argument("--groups", required=True, metavar="TỆP", help=text("init", "--groups"))
    p.add_argument("--units", required=True, metavar="TỆP", help=text("init", "--units"))
    p.add_argument("--valid-from", metavar="NGÀY", help=text("init", "--valid-from"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("ingest", help=text("ingest", "help"), description=text("ingest", "description"))
    p.add_argument("file", metavar="TỆP", nargs="?", help=text("ingest", "file"))
    p.add_argument("--feed", required=True, choices=list(c.FEEDS), help=text("ingest", "--feed"))
    p.add_argument("--nothing-to-report", action="store_true", help=text("ingest", "--nothing-to-report"))
    p.add_argument("--month", metavar="YYYY-MM", help=text("ingest", "--month"))
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ", help=text("ingest", "--unit"))
    p.add_argument("--json", action="store_true", help=text("ingest", "--json"))
    p.add_argument("--user", metavar="TÊN", help=text("ingest", "--user"))
    p.add_argument("--received-at", metavar="NGÀY", help=text("ingest", "--received-at"))
    p.add_argument("--date-order", choices=["dmy", "mdy"], default="dmy", help=text("ingest", "--date-order"))
    p.set_defaults(handler=cmd_ingest)


def cmd_init(args) -> int:
    from pipelines.ingest import ReferenceRefused, save_reference_lists
    from pipelines.reference_dates import InvalidDate, describe_saved, parse_valid_from

    try:
        valid_from = parse_valid_from(args.valid_from)
    except InvalidDate as exc:
        print(str(exc), file=sys.stderr)
        return 2
    warehouse = open_warehouse()
    try:
        saved = save_reference_lists(
            warehouse,
            (read_file(args.groups), Path(args.groups).name),
            (read_file(args.units), Path(args.units).name),
            valid_from=valid_from,
        )
    except ReferenceRefused as refused:
        print(f"Không tạo được phường: {refused.reason}", file=sys.stderr)
        for row in refused.errors.iter_rows(named=True):
            print(f"  - {row['message']}", file=sys.stderr)
        return 1
    with warehouse.reading() as con:
        print(describe_saved(con, saved, warehouse.home))
    return 0


def _progress_bar(enabled: bool):
    """A tqdm bar over the named steps of one load (on stderr, so --json stays clean)."""
    from tqdm import tqdm

    bar = tqdm(
        total=6, disable=not enabled, file=sys.stderr, leave=False, bar_format="{desc} {bar} {n}/{total}"
    )

    def step(name: str) -> None:
        bar.set_description_str(name)
        bar.update(1)

    return bar, step


def cmd_ingest(args) -> int:
    from pipelines.ingest import ingest
    from pipelines.sandbox import SandboxError
    from pipelines.sandbox_service import for_command
    from warehouse.store import WarehouseMissing

    warehouse = open_warehouse()
    if not warehouse.exists():
        print(str(WarehouseMissing(f"Chưa có kho dữ liệu trong {warehouse.home}.")), file=sys.stderr)
        print("Hãy chạy 'dothixanh init --groups ... --units ...' trước.", file=sys.stderr)
        return 2
    received_at = None
    if args.received_at:
        try:
            received_at = dt.datetime.fromisoformat(args.received_at)
        except ValueError:
            print(
                f"Thời điểm «{args.received_at}» không hợp lệ; dùng dạng 2026-06-05T09:30.", file=sys.stderr
            )
            return 2
    report_month = None
    if args.month or args.nothing_to_report:
        from pipelines.nothing_to_report import parse_month

        try:
            report_month = parse_month(args.month or "")
        except ValueError as exc:
            print(f"{exc} (--month là bắt buộc với --nothing-to-report)", file=sys.stderr)
            return 2
    if args.nothing_to_report or not args.file:
        return _ingest_nothing_to_report(args, warehouse, report_month, received_at)
    data = read_file(args.file)
    bar, step = _progress_bar(sys.stderr.isatty() and not args.json)
    try:
        # The file is judged in a sandboxed worker: this home's warm service when one runs.
        result = ingest(
            warehouse,
            data,
            feed=args.feed,
            unit_code=args.unit.strip().upper(),
            file_name=Path(args.file).name,
            uploaded_by=args.user or login_name(),
            received_at=received_at,
            date_order=args.date_order,
            progress=step,
            sandbox=for_command(warehouse.home),
            report_month=report_month,
        )
    except SandboxError as exc:
        print(f"Chưa đọc được tệp: {exc} Hãy thử lại sau ít phút.", file=sys.stderr)
        return 2
    finally:
        bar.close()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, default=str))
    else:
        print(format_report(result, month=report_month))
    return 0 if result.ok else 1


def _ingest_nothing_to_report(args, warehouse, month, received_at) -> int:
    """`ingest --nothing-to-report`: the unit declares it had nothing to report for the month."""
    from pipelines.nothing_to_report import NotAllowed, declare_nothing_to_report

    if not args.nothing_to_report:
        print("Hãy ghi tệp cần nạp, hoặc dùng --nothing-to-report --month YYYY-MM.", file=sys.stderr)
        return 2
    account = None
    if args.user:  # acting as a dashboard account: its role decides (without --user: the server's operator)
        from warehouse.accounts import Accounts

        account = Accounts(warehouse.home).get(args.user)
        if account is None:
            print(f"Không có tài khoản «{args.user}».", file=sys.stderr)
            return 2
    try:
        result = declare_nothing_to_report(
            warehouse,
            feed=args.feed,
            unit_code=args.unit.strip().upper(),
            month=month,
            uploaded_by=args.user,
            account=account,
            received_at=received_at,
        )
    except NotAllowed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, default=str))
    else:
        print(format_report(result, month=month))
    return 0 if result.ok else 1


def format_report(result, month=None) -> str:
    """The Vietnamese report of one upload, for people."""
    from kernel.formats import integer as fmt_int

    feed = c.FEEDS[result.feed].label_vi
    lines = [f"Tệp «{result.file_name}» — {feed} — đơn vị {result.unit_code}"]
    if result.status == "refused":
        lines.append(f"BỊ TỪ CHỐI cả tệp: {result.reason}")
        lines.append("Tệp gốc đã được lưu lại; sửa tệp rồi gửi lại.")
        return "\n".join(lines)
    if result.status == "duplicate" and month is not None:
        lines.append(
            f"Đã khai báo «Không có số liệu phát sinh» cho tháng {month:%m/%Y} trước đây "
            f"(lần gửi số {result.upload_id}); không có gì thay đổi."
        )
        return "\n".join(lines)
    if result.status == "duplicate":
        lines.append(f"Tệp này đã được nạp trước đây (lần gửi số {result.upload_id}); không có gì thay đổi.")
        return "\n".join(lines)
    if result.nothing_to_report:
        months = f" tháng {month:%m/%Y}" if month is not None else ""
        lines.append(
            f"Đã ghi nhận «Không có số liệu phát sinh»{months} (lần gửi số {result.upload_id}, 0 dòng): "
            "tháng này được tính là đơn vị đã gửi báo cáo."
        )
        return "\n".join(lines)
    lines.append(
        f"Đã nạp (lần gửi số {result.upload_id}): {fmt_int(result.rows_total)} dòng, "
        f"nhận {fmt_int(result.rows_accepted)} dòng "
        f"({fmt_int(result.rows_new)} mới, {fmt_int(result.rows_corrected)} đính chính), "
        f"loại {fmt_int(result.rows_rejected)} dòng."
    )
    if result.warning:
        lines.append(result.warning)
    if result.extra_columns:
        lines.append("Các cột không thuộc mẫu (đã để riêng, không nạp): " + ", ".join(result.extra_columns))
    if hint := result.date_order_hint:
        confirm = "" if hint["confirmed"] else " Nếu đúng, hãy chạy lại lệnh này với --date-order mdy."
        lines.append(f"Lưu ý về ngày: {hint['message']}{confirm}")
    if result.rows_rejected:
        lines.append("Các dòng bị loại:")
        shown = result.errors.head(200)
        for row in shown.iter_rows(named=True):
            lines.append(f"  - {row['message']}")
        if result.errors.height > shown.height:
            lines.append(
                f"  ... và {fmt_int(result.errors.height - shown.height)} lỗi khác "
                "(xem bảng rejected_rows bằng 'dothixanh sql')."
            )
    return "\n".join(lines)
