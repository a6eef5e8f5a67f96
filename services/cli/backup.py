"""`dothixanh backup | restore`: the whole ward to one archive and back."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from services.cli.common import open_warehouse


def register(sub) -> None:
    p = sub.add_parser(
        "backup",
        help="sao lưu toàn bộ phường ra một tệp",
        description="Ghi một tệp sao lưu (.tar.gz) gồm kho dữ liệu, các tệp gốc đơn vị đã gửi, tài khoản và "
        "câu truy vấn đã lưu, tệp thiết lập và các phiên bản cũ của nó, nhật ký. Bản sao được lấy nhất quán "
        "(các lần nạp chờ trong lúc sao chép kho) và có danh mục kèm mã băm SHA-256 của từng tệp.",
    )
    p.add_argument("--output", required=True, metavar="TỆP", help="tệp sao lưu ghi ra, ví dụ sao-luu.tar.gz")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="khôi phục phường từ một tệp sao lưu",
        description="Khôi phục kho dữ liệu, tệp gốc, tài khoản, thiết lập và nhật ký từ tệp do "
        "'dothixanh backup' ghi ra, vào một thư mục trống. Tệp không phải bản sao lưu của dothixanh, hoặc "
        "có tệp bị sửa, bị từ chối và không khôi phục gì.",
    )
    p.add_argument("archive", metavar="TỆP", help="tệp sao lưu (.tar.gz)")
    p.add_argument(
        "--home",
        dest="restore_home",
        metavar="THƯ_MỤC",
        help="thư mục khôi phục vào (mặc định: DOTHIXANH_HOME, hoặc ./data)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="khôi phục cả khi thư mục đã có dữ liệu (dữ liệu cũ được chuyển vào một thư mục con)",
    )
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args) -> int:
    from kernel.formats import integer as fmt_int
    from warehouse.backup import BackupError, create_backup
    from warehouse.events import log_event

    warehouse = open_warehouse()
    try:
        summary = create_backup(warehouse, Path(args.output), show_progress=sys.stderr.isatty())
    except BackupError as exc:
        log_event(warehouse.home, "backup", status="refused", reason=str(exc))
        print(f"Không sao lưu được: {exc}", file=sys.stderr)
        return 1
    n = summary.counts
    size = summary.path.stat().st_size
    log_event(warehouse.home, "backup", status="ok", file_name=str(summary.path), counts=n)
    print(
        f"Đã sao lưu vào {summary.path} ({fmt_int(size)} byte): {fmt_int(n['uploads'])} lần gửi, "
        f"{fmt_int(n['files'])} tệp gốc, {fmt_int(n['indicator_values'])} giá trị chỉ tiêu, "
        f"{fmt_int(n['accounts'])} tài khoản, {fmt_int(n['saved_queries'])} câu truy vấn đã lưu."
    )
    return 0


def cmd_restore(args) -> int:
    from kernel.formats import integer as fmt_int
    from warehouse.backup import BackupError, restore_backup
    from warehouse.store import default_home

    home = Path(args.restore_home).resolve() if args.restore_home else default_home()
    try:
        summary = restore_backup(
            Path(args.archive), home, force=args.force, show_progress=sys.stderr.isatty()
        )
    except BackupError as exc:
        print(f"Không khôi phục: {exc}", file=sys.stderr)
        return 1
    from warehouse.events import log_event

    n = summary.counts
    log_event(
        home, "restore", status="ok", file_name=str(summary.path), created_at=summary.manifest["created_at"]
    )
    created = dt.datetime.fromisoformat(summary.manifest["created_at"])
    print(
        f"Đã khôi phục bản sao lưu lúc {created:%d/%m/%Y %H:%M} vào {home}: {fmt_int(n['uploads'])} lần gửi, "
        f"{fmt_int(n['files'])} tệp gốc, {fmt_int(n['indicator_values'])} giá trị chỉ tiêu, "
        f"{fmt_int(n['accounts'])} tài khoản."
    )
    if summary.manifest.get("moved_aside"):
        print(f"Dữ liệu có trước đó được chuyển vào {summary.manifest['moved_aside']}.")
    return 0
