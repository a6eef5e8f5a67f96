"""`dothixanh sql`: one read-only query on the warehouse's views and marts."""

from __future__ import annotations

import json
import os
import sys

from services.cli.common import open_warehouse, text


def _flat(frame):
    """CSV holds text: a list or a struct (e.g. a mart's monthly values) is written as its JSON."""
    import polars as pl

    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.col(name).map_elements(
            lambda v: json.dumps(
                v.to_list() if isinstance(v, pl.Series) else v, ensure_ascii=False, default=str
            ),
            return_dtype=pl.String,
            skip_nulls=True,
        )
        for name in nested
    )


def register(sub) -> None:
    p = sub.add_parser("sql", help=text("sql", "help"), description=text("sql", "description"))
    p.add_argument("query", metavar="CÂU_TRUY_VẤN")
    p.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help=text("sql", "--format")
    )
    p.add_argument("--max-rows", type=int, default=10_000, help=text("sql", "--max-rows"))
    p.add_argument("--timeout", type=float, help=text("sql", "--timeout"))
    p.set_defaults(handler=cmd_sql)


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
            open_warehouse(),
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
        sys.stdout.write(_flat(frame).write_csv())
    elif args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str))
    else:
        import polars as pl

        with pl.Config(tbl_rows=min(frame.height, 100), tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
            print(frame)
    if truncated:
        print(f"(Chỉ in {args.max_rows} dòng đầu; kết quả còn nữa.)", file=sys.stderr)
    return 0
