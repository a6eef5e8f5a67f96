"""Loading the demo files through the units' own upload path, in order of arrival, and building the whole demo ward."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import time
from pathlib import Path

from kernel import contracts as c
from kernel.formats import date as fmt_date
from kernel.formats import integer as fmt_int
from pipelines.demo.accounts import (
    create_demo_accounts,
)
from pipelines.demo.styles import (
    Declaration,
    DemoFile,
    generate_files,
    nothing_to_report,
    write_reference,
)
from pipelines.demo.ward import (
    N_GROUPS,
    START,
    UNITS,
)
from warehouse.accounts import DEMO_MARKER, DEMO_PASSWORD

# -- loading -----------------------------------------------------------------------------------------


class _Lines:
    """A stream for tqdm that writes each update as a line of its own (a log file has no \\r)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.replace("\r", "").strip()
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def load_files(
    warehouse,
    files: list[DemoFile],
    until: dt.date,
    show_progress: bool = False,
    declarations: list[Declaration] = (),
) -> list:
    """Load the files through `pipelines.ingest.ingest`, as each unit would, in order of arrival.

    A unit's «Không có số liệu phát sinh» goes through `declare_nothing_to_report` with the unit's
    clerk account, as the upload page's button does (the function checks the role).
    """
    from tqdm import tqdm

    from pipelines.ingest import ingest
    from pipelines.nothing_to_report import declare_nothing_to_report
    from warehouse.accounts import Accounts

    accounts = Accounts(warehouse.home)
    pending = sorted(declarations, key=lambda d: d.received_at)

    def declare_until(moment) -> None:
        while pending and (moment is None or pending[0].received_at <= moment):
            d = pending.pop(0)
            results.append(
                declare_nothing_to_report(
                    warehouse,
                    feed=d.feed,
                    unit_code=d.unit_code,
                    month=d.month,
                    account=accounts.get(d.unit_code.lower()),
                    received_at=d.received_at,
                    today=until,
                    refresh=False,
                )
            )

    results = []
    # On a terminal a live bar; in a log (make demo > log, CI) a plain line every 15 s instead.
    tty = sys.stderr.isatty()
    out = sys.stderr if tty else _Lines(sys.stderr)
    with tqdm(
        files,
        disable=not show_progress,
        file=out,
        unit="tệp",
        desc="Nạp tệp đơn vị",
        mininterval=0.1 if tty else 15,
        ascii=not tty,
    ) as bar:
        for demo_file in bar:
            bar.set_postfix_str(demo_file.path.name, refresh=False)
            declare_until(demo_file.received_at)
            results.append(
                ingest(
                    warehouse,
                    demo_file.path.read_bytes(),
                    feed=demo_file.feed,
                    unit_code=demo_file.unit_code,
                    file_name=demo_file.path.name,
                    uploaded_by=f"{demo_file.unit_code.lower()}.vanthu",
                    received_at=demo_file.received_at,
                    today=until,
                    refresh=False,  # one refresh after the whole batch, below
                )
            )
    declare_until(None)
    from warehouse.refresh import refresh_marts

    with warehouse.writing(catch_up=False) as con:  # publishes the whole batch once
        refresh_marts(con, warehouse.home, today=until)
    return results


def _clear(warehouse, files_dir: Path) -> None:
    for path in (
        warehouse.master_path,
        warehouse.master_path.with_name(warehouse.master_path.name + ".wal"),
        warehouse.snapshot_path,
    ):
        path.unlink(missing_ok=True)
    shutil.rmtree(warehouse.files_dir, ignore_errors=True)
    snapshots = getattr(warehouse, "snapshots_dir", None)  # the published versions behind the link
    if snapshots is not None:
        shutil.rmtree(snapshots, ignore_errors=True)
    shutil.rmtree(files_dir / "don-vi", ignore_errors=True)
    for name in ("accounts.duckdb", "accounts.duckdb.wal", DEMO_MARKER):
        (warehouse.home / name).unlink(missing_ok=True)


def front_files(files_dir: Path, until: dt.date, seed: int) -> list:
    """The plan's other fronts (pipelines/demo_fronts.py) as the units send them, each on its day."""
    from pipelines.demo.styles import DemoFile, _arrival
    from pipelines.demo.ward import make_groups
    from pipelines.demo_fronts import front_records, write_front_files

    written = write_front_files(
        front_records(make_groups(seed), until, seed), Path(files_dir) / "don-vi" / "mat-tran"
    )
    files = []
    for front in written:
        arrival = _arrival(
            seed, front.unit_code, front.feed, dt.date.fromisoformat(f"{front.month}-01"), until
        )
        if arrival is None:  # not sent yet by `until`
            front.path.unlink()
            continue
        files.append(DemoFile(front.path, front.feed, front.unit_code, arrival))
    return files


def build_demo(
    warehouse,
    *,
    until: dt.date | None = None,
    scale: int = 1,
    seed: int = 2026,
    files_dir: Path | None = None,
    force: bool = False,
    show_progress: bool = False,
) -> str:
    """Build the demo ward in `warehouse`; return a short Vietnamese summary."""
    from pipelines.ingest import init_ward

    until = until or dt.date.today()
    if until < START:
        raise ValueError(f"Ngày cuối {fmt_date(until)} trước khi phong trào bắt đầu ({fmt_date(START)}).")
    if scale < 1:
        raise ValueError("Hệ số nhân --scale phải từ 1 trở lên.")
    if warehouse.exists() and not force:
        return (
            f"Đã có kho dữ liệu trong {warehouse.home}: phường mẫu (hoặc một phường) đã được tạo, "
            "không tạo lại. Dùng --force để xóa kho hiện có và tạo lại phường mẫu."
        )
    started = time.perf_counter()
    files_dir = Path(files_dir) if files_dir else warehouse.home / "demo-files"
    _clear(warehouse, files_dir)  # also a master left without a snapshot by an interrupted build
    groups_path, units_path = write_reference(files_dir, seed)
    files = generate_files(files_dir, until, scale, seed)
    files = sorted(files + front_files(files_dir, until, seed), key=lambda f: f.received_at)
    init_ward(
        warehouse,
        (groups_path.read_bytes(), groups_path.name),
        (units_path.read_bytes(), units_path.name),
        created_by="demo",
    )
    from pipelines.demo.reference import add_later_groups_version

    add_later_groups_version(warehouse, groups_path, units_path)  # TDP05 grows from 01/10/2026
    accounts = create_demo_accounts(warehouse.home)
    declarations = nothing_to_report(until, seed)
    results = load_files(warehouse, files, until, show_progress, declarations)
    from pipelines.demo.approvals import approve_demo

    approvals = approve_demo(warehouse, until)  # submitted, approved, locked; the latest month in progress
    elapsed = time.perf_counter() - started

    with warehouse.reading() as con:
        households, population = con.sql(
            "SELECT sum(households), sum(population) FROM residential_groups"
        ).fetchall()[0]
        counts = {feed: con.sql(f"SELECT count(*) FROM {feed}").fetchall()[0][0] for feed in c.FEEDS}
    loaded = [r for r in results if r.status == "loaded" and not r.nothing_to_report]
    refused = [r for r in results if r.status == "refused"]
    rejected = sum(r.rows_rejected for r in loaded)
    corrected = sum(r.rows_corrected for r in loaded)
    lines = [
        f"Đã tạo phường mẫu trong {warehouse.home} (hạt giống {seed}, hệ số {scale}).",
        f"- {N_GROUPS} tổ dân phố ({fmt_int(households)} hộ, {fmt_int(population)} nhân khẩu), "
        f"{len(UNITS)} đơn vị báo cáo.",
        f"- {fmt_int(len(loaded))} tệp của đơn vị, số liệu từ {fmt_date(START)} đến {fmt_date(until)}, "
        "nạp qua đúng đường nạp của đơn vị:",
    ]
    lines += [f"    {c.FEEDS[feed].label_vi}: {fmt_int(n)} bản ghi" for feed, n in counts.items()]
    lines.append(
        f"- {fmt_int(rejected)} dòng bị loại kèm lý do (bảng rejected_rows); "
        f"{fmt_int(corrected)} bản ghi được đính chính bằng tệp gửi sau."
    )
    for d in declarations:
        lines.append(
            f"- {d.unit_code} khai báo «Không có số liệu phát sinh» ({c.FEEDS[d.feed].label_vi}) "
            f"tháng {d.month:%m/%Y}."
        )
    if refused:
        lines.append(f"- {fmt_int(len(refused))} tệp bị từ chối cả tệp (xem bảng uploads).")
    lines.append(
        f"- Duyệt số liệu: {fmt_int(approvals['submit'])} lần gửi duyệt, {fmt_int(approvals['approve'])} lần duyệt, "
        f"{fmt_int(approvals['return'])} lần trả lại, {fmt_int(approvals['lock'])} tháng khóa sổ (bảng approvals)."
    )
    lines.append(f"- Tài khoản (mật khẩu «{DEMO_PASSWORD}»): {', '.join(accounts)}")
    lines.append(f"- Tệp gốc sinh ra: {files_dir}")
    lines.append(f"Thời gian: {elapsed:.1f} giây.".replace(".", ",", 1))
    return "\n".join(lines)
