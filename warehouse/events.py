"""The ward's event log: one JSON line per upload, refusal, login and error, in DOTHIXANH_HOME/logs/events.jsonl.

Every line has the same fields (null where they do not apply): `time` (Vietnam
time, ISO), `event` (upload, login, error, … — approvals will add their own),
`status`, `account`, `unit`, `feed`, `upload_id`, `file_name`, `reason`, plus
any extra fields the caller adds. Writing goes through `jsonlog.append_line`,
so a full disk drops the line and never fails the work it records.
"""

from __future__ import annotations

import functools
import inspect
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warehouse.jsonlog import append_line
from warehouse.store import default_home, now_vietnam

FIELDS = ("time", "event", "status", "account", "unit", "feed", "upload_id", "file_name", "reason")


def events_path(home: Path | str | None = None) -> Path:
    return (Path(home) if home else default_home()) / "logs" / "events.jsonl"


def log_event(
    home: Path | str | None,
    event: str,
    *,
    status: str | None = None,
    account: str | None = None,
    unit: str | None = None,
    feed: str | None = None,
    upload_id: int | None = None,
    file_name: str | None = None,
    reason: str | None = None,
    **extra: Any,
) -> bool:
    """Append one event; False when the line could not be written (never raises)."""
    record = {
        "time": now_vietnam().isoformat(timespec="milliseconds"),
        "event": event,
        "status": status,
        "account": account,
        "unit": unit,
        "feed": feed,
        "upload_id": upload_id,
        "file_name": file_name,
        "reason": reason,
        **extra,
    }
    try:
        return append_line(events_path(home), record)
    except Exception:  # a log line must never fail what it records
        return False


def log_error(home: Path | str | None, where: str, exc: BaseException, **fields: Any) -> bool:
    """An unexpected error, with its traceback kept in the log (never shown to the user)."""
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
    return log_event(
        home,
        "error",
        status="error",
        reason=f"{type(exc).__name__}: {exc}",
        where=where,
        detail=detail,
        **fields,
    )


def read_events(home: Path | str | None = None) -> list[dict]:
    """Every event logged so far, oldest first (lines that do not parse are skipped)."""
    import json

    path = events_path(home)
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events


def logged_upload(ingest: Callable) -> Callable:
    """Decorate `ingest(warehouse, data, *, feed, unit_code, uploaded_by, file_name, …)`: one event per call.

    The result's status (loaded, duplicate, refused) and reason are logged; an exception is logged
    as an `error` event (then raised again).
    """
    signature = inspect.signature(ingest)

    @functools.wraps(ingest)
    def wrapper(*args, **kwargs):
        try:
            bound = signature.bind_partial(*args, **kwargs).arguments
        except TypeError:
            bound = {}
        warehouse = bound.get("warehouse")
        home = getattr(warehouse, "home", None)
        who = {
            "account": bound.get("uploaded_by"),
            "unit": bound.get("unit_code"),
            "feed": bound.get("feed"),
            "file_name": bound.get("file_name"),
        }
        try:
            result = ingest(*args, **kwargs)
        except BaseException as exc:
            if not isinstance(exc, KeyboardInterrupt | SystemExit):
                log_error(home, "ingest", exc, **who)
            raise
        log_event(
            home,
            "upload",
            status=getattr(result, "status", None),
            upload_id=getattr(result, "upload_id", None),
            reason=getattr(result, "reason", None),
            rows_total=getattr(result, "rows_total", None),
            rows_accepted=getattr(result, "rows_accepted", None),
            rows_rejected=getattr(result, "rows_rejected", None),
            **who,
            # What reading and checking the file cost its sandboxed worker: CPU seconds and peak memory (MB).
            **({"judging": result.usage} if getattr(result, "usage", None) else {}),
        )
        return result

    return wrapper
