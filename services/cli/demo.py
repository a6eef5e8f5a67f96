"""`dothixanh demo | serve`: build the demo ward; start the dashboard (by path: nothing imports `dashboard`)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from services.cli.common import log_error, open_warehouse


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="tạo phường mẫu (số liệu giả lập) để xem thử",
        description="Sinh số liệu giả lập của một phường (các tổ dân phố, các đơn vị trong kế hoạch, bốn "
        "loại dữ liệu từ 05/2026) và nạp qua đúng đường nạp của đơn vị.",
    )
    p.add_argument("--until", metavar="NGÀY", help="ngày cuối của số liệu (yyyy-mm-dd; mặc định hôm nay)")
    p.add_argument("--scale", type=int, default=1, help="nhân số bản ghi lên N lần (cho đo hiệu năng)")
    p.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng hạt → cùng số liệu)")
    p.add_argument("--files-dir", metavar="THƯ_MỤC", help="nơi ghi các tệp đơn vị sinh ra")
    p.add_argument("--force", action="store_true", help="xóa kho hiện có trước khi tạo")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser(
        "serve",
        help="mở bảng điều khiển (dashboard) trên trình duyệt",
        description="Chạy bảng điều khiển Streamlit trên kho dữ liệu trong DOTHIXANH_HOME.",
    )
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="cổng (mặc định 8501)")
    p.set_defaults(handler=cmd_serve)


def cmd_demo(args) -> int:
    from pipelines.demo import build_demo

    until = dt.date.fromisoformat(args.until) if args.until else None
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
    return 0


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
