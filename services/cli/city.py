"""`dothixanh city publish` and `dothixanh city refresh`: the city store shared by many wards.

Also adds `--ward CODE` to `dothixanh demo` (a demo of another ward, pipelines/demo_wards.py): the
option is added to the demo command's parser here, so the demo's own module stays as it is.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from services.cli.common import add_command, text


def register(sub) -> None:
    p = add_command(sub, "city")
    actions = p.add_subparsers(dest="city_action", metavar="VIỆC", required=True)
    q = add_command(actions, "city publish")
    q.add_argument("--store", required=True, metavar="THƯ_MỤC", help=text("city publish", "--store"))
    q.set_defaults(handler=cmd_publish)
    q = add_command(actions, "city refresh")
    q.add_argument("--store", required=True, metavar="THƯ_MỤC", help=text("city refresh", "--store"))
    engines = ["duckdb", "spark"]
    q.add_argument("--engine", choices=engines, default="duckdb", help=text("city refresh", "--engine"))
    q.add_argument("--output", required=True, metavar="THƯ_MỤC", help=text("city refresh", "--output"))
    q.add_argument("--settings", metavar="TỆP", help=text("city refresh", "--settings"))
    q.add_argument("--master", metavar="ĐỊA_CHỈ", help=text("city refresh", "--master"))
    q.set_defaults(handler=cmd_refresh)
    _add_demo_ward(sub)


def _add_demo_ward(sub) -> None:
    demo = sub.choices.get("demo")
    if demo is None:
        return
    demo.add_argument(
        "--ward",
        metavar="MÃ",
        help="mã phường của phường mẫu (mặc định 11383 Lê Chân; có mẫu: 11311 Hồng Bàng, 11341 Ngô Quyền): "
        "số tổ, quy mô, đường phố riêng; dùng kèm --seed để mỗi phường có số liệu riêng",
    )
    demo.set_defaults(handler=functools.partial(cmd_demo_ward, demo.get_default("handler")))


def cmd_demo_ward(build, args) -> int:
    """`dothixanh demo --ward CODE`: the demo built with that ward's profile."""
    if build is None:  # the demo command's own handler
        from services.cli.demo import cmd_demo as build
    if not getattr(args, "ward", None):
        return build(args)
    from pipelines.demo_wards import UnknownWard, ward_profile
    from warehouse.store import Warehouse

    try:
        with ward_profile(args.ward, Warehouse().home):
            return build(args)
    except UnknownWard as exc:
        print(str(exc), file=sys.stderr)
        return 2


# What each table of the store and each city mart holds, for the lines the commands print.
LABELS = {
    "wards": "thông tin phường",
    "groups": "danh sách tổ dân phố",
    "units": "danh sách đơn vị",
    "indicators": "định nghĩa chỉ tiêu",
    "periods": "các kỳ",
    "measures": "số đếm theo kỳ",
    "indicator_values": "giá trị chỉ tiêu",
    "reporting_completeness": "tình hình gửi báo cáo",
    "reporting_summary": "tổng hợp báo cáo",
    "league_components": "điểm thành phần xếp hạng tổ",
    "league_table": "bảng xếp hạng tổ",
    "violations": "bản ghi vi phạm",
    "cleanups": "bản ghi ra quân vệ sinh",
    "lighting_repairs": "bản ghi sửa đèn",
    "sorting_inspections": "bản ghi kiểm tra phân loại rác",
    "city_indicators": "chỉ tiêu của thành phố",
    "city_indicator_values": "giá trị chỉ tiêu theo phường và toàn thành phố",
    "city_reporting_completeness": "tình hình báo cáo theo phường",
    "city_league_components": "điểm thành phần xếp hạng phường",
    "city_league_table": "bảng xếp hạng phường",
    "city_wards": "danh sách phường",
}


def _line(name: str, rows: int) -> str:
    return f"  - {LABELS.get(name, name)} ({name}): {_number(rows)} dòng"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def cmd_publish(args) -> int:
    from warehouse.city.publish import publish_ward
    from warehouse.settings import SettingsError
    from warehouse.store import Warehouse, WarehouseMissing

    warehouse = Warehouse()
    try:
        result = publish_ward(warehouse.home, Path(args.store))
    except WarehouseMissing as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Không ghi được vào kho chung {args.store}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    what = "đã cập nhật" if result.changed else "số liệu không đổi so với lần gửi trước, giữ nguyên"
    print(f"{result.ward_name} (mã {result.ward_code}): {what} trong kho chung {args.store}.")
    for table, rows in result.rows.items():
        print(_line(table, rows))
    return 0


def cmd_refresh(args) -> int:
    from warehouse.city.refresh import CityError, refresh_city
    from warehouse.settings import SettingsError, default_settings, load_settings

    try:
        settings = load_settings(path=Path(args.settings)) if args.settings else default_settings()
    except (SettingsError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    spark = None
    if args.engine == "spark":
        import importlib.util
        import shutil

        from warehouse.city.engines import spark_session

        if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
            print(
                "Chạy bằng Spark cần gói pyspark (pip install 'dothixanh[city]') và Java 17 "
                "(Debian: openjdk-17-jre-headless).",
                file=sys.stderr,
            )
            return 2
        spark = spark_session(args.master)
    try:
        result = refresh_city(
            Path(args.store), Path(args.output), engine=args.engine, settings=settings, spark=spark
        )
    except CityError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        if spark is not None:
            spark.stop()
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    print(
        f"Đã tính chỉ tiêu thành phố từ {_number(len(result.wards))} phường bằng {args.engine} "
        f"trong {seconds} giây; kết quả trong {args.output}:"
    )
    for mart, rows in result.rows.items():
        print(_line(mart, rows))
    return 0
