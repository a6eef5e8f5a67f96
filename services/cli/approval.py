"""`dothixanh submit | approve | return | lock | reopen`: the approval of monthly reports from the command line.

The rules and the role checks are in warehouse/approvals.py; this module only reads options
and prints the outcome in Vietnamese.
"""

from __future__ import annotations

import argparse
import json
import sys

from kernel import contracts as c
from services.cli.common import ward_warehouse

STATES_HELP = (
    "Trạng thái của một báo cáo tháng: chưa nhận → đã nhận → đã gửi duyệt → đã duyệt / trả lại → đã khóa.\n"
    'Xem trạng thái: dothixanh sql "SELECT unit_code, feed, month_key, state_vi FROM reporting_completeness"\n'
    'Nhật ký mọi thao tác: dothixanh sql "FROM approvals"'
)

COMMANDS = {
    "submit": (
        "đơn vị gửi duyệt số liệu một tháng của mình",
        "Đơn vị gửi duyệt số liệu tháng đã gửi (hoặc đã khai báo «không có số liệu phát sinh») của một "
        "loại dữ liệu. Chỉ tài khoản của chính đơn vị đó hoặc quản trị viên được gửi duyệt, sau khi tháng "
        "đã kết thúc. Báo cáo bị trả lại thì sửa, gửi lại tệp rồi gửi duyệt lại.",
        True,
    ),
    "approve": (
        "lãnh đạo (hoặc quản trị viên) duyệt báo cáo tháng đơn vị đã gửi duyệt",
        "Duyệt báo cáo tháng mà đơn vị đã gửi duyệt. Chỉ lãnh đạo (đơn vị chủ trì) hoặc quản trị viên "
        "được duyệt.",
        True,
    ),
    "return": (
        "lãnh đạo (hoặc quản trị viên) trả lại báo cáo tháng kèm ý kiến",
        "Trả lại báo cáo tháng đã gửi duyệt (hoặc đã duyệt nhưng chưa khóa sổ) để đơn vị sửa. Bắt buộc ghi "
        "ý kiến (--comment). Chỉ lãnh đạo hoặc quản trị viên được trả lại.",
        True,
    ),
    "lock": (
        "quản trị viên khóa sổ một tháng của một loại dữ liệu",
        "Khóa sổ một tháng của một loại dữ liệu khi mọi báo cáo của tháng đó đã được duyệt. Sau khi khóa, "
        "các dòng có ngày trong tháng này bị từ chối (các dòng khác của tệp vẫn được nạp). Chỉ quản trị "
        "viên được khóa sổ.",
        False,
    ),
    "reopen": (
        "quản trị viên mở khóa một tháng đã khóa sổ, kèm lý do",
        "Mở khóa một tháng đã khóa sổ để nhận số liệu sửa. Bắt buộc ghi lý do (--comment). Chỉ quản trị "
        "viên được mở khóa; các báo cáo của tháng trở về trạng thái «đã duyệt».",
        False,
    ),
}


def register(sub) -> None:
    """Add the five approval commands to the `dothixanh` parser."""
    feeds = ", ".join(f"{name} ({contract.label_vi})" for name, contract in c.FEEDS.items())
    for name, (short, description, with_unit) in COMMANDS.items():
        p = sub.add_parser(
            name,
            help=short,
            description=f"{description}\n\n{STATES_HELP}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("--feed", required=True, metavar="LOẠI", help=f"loại dữ liệu: {feeds}")
        if with_unit:
            p.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị có báo cáo, ví dụ CAP")
        p.add_argument("--month", required=True, metavar="YYYY-MM", help="tháng báo cáo, ví dụ 2026-10")
        p.add_argument(
            "--by", required=True, metavar="TÀI_KHOẢN", help="tài khoản thực hiện (vai trò được kiểm tra)"
        )
        comment = "ý kiến (bắt buộc)" if name in ("return", "reopen") else "ý kiến kèm theo (không bắt buộc)"
        p.add_argument("--comment", metavar="Ý_KIẾN", help=comment)
        p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        p.set_defaults(handler=run, approval_action=name)


def run(args) -> int:
    """Do one approval action; exit 0 when done, 1 when refused, 2 without a warehouse."""
    from warehouse.approvals import ApprovalRefused, act

    warehouse = ward_warehouse("«dothixanh init»")
    if warehouse is None:
        return 2
    try:
        result = act(
            warehouse,
            args.approval_action,
            feed=args.feed,
            month=args.month,
            by=args.by,
            unit_code=getattr(args, "unit", None),
            comment=args.comment,
        )
    except ApprovalRefused as refused:
        if args.json:
            print(json.dumps({"status": "refused", "reason": refused.message}, ensure_ascii=False))
        else:
            print(f"Không thực hiện được: {refused.message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(result.message)
        if warehouse.after_commit_warning:
            print(
                "Thao tác đã được lưu, nhưng bảng điều khiển chưa cập nhật được "
                f"({warehouse.after_commit_warning}); sẽ tự cập nhật ở lần ghi tiếp theo.",
                file=sys.stderr,
            )
    return 0
