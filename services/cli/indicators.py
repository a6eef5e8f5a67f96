"""`dothixanh indicators`: the declared indicators, checking the ward's declarations, the compiled SQL."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "indicators",
        help="các chỉ tiêu đã khai báo; kiểm tra khai báo chỉ tiêu của phường",
        description="Các chỉ tiêu được khai báo bằng tệp TOML (xem docs/indicators-format.md): có sẵn trong "
        "phần mềm, và của phường trong thư mục DOTHIXANH_HOME/indicators/. Chỉ tiêu phường thêm vào tính "
        "từ lần làm mới số liệu kế tiếp, với trọng số 0 cho đến khi phường đặt trọng số trong tệp thiết lập.",
    )
    actions = p.add_subparsers(dest="indicators_action", metavar="VIỆC", required=True)
    q = actions.add_parser(
        "list",
        help="liệt kê các chỉ tiêu: mã, tên, loại dữ liệu, nguồn (có sẵn hoặc của phường)",
        description="In mọi chỉ tiêu theo thứ tự hiển thị, kèm loại dữ liệu, cách tính và mục kế hoạch.",
    )
    q.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table: bảng dễ đọc (mặc định); json: danh sách đối tượng cho máy đọc",
    )
    q.set_defaults(handler=cmd_list)
    q = actions.add_parser(
        "check",
        help="kiểm tra các tệp khai báo chỉ tiêu của phường",
        description="Đọc và kiểm tra mọi tệp trong DOTHIXANH_HOME/indicators/. Có lỗi thì in từng lỗi (tên tệp, "
        "khóa và giá trị sai) và trả mã 1; các chỉ tiêu của tệp lỗi không được tính cho đến khi sửa.",
    )
    q.set_defaults(handler=cmd_check)
    q = actions.add_parser(
        "sql",
        help="in câu lệnh SQL được sinh từ các khai báo (dành cho người phân tích)",
        description="In các mô hình SQL của marts được sinh từ khai báo chỉ tiêu, theo thứ tự chạy khi làm mới.",
    )
    q.set_defaults(handler=cmd_sql)


_KINDS_VI = {"ratio": "tỷ lệ", "count": "đếm", "median": "trung vị"}
_SOURCES_VI = {"built-in": "có sẵn", "ward": "của phường"}


def _home():
    from warehouse.store import default_home

    return default_home()


def cmd_list(args) -> int:
    from kernel import contracts as c
    from warehouse import indicators as ind

    home = _home()
    rows = [
        {
            "id": item.id,
            "label_vi": item.name_vi,
            "label_en": item.name_en,
            "unit_vi": item.unit_vi,
            "feed": item.feed,
            "feed_label_vi": c.FEEDS[item.feed].label_vi if item.feed in c.FEEDS else item.feed,
            "kind": item.kind,
            "formula_vi": item.formula_vi,
            "direction": item.direction,
            "default_weight": item.weight,
            "plan_section": item.plan_section,
            "source": item.origin,
        }
        for item in ind.indicators_for(home)
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(
            f"{row['id']}\t{row['label_vi']} ({row['unit_vi']})\t{row['feed_label_vi']}\t"
            f"{_KINDS_VI[row['kind']]}\t{_SOURCES_VI[row['source']]}"
        )
    problems = ind.ward_problems(home)
    if problems:
        print(
            f"\nCó {len(problems)} lỗi trong khai báo của phường: chạy 'dothixanh indicators check'.",
            file=sys.stderr,
        )
    return 0


def cmd_check(args) -> int:
    from warehouse import indicator_decl as decl
    from warehouse import indicators as ind

    home = _home()
    files = [p for p, origin in decl.declaration_files(home) if origin == "ward"]
    problems = ind.ward_problems(home)
    if problems:
        print(f"Khai báo chỉ tiêu của phường có {len(problems)} lỗi:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    ward = [item for item in ind.indicators_for(home) if item.origin == "ward"]
    print(f"Các tệp khai báo của phường hợp lệ: {len(files)} tệp, {len(ward)} chỉ tiêu.")
    return 0


def cmd_sql(args) -> int:
    from warehouse import indicator_sql
    from warehouse import indicators as ind

    print(indicator_sql.compiled_sql(ind.measures_for(_home())))
    return 0
