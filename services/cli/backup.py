"""`dothixanh backup | restore`: the whole ward to one archive and back."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from services.cli.common import open_warehouse, text


def register(sub) -> None:
    p = sub.add_parser("backup", help=text("backup", "help"), description=text("backup", "description"))
    p.add_argument("--output", required=True, metavar="TỆP", help=text("backup", "--output"))
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help=text("restore", "help"), description=text("restore", "description"))
    p.add_argument("archive", metavar="TỆP", help=text("restore", "archive"))
    p.add_argument("--home", dest="restore_home", metavar="THƯ_MỤC", help=text("restore", "--home"))
    p.add_argument("--force", action="store_true", help=text("restore", "--force"))
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
