"""The `dothixanh` command: set up a ward, load unit files, query the warehouse, build the demo."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from pathlib import Path

from pipelines import contracts as c

DESCRIPTION = """\
dothixanh — bảng chỉ tiêu phong trào "Đô thị Xanh - Văn minh - Hiện đại" (phường Lê Chân).

Kho dữ liệu nằm trong thư mục DOTHIXANH_HOME (mặc định: thư mục data/ tại nơi chạy lệnh).
Chạy "dothixanh LỆNH --help" để xem hướng dẫn từng lệnh.
"""

# Modules that add their own commands: each has `register(sub)`, which adds its sub-parsers (made
# with parser_class=_Parser through `sub`) and sets `handler=` on each with `set_defaults`.
COMMAND_MODULES: tuple[str, ...] = (
    "pipelines.settings_cli",
    "pipelines.cli_approval",
    "pipelines.indicators_cli",
    "pipelines.feeds_cli",
    "pipelines.city_cli",
)


class _Parser(argparse.ArgumentParser):
    """argparse with its headings and help option in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # argparse's own wording is English; say it plainly
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {message}\nXem hướng dẫn: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dothixanh",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--home",
        help="thư mục kho dữ liệu (mặc định: biến môi trường DOTHIXANH_HOME, hoặc ./data)",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    p = sub.add_parser(
        "init",
        help="tạo (hoặc cập nhật) phường từ danh sách tổ dân phố và danh sách đơn vị",
        description="Tạo kho dữ liệu cho một phường từ hai tệp: danh sách tổ dân phố (groups.csv) "
        "và danh sách đơn vị (units.csv). Chạy lại với tệp mới để lưu phiên bản mới.",
    )
    p.add_argument("--groups", required=True, metavar="TỆP", help="tệp danh sách tổ dân phố (CSV/XLSX)")
    p.add_argument("--units", required=True, metavar="TỆP", help="tệp danh sách đơn vị (CSV/XLSX)")
    p.add_argument(
        "--valid-from",
        metavar="NGÀY",
        help="ngày phiên bản mới bắt đầu áp dụng, dạng dd/mm/yyyy (mặc định: hôm nay); mỗi tháng dùng "
        "phiên bản có hiệu lực vào ngày cuối tháng, nên các tháng đã qua giữ nguyên số hộ, số dân",
    )

    p = sub.add_parser(
        "ingest",
        help="nạp một tệp số liệu của đơn vị",
        description="Đọc, kiểm tra và nạp một tệp số liệu. Dòng hợp lệ được nạp; dòng lỗi được giữ "
        "lại kèm lý do; tệp gốc được lưu nguyên vẹn. Gửi lại đúng tệp cũ sẽ không thay đổi gì.",
    )
    p.add_argument("file", metavar="TỆP", nargs="?", help="tệp CSV, TXT (Unicode) hoặc XLSX")
    p.add_argument("--feed", required=True, choices=list(c.FEEDS), help="loại dữ liệu")
    p.add_argument(
        "--nothing-to-report",
        action="store_true",
        help="khai báo «Không có số liệu phát sinh» cho đơn vị, loại dữ liệu và tháng --month (không cần tệp); "
        "tháng đó được tính là đã nhận báo cáo",
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="tháng báo cáo: bắt buộc với --nothing-to-report; với tệp chỉ có dòng tiêu đề, tệp được ghi "
        "nhận là «Không có số liệu phát sinh» của tháng này",
    )
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị gửi tệp (ví dụ CAP)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho máy đọc)")
    p.add_argument(
        "--user",
        metavar="TÊN",
        help="tài khoản người gửi (ghi vào lịch sử tải lên; mặc định: tên đăng nhập trên máy chủ)",
    )
    p.add_argument(
        "--received-at",
        metavar="NGÀY",
        help="thời điểm nhận tệp, dạng yyyy-mm-ddTHH:MM (mặc định: bây giờ); dùng khi nhập lại tệp cũ",
    )
    p.add_argument(
        "--date-order",
        choices=["dmy", "mdy"],
        default="dmy",
        help="cách tệp ghi ngày dạng 7/3/2026: dmy = ngày/tháng/năm (mặc định, cách ghi ở Việt Nam); "
        "mdy = tháng/ngày/năm (máy tính đặt kiểu Anh-Mỹ, ví dụ 7/14/2026 là ngày 14 tháng 7). "
        "Chỉ chọn mdy khi kết quả nạp báo tệp ghi ngày theo kiểu tháng/ngày/năm",
    )

    p = sub.add_parser(
        "sql",
        help="chạy một câu truy vấn chỉ-đọc trên kho dữ liệu",
        description="Chạy một câu SELECT trên các bảng xem (violations, cleanups, sorting_inspections, "
        "lighting_repairs, residential_groups, units, uploads, rejected_rows, indicators, indicator_values, "
        "league_table, league_components, reporting_completeness, reporting_summary, evaluation_snapshots, "
        "evaluation_changes) và các bảng marts.*. Không thể ghi hay "
        "đọc tệp ngoài kho.",
    )
    p.add_argument("query", metavar="CÂU_TRUY_VẤN")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="định dạng in ra")
    p.add_argument("--max-rows", type=int, default=10_000, help="số dòng tối đa in ra (mặc định 10000)")
    p.add_argument(
        "--timeout",
        type=float,
        help="dừng truy vấn sau số giây này (mặc định: biến môi trường DOTHIXANH_SQL_TIMEOUT, hoặc 30); "
        "giới hạn bộ nhớ theo DOTHIXANH_SQL_MEMORY (mặc định 2GB)",
    )

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

    p = sub.add_parser(
        "serve",
        help="mở bảng điều khiển (dashboard) trên trình duyệt",
        description="Chạy bảng điều khiển Streamlit trên kho dữ liệu trong DOTHIXANH_HOME.",
    )
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="cổng (mặc định 8501)")

    p = sub.add_parser(
        "backup",
        help="sao lưu toàn bộ phường ra một tệp",
        description="Ghi một tệp sao lưu (.tar.gz) gồm kho dữ liệu, các tệp gốc đơn vị đã gửi, tài khoản và "
        "câu truy vấn đã lưu, tệp thiết lập và các phiên bản cũ của nó, nhật ký. Bản sao được lấy nhất quán "
        "(các lần nạp chờ trong lúc sao chép kho) và có danh mục kèm mã băm SHA-256 của từng tệp.",
    )
    p.add_argument("--output", required=True, metavar="TỆP", help="tệp sao lưu ghi ra, ví dụ sao-luu.tar.gz")

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

    p = sub.add_parser(
        "template",
        help="tạo tệp mẫu để đơn vị điền số liệu",
        description="Ghi tệp mẫu (CSV UTF-8 có BOM hoặc XLSX) của một loại dữ liệu, có tên cột tiếng "
        "Việt, tên chuẩn và một dòng ví dụ.",
    )
    p.add_argument("--feed", required=True, choices=list(c.ALL_CONTRACTS), help="loại dữ liệu")
    p.add_argument("--output", required=True, metavar="TỆP", help="tệp ghi ra (.csv hoặc .xlsx)")

    p = sub.add_parser(
        "expectations",
        help="kiểm tra hoặc tạo lại bộ quy tắc Great Expectations từ hợp đồng dữ liệu",
        description="Bộ quy tắc trong expectations/suites/ được sinh từ pipelines/contracts.py.",
    )
    p.add_argument("--write", action="store_true", help="ghi lại các bộ quy tắc")

    p = sub.add_parser(
        "evaluate",
        help="bảng xếp hạng thi đua các tổ dân phố của một kỳ đánh giá (và chốt số liệu)",
        description="In bảng xếp hạng thi đua của một kỳ đánh giá: điểm tổng hợp, thứ hạng, xếp loại và "
        "điểm thành phần của từng chỉ tiêu (giá trị, chỉ tiêu, trọng số). Các kỳ: conference-2026 (hội nghị "
        "tháng 12/2026), one-year (tổng kết 01 năm), end-of-period (cuối giai đoạn 2026 - 2030) và các kỳ "
        "phường thêm trong settings.toml. Với --freeze, lưu lại bảng xếp hạng đúng như hiện tại (kèm "
        "thiết lập và mã băm) để trình hội nghị và đối chiếu về sau.",
    )
    p.add_argument(
        "--evaluation",
        metavar="TÊN_KỲ",
        help="tên kỳ đánh giá, ví dụ conference-2026 (bắt buộc, trừ với --verify)",
    )
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho máy đọc)")
    p.add_argument(
        "--freeze",
        action="store_true",
        help="chốt số liệu của kỳ đánh giá (lưu bản chốt); cần --user là tài khoản lãnh đạo hoặc quản trị",
    )
    p.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú cho bản chốt (ví dụ: số liệu trình hội nghị)")
    p.add_argument("--user", metavar="TÊN", help="tài khoản chốt (lãnh đạo hoặc quản trị; ghi vào bản chốt)")
    p.add_argument(
        "--verify",
        type=int,
        metavar="SỐ",
        help="kiểm tra bản chốt số SỐ: tính lại từ kho dữ liệu như lúc chốt và so sánh (thoát 0 khi khớp, 1 khi không)",
    )
    p.add_argument("--snapshot", type=int, metavar="SỐ", help="in bản đã chốt số SỐ thay vì số liệu hiện tại")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="tính lại các chỉ tiêu đến hôm nay trước khi in (cần quyền ghi)",
    )

    p = sub.add_parser(
        "report",
        help="xuất báo cáo kết quả một kỳ đánh giá ra tệp Excel (xlsx) hoặc PDF",
        description="Xuất báo cáo của một kỳ đánh giá để in hoặc gửi đi: chỉ tiêu toàn phường so với chỉ "
        "tiêu của kỳ, bảng xếp hạng thi đua các tổ dân phố, điểm thành phần, cách tính điểm và tình hình "
        "gửi báo cáo của các đơn vị. Tệp Excel có mỗi phần một trang tính; tệp PDF khổ A4 có thêm biểu đồ.",
    )
    p.add_argument(
        "--evaluation", required=True, metavar="TÊN_KỲ", help="tên kỳ đánh giá, ví dụ conference-2026"
    )
    p.add_argument(
        "--format",
        choices=["xlsx", "pdf"],
        help="định dạng tệp (mặc định: theo đuôi tên tệp ghi ra)",
    )
    p.add_argument("--output", required=True, metavar="TỆP", help="tệp ghi ra, ví dụ bao-cao.pdf")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ của báo cáo (mặc định vi)")
    p.add_argument(
        "--snapshot",
        type=int,
        metavar="SỐ",
        help="dùng số liệu của bản đã chốt số SỐ thay vì số liệu hiện tại",
    )

    p = sub.add_parser(
        "user",
        help="quản lý tài khoản đăng nhập bảng điều khiển",
        description="Thêm, xóa, đổi mật khẩu và liệt kê tài khoản. Vai trò: leader (lãnh đạo), analyst "
        "(chuyên viên phân tích), unit (đơn vị báo cáo, gắn với một mã đơn vị), admin (quản trị).",
    )
    users = p.add_subparsers(dest="user_command", metavar="VIỆC", parser_class=_Parser)
    q = users.add_parser("add", help="thêm tài khoản", description="Thêm một tài khoản mới.")
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q.add_argument("--role", required=True, choices=["leader", "analyst", "unit", "admin"], help="vai trò")
    q.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị (bắt buộc với vai trò unit)")
    q.add_argument("--name", metavar="HỌ_TÊN", help="họ tên người dùng")
    q.add_argument(
        "--password-stdin", action="store_true", help="đọc mật khẩu từ đầu vào chuẩn (dùng trong kịch bản)"
    )
    q = users.add_parser("remove", help="xóa tài khoản", description="Xóa một tài khoản.")
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q = users.add_parser("passwd", help="đổi mật khẩu", description="Đặt mật khẩu mới cho một tài khoản.")
    q.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    q.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ đầu vào chuẩn")
    users.add_parser("list", help="liệt kê tài khoản", description="Liệt kê các tài khoản và vai trò.")

    p = sub.add_parser(
        "export",
        help="xuất mọi bảng xem và bảng chỉ tiêu ra tệp Parquet",
        description="Ghi mỗi bảng xem (violations, uploads...) và mỗi bảng chỉ tiêu (marts.*) thành một tệp "
        "Parquet trong THƯ_MỤC, để mở bằng công cụ khác (Python, R, Excel Power Query...).",
    )
    p.add_argument("--format", choices=["parquet"], default="parquet", help="định dạng (hiện có: parquet)")
    p.add_argument("--output", required=True, metavar="THƯ_MỤC", help="thư mục ghi ra")

    p = sub.add_parser(
        "dictionary",
        help="kiểm tra hoặc tạo lại từ điển dữ liệu (docs/data-dictionary.md)",
        description="Từ điển dữ liệu được sinh từ chú thích (COMMENT) của một kho dữ liệu mới tạo.",
    )
    p.add_argument("--write", action="store_true", help="ghi lại từ điển")

    p = sub.add_parser(
        "docs",
        help="kiểm tra hoặc tạo lại tài liệu mẫu tệp (docs/feeds.md) từ hợp đồng dữ liệu",
        description="Tài liệu docs/feeds.md được sinh từ pipelines/contracts.py.",
    )
    p.add_argument("--write", action="store_true", help="ghi lại tài liệu")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["DOTHIXANH_HOME"] = args.home
    if not args.command:
        parser.print_help()
        return 0
    handler = getattr(args, "handler", None) or globals()[f"cmd_{args.command}"]
    try:
        return handler(args) or 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback to a user: the details go to the event log
        where = _log_error(args.command, exc)
        print(f"Lỗi không mong đợi khi chạy «dothixanh {args.command}»: {exc}", file=sys.stderr)
        print(f"Chi tiết đã ghi vào {where}.", file=sys.stderr)
        return 1


def _log_error(command: str, exc: BaseException):
    """Record an unexpected error in DOTHIXANH_HOME/logs/events.jsonl; return where it went."""
    from warehouse.events import events_path, log_error

    log_error(None, f"cli:{command}", exc)
    return events_path()


def _login_name() -> str | None:
    """Who ran the command, so every upload records an account even without --user."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _warehouse():
    from warehouse.store import Warehouse

    return Warehouse()


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"Không mở được tệp «{path}»: {exc.strerror}.") from None


def cmd_init(args) -> int:
    from pipelines.ingest import ReferenceRefused, save_reference_lists
    from pipelines.reference_dates import InvalidDate, describe_saved, parse_valid_from

    try:
        valid_from = parse_valid_from(args.valid_from)
    except InvalidDate as exc:
        print(str(exc), file=sys.stderr)
        return 2
    warehouse = _warehouse()
    try:
        saved = save_reference_lists(
            warehouse,
            (_read_file(args.groups), Path(args.groups).name),
            (_read_file(args.units), Path(args.units).name),
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

    warehouse = _warehouse()
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
    data = _read_file(args.file)
    bar, step = _progress_bar(sys.stderr.isatty() and not args.json)
    try:
        # The file is judged in a sandboxed worker: this home's warm service when one runs.
        result = ingest(
            warehouse,
            data,
            feed=args.feed,
            unit_code=args.unit.strip().upper(),
            file_name=Path(args.file).name,
            uploaded_by=args.user or _login_name(),
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
    from pipelines.messages import fmt_int

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


def cmd_sql(args) -> int:
    import dataclasses
    import getpass

    from warehouse.query import Limits, QueryError, run_readonly

    try:
        limits = Limits.from_env()  # DOTHIXANH_SQL_TIMEOUT and DOTHIXANH_SQL_MEMORY, as the dashboard
    except ValueError:
        value = os.environ.get("DOTHIXANH_SQL_TIMEOUT")
        print(f"DOTHIXANH_SQL_TIMEOUT=«{value}» không phải một số giây (ví dụ 30).", file=sys.stderr)
        return 2
    if args.timeout is not None:
        limits = dataclasses.replace(limits, timeout_s=args.timeout)
    try:
        frame, truncated = run_readonly(
            _warehouse(),
            args.query,
            max_rows=args.max_rows,
            limits=limits,
            user=f"cli:{getpass.getuser()}",
        )
    except QueryError as exc:
        print(f"Lỗi truy vấn: {exc}", file=sys.stderr)
        if exc.detail:
            print(f"  (thông báo gốc của DuckDB: {exc.detail})", file=sys.stderr)
        return 1
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    elif args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str))
    else:
        import polars as pl

        with pl.Config(tbl_rows=min(frame.height, 100), tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
            print(frame)
    if truncated:
        print(f"(Chỉ in {args.max_rows} dòng đầu; kết quả còn nữa.)", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    from pipelines.demo import build_demo

    until = dt.date.fromisoformat(args.until) if args.until else None
    summary = build_demo(
        _warehouse(),
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
    from dashboard.data import max_upload_mb

    app = Path(__file__).resolve().parent.parent / "dashboard" / "server.py"
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
    warehouse = _warehouse()
    if warehouse.master_path.exists():
        # Finish what a crash left undone (a marts refresh, a publish) before anyone reads. Whatever
        # happens, the dashboard starts: it serves the last published snapshot meanwhile.
        try:
            warning = (warehouse.catch_up() or {}).get("warning")
        except Exception as exc:
            _log_error("serve", exc)
            warning = str(exc)
        if warning:
            print(f"Lưu ý: chưa cập nhật được bảng điều khiển: {warning}", file=sys.stderr)
    command = serve_command(args.host, args.port)
    print(f"Mở bảng điều khiển tại http://{args.host}:{args.port} (Ctrl+C để dừng)", flush=True)
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached: the process is now Streamlit


def cmd_backup(args) -> int:
    from pipelines.messages import fmt_int
    from warehouse.backup import BackupError, create_backup
    from warehouse.events import log_event

    warehouse = _warehouse()
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
    from pipelines.messages import fmt_int
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


def cmd_template(args) -> int:
    from pipelines.templates import write_template

    path = write_template(c.ALL_CONTRACTS[args.feed], Path(args.output))
    print(f"Đã ghi tệp mẫu {path}")
    return 0


def cmd_expectations(args) -> int:
    from expectations.suites import stale_suites, write_all

    if args.write:
        for path in write_all():
            print(f"Đã ghi {path}")
        return 0
    stale = stale_suites()
    if stale:
        print("Các bộ quy tắc đã cũ so với hợp đồng dữ liệu: " + ", ".join(stale), file=sys.stderr)
        print("Chạy 'dothixanh expectations --write' để tạo lại.", file=sys.stderr)
        return 1
    print("Các bộ quy tắc khớp với hợp đồng dữ liệu.")
    return 0


def _read_password(from_stdin: bool) -> str:
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise SystemExit("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_user(args) -> int:
    from warehouse.accounts import ROLES, AccountError, Accounts

    accounts = Accounts()
    try:
        if args.user_command == "add":
            user = accounts.add_user(
                args.username,
                _read_password(args.password_stdin),
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
            accounts.set_password(args.username, _read_password(args.password_stdin))
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


def cmd_export(args) -> int:
    from tqdm import tqdm

    from warehouse.export import export_parquet

    warehouse = _warehouse()
    if not warehouse.exists():
        print(f"Chưa có kho dữ liệu trong {warehouse.home}.", file=sys.stderr)
        return 1
    bar = tqdm(desc="Xuất Parquet", unit=" bảng", file=sys.stderr, disable=not sys.stderr.isatty())
    written = export_parquet(warehouse, Path(args.output), progress=lambda name: bar.update(1))
    bar.close()
    print(f"Đã ghi {len(written)} tệp Parquet vào {Path(args.output).resolve()}.")
    return 0


def _check_or_write(module, write: bool, name: str, command: str, source: str) -> int:
    """A generated document: write it, or say whether the committed copy is current."""
    if write:
        print(f"Đã ghi {module.write()}")
        return 0
    if module.is_stale():
        print(f"{name} đã cũ; chạy 'dothixanh {command} --write'.", file=sys.stderr)
        return 1
    print(f"{name} khớp với {source}.")
    return 0


def cmd_dictionary(args) -> int:
    from warehouse import dictionary

    return _check_or_write(dictionary, args.write, "docs/data-dictionary.md", "dictionary", "kho dữ liệu")


def cmd_docs(args) -> int:
    from pipelines import docs

    return _check_or_write(docs, args.write, "docs/feeds.md", "docs", "hợp đồng dữ liệu")


def fmt_number(value: float | None, decimals: int = 1) -> str:
    """1234.5 → "1.234,5" (Vietnamese separators); None → "—"."""
    from pipelines.formats import number

    return number(value, decimals)


def cmd_evaluate(args) -> int:
    import duckdb

    from pipelines.freeze_cli import freezer_role, run_verify
    from warehouse import evaluation as ev
    from warehouse.refresh import refresh_marts
    from warehouse.settings import SettingsError, load_settings

    warehouse = _warehouse()
    if not warehouse.exists():
        print(
            f"Chưa có kho dữ liệu trong {warehouse.home}. Hãy chạy 'dothixanh init' trước.", file=sys.stderr
        )
        return 2
    if args.verify is not None:
        return run_verify(warehouse, args.verify, as_json=args.json)
    if not args.evaluation:
        print("Hãy ghi kỳ đánh giá: --evaluation TÊN_KỲ (ví dụ conference-2026).", file=sys.stderr)
        return 2
    role = None
    if args.freeze:
        role, refusal = freezer_role(warehouse.home, args.user)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
    try:
        settings = load_settings(warehouse.home)
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    with warehouse.reading() as con:
        try:
            stored = con.sql("SELECT sha256, as_of FROM marts.settings_source").fetchall()
        except duckdb.CatalogException:
            stored = []
    # The ward edited settings.toml since the last refresh: recompute with it (same as-of date).
    stale = not stored or stored[0][0] != settings.sha256
    snap = None
    if stale or args.refresh or args.freeze:
        with warehouse.writing() as con:
            if stale or args.refresh:
                as_of = None if args.refresh or not stored else stored[0][1]
                refresh_marts(con, warehouse.home, today=as_of, settings=settings)
            if args.freeze:
                try:
                    snap = ev.freeze(con, args.evaluation, frozen_by=args.user, role=role, note=args.note)
                except ev.UnknownEvaluation as exc:
                    print(str(exc), file=sys.stderr)
                    return 2
    with warehouse.reading() as con:
        try:
            info = ev.evaluation_info(con, args.evaluation)
            if args.json:
                rows = ev.league_json(con, args.evaluation, args.snapshot)
                print(json.dumps(rows, ensure_ascii=False, default=str))
            else:
                print(format_league(con, info, args.snapshot))
        except (ev.UnknownEvaluation, ev.UnknownSnapshot) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    if snap is not None:
        print(
            f"Đã chốt kỳ «{args.evaluation}»: bản chốt số {snap.snapshot_id}, lúc "
            f"{snap.frozen_at:%d/%m/%Y %H:%M}, mã băm nội dung {snap.content_sha256}.",
            file=sys.stderr if args.json else sys.stdout,
        )
    return 0


def format_league(con, info, snapshot_id: int | None = None) -> str:
    """The league table of an evaluation, for people: ranks, scores, tiers and the components behind them."""
    from warehouse import evaluation as ev

    table = ev.league_table(con, info.name, snapshot_id)
    components = ev.league_components(con, info.name, snapshot_id)
    lines = [f"Bảng xếp hạng thi đua: {info.label_vi} [{info.name}]"]
    as_of = info.as_of
    if snapshot_id is not None:
        snap = ev.snapshot(con, info.name, snapshot_id)
        as_of = snap.as_of
        lines.append(
            f"BẢN ĐÃ CHỐT số {snap.snapshot_id}, lúc {snap.frozen_at:%d/%m/%Y %H:%M}; "
            f"mã băm nội dung {snap.content_sha256[:16]}…"
        )
    lines.append(
        f"Kỳ đánh giá {info.start:%d/%m/%Y} - {info.end:%d/%m/%Y}; số liệu tính đến {as_of:%d/%m/%Y}."
    )
    if snapshot_id is None:
        from warehouse.completeness import window_note_vi

        if note := window_note_vi(con, info.name):
            lines.append(f"LƯU Ý: {note}")
    lines.append("")
    width = max([len("Tổ dân phố"), *(len(n) for n in table["group_name"])])
    lines.append(f"{'Hạng':>4}  {'Mã':<8} {'Tổ dân phố':<{width}}  {'Điểm':>6}  Xếp loại")
    for row in table.iter_rows(named=True):
        rank = str(row["rank"]) if row["rank"] is not None else "-"
        if row["rank"] is None and "ranked" in row:
            continue  # listed under the table, with the reason
        lines.append(
            f"{rank:>4}  {row['group_code']:<8} {row['group_name']:<{width}}  "
            f"{fmt_number(row['score']):>6}  {row['tier']}"
        )
    unranked = [r for r in table.iter_rows(named=True) if r["rank"] is None]
    if len(unranked) == table.height:
        lines.append("   -  (chưa có tổ nào đủ điều kiện xếp hạng)")
    if unranked:
        from warehouse.completeness import split_reasons

        common, own = split_reasons([r.get("unranked_reason_vi") or r.get("note_vi") for r in unranked])
        lines.append("")
        lines.append(f"Chưa xếp hạng ({len(unranked)} tổ):")
        if common:
            lines.append(f"  Lý do chung: {common}.")
        for row, reason in zip(unranked, own, strict=True):
            lines.append(f"  - {row['group_code']} {row['group_name']}" + (f": {reason}" if reason else ""))
    lines.append("")
    lines.append(
        "Điểm thành phần (0 - 100: đạt chỉ tiêu = 50, tổ tốt nhất = 100, tổ kém nhất = 0; "
        "điểm tổng hợp = trung bình theo trọng số của các chỉ tiêu đã chấm):"
    )
    for row in table.iter_rows(named=True):
        lines.append(f"{row['group_code']} {row['group_name']}: {fmt_number(row['score'])} điểm")
        if row["note_vi"]:
            lines.append(f"  ({row['note_vi']})")
        for comp in components.filter(c_group(row["group_code"])).iter_rows(named=True):
            head = f"  · {comp['indicator_name_vi']} (trọng số {fmt_number(comp['weight'], 0)}): "
            if comp.get("data_status") == "provisional":
                head += f"[{comp['data_status_vi']}] "
            if comp["status"] == "scored":
                lines.append(
                    head + f"{_with_unit(comp['raw_value'], comp['unit_vi'])}, chỉ tiêu "
                    f"{_with_unit(comp['target'], comp['unit_vi'])} → {fmt_number(comp['component_score'])} điểm"
                )
            else:
                value = (
                    "" if comp["raw_value"] is None else _with_unit(comp["raw_value"], comp["unit_vi"]) + "; "
                )
                lines.append(head + value + comp["status_vi"])
    from pipelines.settings_cli import sample_targets_line

    sample = sample_targets_line(con, info.name)
    if sample:
        lines += ["", sample]
    if snapshot_id is None:
        snaps = ev.snapshots(con, info.name)
        if snaps:
            last = snaps[-1]
            changed = ev.changes_since(con, info.name)
            if changed.is_empty():
                lines.append("")
                lines.append(
                    f"Không có thay đổi kể từ bản chốt số {last.snapshot_id} ({last.frozen_at:%d/%m/%Y %H:%M})."
                )
            else:
                lines.append("")
                lines.append(
                    f"Thay đổi kể từ bản chốt số {last.snapshot_id} ({last.frozen_at:%d/%m/%Y %H:%M}):"
                )
                for ch in changed.iter_rows(named=True):
                    lines.append(
                        f"  · {ch['group_code']}: hạng {ch['frozen_rank'] or '-'} → {ch['live_rank'] or '-'}, "
                        f"điểm {fmt_number(ch['frozen_score'])} → {fmt_number(ch['live_score'])}, "
                        f"xếp loại {ch['frozen_tier'] or '-'} → {ch['live_tier'] or '-'}"
                    )
    return "\n".join(lines)


def _with_unit(value: float | None, unit: str) -> str:
    return fmt_number(value) + ("" if unit == "%" else " ") + unit


def c_group(code: str):
    import polars as pl

    return pl.col("group_code") == code


def cmd_report(args) -> int:
    import duckdb

    from dashboard.reports import evaluation_report_data, to_pdf, to_xlsx
    from pipelines.messages import fmt_int
    from warehouse import evaluation as ev
    from warehouse.settings import FILE_NAME

    output = Path(args.output)
    kind = args.format or output.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "pdf"):
        print(
            f"Không rõ định dạng của tệp «{output.name}»: ghi thêm --format xlsx hoặc --format pdf.",
            file=sys.stderr,
        )
        return 2
    warehouse = _warehouse()
    if not warehouse.exists():
        print(
            f"Chưa có kho dữ liệu trong {warehouse.home}. Hãy chạy 'dothixanh init' trước.", file=sys.stderr
        )
        return 2
    try:
        with warehouse.reading() as con:
            data = evaluation_report_data(con, args.evaluation, snapshot_id=args.snapshot)
    except (ev.UnknownEvaluation, ev.UnknownSnapshot) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except duckdb.CatalogException:
        print(
            "Kho dữ liệu chưa có các bảng chỉ tiêu. Hãy chạy "
            f"'dothixanh evaluate --evaluation {args.evaluation} --refresh' rồi xuất lại báo cáo.",
            file=sys.stderr,
        )
        return 1
    content = to_xlsx(data, lang=args.lang) if kind == "xlsx" else to_pdf(data, lang=args.lang)
    # Written beside the target then renamed: an interrupted run never leaves half a report.
    partial = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(content)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        print(f"Không ghi được tệp «{output}»: {exc.strerror}.", file=sys.stderr)
        return 1
    source = "số liệu hiện tại" if data.snapshot is None else f"bản chốt số {data.snapshot.snapshot_id}"
    print(
        f"Đã ghi báo cáo «{data.label_vi}» ({source}) ra tệp {kind.upper()} {output} "
        f"({fmt_int(len(content))} byte)."
    )
    settings_file = warehouse.home / FILE_NAME
    if data.snapshot is None and settings_file.exists():
        import hashlib

        text = settings_file.read_text(encoding="utf-8-sig")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != data.settings_sha256:
            print(
                f"Lưu ý: {FILE_NAME} đã sửa sau lần tính chỉ tiêu gần nhất, báo cáo vẫn theo thiết lập cũ. "
                f"Chạy 'dothixanh evaluate --evaluation {args.evaluation}' để tính lại rồi xuất lại báo cáo.",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
