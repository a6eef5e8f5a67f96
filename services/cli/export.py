"""`dothixanh export`: every view and mart as Parquet files."""

from __future__ import annotations

import sys
from pathlib import Path

from services.cli.common import open_warehouse, text


def register(sub) -> None:
    p = sub.add_parser("export", help=text("export", "help"), description=text("export", "description"))
    p.add_argument("--format", choices=["parquet"], default="parquet", help=text("export", "--format"))
    p.add_argument("--output", required=True, metavar="THƯ_MỤC", help=text("export", "--output"))
    p.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    from tqdm import tqdm

    from warehouse.export import export_parquet

    warehouse = open_warehouse()
    if not warehouse.exists():
        print(f"Chưa có kho dữ liệu trong {warehouse.home}.", file=sys.stderr)
        return 1
    bar = tqdm(desc="Xuất Parquet", unit=" bảng", file=sys.stderr, disable=not sys.stderr.isatty())
    written = export_parquet(warehouse, Path(args.output), progress=lambda name: bar.update(1))
    bar.close()
    print(f"Đã ghi {len(written)} tệp Parquet vào {Path(args.output).resolve()}.")
    return 0
