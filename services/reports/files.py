"""A report as a file: what `dothixanh report` writes and the dashboard's download buttons hand over."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from services.reports.data import ReportData, evaluation_report_data
from services.reports.pdf import to_pdf
from services.reports.xlsx import to_xlsx
from warehouse.settings import FILE_NAME

FORMATS = ("xlsx", "pdf")


def render(data: ReportData, kind: str, lang: str = "vi") -> bytes:
    """The bytes of a report in `kind` (xlsx or pdf)."""
    return to_xlsx(data, lang=lang) if kind == "xlsx" else to_pdf(data, lang=lang)


def report_bytes(con, evaluation: str, kind: str, lang: str = "vi", snapshot_id: int | None = None):
    """Read an evaluation's report (live, or a frozen snapshot's) and render it; (data, bytes)."""
    data = evaluation_report_data(con, evaluation, snapshot_id=snapshot_id)
    return data, render(data, kind, lang)


def write_atomically(output: Path, content: bytes) -> None:
    """Written beside the target then renamed: an interrupted run never leaves half a report (OSError)."""
    partial = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(content)
        os.replace(partial, output)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def settings_edited_since(home: Path, data: ReportData) -> bool:
    """Whether the ward's settings file changed after the live figures in `data` were computed."""
    settings_file = Path(home) / FILE_NAME
    if data.snapshot is not None or not settings_file.exists():
        return False
    text = settings_file.read_text(encoding="utf-8-sig")
    return hashlib.sha256(text.encode("utf-8")).hexdigest() != data.settings_sha256
