"""`dothixanh demo | serve`: build the demo ward; start the dashboard (by path: nothing imports `dashboard`)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from services.cli.common import log_error, open_warehouse, text


def register(sub) -> None:
    p = sub.add_parser("demo", help=text("demo", "help"), description=text("demo", "description"))
    span = p.add_mutually_exclusive_group()
    span.add_argument("--until", metavar="NGÀY", help=text("demo", "--until"))
    span.add_argument("--years", type=int, metavar="SỐ_NĂM", help=text("demo", "--years"))
    p.add_argument("--scale", type=int, default=1, help=text("demo", "--scale"))
    p.add_argument("--seed", type=int, default=2026, help=text("demo", "--seed"))
    p.add_argument("--files-dir", metavar="THƯ_MỤC", help=text("demo", "--files-dir"))
    p.add_argument("--force", action="store_true", help=text("demo", "--force"))
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("serve", help=text("serve", "help"), description=text("serve", "description"))
    p.add_argument("--host", default="127.0.0.1", help=text("serve", "--host"))
    p.add_argument("--port", type=int, default=8501, help=text("serve", "--port"))
    p.set_defaults(handler=cmd_serve)


def cmd_demo(args) -> int:
    from pipelines.demo import build_demo

    until = dt.date.fromisoformat(args.until) if args.until else None
    if getattr(args, "years", None) is not None:
        try:
            until = years_until(args.years)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    summary = build_demo(
        open_warehouse(),
        until=until,
        scale=args.scale,
        seed=args.seed,
        files_dir=Path(args.files_dir) if args.files_dir else None,
        force=args.force,
        show_progress=True,  # a bar on a terminal, a line every few seconds in a log
    )
    print(summary)
    if until is not None and until > dt.date.today():
        print(synthetic_note(until))
    return 0


def years_until(years: int) -> dt.date:
    """`demo --years N`: the last day of the campaign's N-th calendar year (1 → 31/12/2026, 5 → 31/12/2030)."""
    from pipelines.demo.ward import START

    if not 1 <= years <= 5:
        raise ValueError("Số năm --years phải từ 1 đến 5 (phong trào kéo dài 2026–2030).")
    return dt.date(START.year + years - 1, 12, 31)


def synthetic_note(until: dt.date) -> str:
    """The line a build past today prints: its later months are made up, its as-of day is `until`."""
    from kernel.formats import date as fmt_date

    return (
        f"Lưu ý: đây là số liệu tổng hợp (giả lập) để đo hiệu năng; các tháng sau hôm nay "
        f"({fmt_date(dt.date.today())}) chưa xảy ra. Phường mẫu này lấy ngày {fmt_date(until)} làm "
        "ngày tính số liệu: không bản ghi nào có ngày sau ngày đó."
    )


def serve_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line of the dashboard (its settings: dashboard/.streamlit/config.toml).

    It runs dashboard/server.py: the app plus the routes of the session cookie."""
    from services.ingest import max_upload_mb

    app = Path(__file__).resolve().parents[2] / "dashboard" / "server.py"
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.maxUploadSize",
        str(max_upload_mb()),
        "--browser.gatherUsageStats",
        "false",
    ]


def cmd_serve(args) -> int:
    """Become the Streamlit server (exec, not a child): a service manager's signals reach it directly."""
    warehouse = open_warehouse()
    if warehouse.master_path.exists():
        # Finish what a crash left undone (a marts refresh, a publish) before anyone reads. Whatever
        # happens, the dashboard starts: it serves the last published snapshot meanwhile.
        try:
            warning = (warehouse.catch_up() or {}).get("warning")
        except Exception as exc:
            log_error("serve", exc)
            warning = str(exc)
        if warning:
            print(f"Lưu ý: chưa cập nhật được bảng điều khiển: {warning}", file=sys.stderr)
    command = serve_command(args.host, args.port)
    print(f"Mở bảng điều khiển tại http://{args.host}:{args.port} (Ctrl+C để dừng)", flush=True)
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached: the process is now Streamlit
