"""Loading the demo files through the units' own upload path, in order of arrival, and building the whole demo ward."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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


class BuildStopped(RuntimeError):
    """An earlier file of the build could not be loaded: the later ones are not written."""


class InOrder:
    """Files judged side by side, written one after another in their order of arrival.

    Item i's turn (entered before the writer lock) waits until every item before it has finished,
    so the warehouse receives the same writes in the same order as one file at a time; meanwhile
    the next items are read and validated in the other sandbox workers. Once an item has failed,
    no later item is written: its turn raises BuildStopped."""

    def __init__(self) -> None:
        self._done: set[int] = set()
        self.failed_at: int | None = None  # the first item (in order) that failed
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def turn(self, index: int):
        with self._changed:
            self._changed.wait_for(lambda: all(i in self._done for i in range(index)))
            self.stop_if_stopped(index)
        yield

    def stop_if_stopped(self, index: int) -> None:
        """Raise BuildStopped when an item before this one failed: this one is not written."""
        if self.failed_at is not None and self.failed_at < index:
            raise BuildStopped("Dừng tạo phường mẫu: một tệp gửi trước không nạp được.")

    def finished(self, index: int, *, failed: bool = False) -> None:
        with self._changed:
            self._done.add(index)
            if failed and (self.failed_at is None or index < self.failed_at):
                self.failed_at = index
            self._changed.notify_all()


def load_files(
    warehouse,
    files: list[DemoFile],
    until: dt.date,
    show_progress: bool = False,
    declarations: list[Declaration] = (),
) -> list:
    """Load the files through `pipelines.ingest.ingest`, as each unit would, in order of arrival.

    A unit's «Không có số liệu phát sinh» goes through `declare_nothing_to_report` with the unit's
    clerk account, as the upload page's button does (the function checks the role). While one file
    is written, the next ones are judged in the sandbox's other workers (`InOrder`): the result is
    the warehouse that loading them one at a time gives.
    """
    from tqdm import tqdm

    from pipelines.ingest import ingest
    from pipelines.nothing_to_report import declare_nothing_to_report
    from pipelines.sandbox import default_sandbox
    from warehouse.accounts import Accounts
    from warehouse.store import Warehouse

    accounts = Accounts(warehouse.home)
    # Declarations and files in one sequence, by arrival (a declaration first when both arrive at once).
    items = sorted(
        [(d.received_at, 0, n, d) for n, d in enumerate(declarations)]
        + [(f.received_at, 1, n, f) for n, f in enumerate(files)],
        key=lambda item: item[:3],
    )
    order = InOrder()

    def load(index: int, item) -> object:
        # A Warehouse object of its own per item: its after-commit warning is this load's alone.
        own = Warehouse(warehouse.home)
        failed = True
        try:
            order.stop_if_stopped(index)  # not even judged after a failure
            if isinstance(item, DemoFile):
                result = ingest(
                    own,
                    item.path.read_bytes(),
                    feed=item.feed,
                    unit_code=item.unit_code,
                    file_name=item.path.name,
                    uploaded_by=f"{item.unit_code.lower()}.vanthu",
                    received_at=item.received_at,
                    today=until,
                    refresh=False,  # one refresh after the whole batch, below
                    turn=lambda: order.turn(index),
                )
            else:
                with order.turn(index):
                    result = declare_nothing_to_report(
                        own,
                        feed=item.feed,
                        unit_code=item.unit_code,
                        month=item.month,
                        account=accounts.get(item.unit_code.lower()),
                        received_at=item.received_at,
                        today=until,
                        refresh=False,
                    )
            failed = False
            return result
        finally:
            order.finished(index, failed=failed)

    # On a terminal a live bar; in a log (make demo > log, CI) a plain line every 15 s instead.
    tty = sys.stderr.isatty()
    out = sys.stderr if tty else _Lines(sys.stderr)
    side_by_side = default_sandbox().limits.workers  # as many files at once as the pool judges
    with (
        ThreadPoolExecutor(max_workers=side_by_side, thread_name_prefix="demo-load") as pool,
        tqdm(
            total=len(files),
            disable=not show_progress,
            file=out,
            unit="tệp",
            desc="Nạp tệp đơn vị",
            mininterval=0.1 if tty else 15,
            ascii=not tty,
        ) as bar,
    ):
        futures = [pool.submit(load, index, item) for index, (*_, item) in enumerate(items)]
        results = []
        try:
            for (*_, item), future in zip(items, futures, strict=True):
                results.append(future.result())
                if isinstance(item, DemoFile):
                    bar.set_postfix_str(item.path.name, refresh=False)
                    bar.update()
        except BaseException:  # a failed load (or Ctrl+C) stops the build: nothing after it starts
            for future in futures:
                future.cancel()
            raise
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
