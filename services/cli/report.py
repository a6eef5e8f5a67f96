"""`dothixanh report`: an evaluation's report as an XLSX or PDF file (built by services/reports)."""

from __future__ import annotations

import sys
from pathlib import Path

from services.cli.common import text, ward_warehouse


def register(sub) -> None:
    p = sub.add_parser("report", help=text("report", "help"), description=text("report", "description"))
    p.add_argument("--evaluation", required=True, metavar="TÊN_KỲ", help=text("report", "--evaluation"))
    p.add_argument("--format", choices=["xlsx", "pdf"], help=text("report", "--format"))
    p.add_argument("--output", required=True, metavar="TỆP", help=text("report", "--output"))
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help=text("report", "--lang"))
    p.add_argument("--snapshot", type=int, metavar="SỐ", help=text("report", "--snapshot"))
    p.set_defaults(handler=cmd_report)


def cmd_report(args) -> int:
    import duckdb

    from kernel.formats import integer as fmt_int
    from services.reports.data import evaluation_report_data
    from services.reports.files import FORMATS, render, settings_edited_since, write_atomically
    from warehouse import evaluation as ev
    from warehouse.settings import FILE_NAME

    output = Path(args.output)
    kind = args.format or output.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        print(
            f"Không rõ định dạng của tệp «{output.name}»: ghi thêm --format xlsx hoặc --format pdf.",
            file=sys.stderr,
        )
        return 2
    warehouse = ward_warehouse()
    if warehouse is None:
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
    content = render(data, kind, args.lang)
    try:
        write_atomically(output, content)
    except OSError as exc:
        print(f"Không ghi được tệp «{output}»: {exc.strerror}.", file=sys.stderr)
        return 1
    source = "số liệu hiện tại" if data.snapshot is None else f"bản chốt số {data.snapshot.snapshot_id}"
    print(
        f"Đã ghi báo cáo «{data.label_vi}» ({source}) ra tệp {kind.upper()} {output} "
        f"({fmt_int(len(content))} byte)."
    )
    if settings_edited_since(warehouse.home, data):
        print(
            f"Lưu ý: {FILE_NAME} đã sửa sau lần tính chỉ tiêu gần nhất, báo cáo vẫn theo thiết lập cũ. "
            f"Chạy 'dothixanh evaluate --evaluation {args.evaluation}' để tính lại rồi xuất lại báo cáo.",
            file=sys.stderr,
        )
    return 0
