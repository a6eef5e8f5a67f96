"""`dothixanh indicators`: the declared indicators, checking the ward's declarations, the compiled SQL."""

from __future__ import annotations

import json
import sys

from services.cli.common import add_command, text


def register(sub) -> None:
    p = add_command(sub, "indicators")
    actions = p.add_subparsers(dest="indicators_action", metavar="VIỆC", required=True)
    q = add_command(actions, "indicators list")
    q.add_argument(
        "--format", choices=("table", "json"), default="table", help=text("indicators list", "--format")
    )
    q.set_defaults(handler=cmd_list)
    add_command(actions, "indicators check").set_defaults(handler=cmd_check)
    add_command(actions, "indicators sql").set_defaults(handler=cmd_sql)


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
