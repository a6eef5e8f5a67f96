"""Targets as the ward's decision: who set each target and when, and whether the ward confirmed the samples.

The shipped targets (warehouse/indicators.py → settings.default.toml) were
never decided by the ward: until an administrator confirms them (admin page or
`dothixanh settings confirm-targets`), every figure compared with one says
"chỉ tiêu mẫu — phường chưa xác nhận". Who set a target and when comes from the
settings versions the admin page keeps (`DOTHIXANH_HOME/settings-history/
settings-<yyyymmdd-hhmmss>-<account>.toml`): the version that first gave the
target its current value. A confirmation (`ref.target_confirmations`) covers
every target whose value was set before it.

`marts.target_provenance` (indicator × year) is rebuilt at every refresh.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse import indicators as ind
from warehouse.settings import Settings, SettingsError, default_settings, parse_settings

HISTORY = "settings-history"
_VERSION_NAME = re.compile(r"settings-(\d{8}-\d{6})-(.+)\.toml$")
CONFIRM_ROLES = ("admin",)
SCHEMA = {
    "indicator_id": pl.String,
    "year": pl.Int64,
    "target": pl.Float64,
    "status": pl.String,
    "set_by": pl.String,
    "set_at": pl.Datetime("us"),
    "confirmed_by": pl.String,
    "confirmed_at": pl.Datetime("us"),
    "note_vi": pl.String,
}


class TargetsNotAllowed(Exception):
    """Only an administrator confirms the targets (message in Vietnamese)."""


@dataclass(frozen=True)
class SettingsVersion:
    saved_at: dt.datetime
    author: str
    settings: Settings


def settings_history(home: Path | None) -> list[SettingsVersion]:
    """The saved settings versions that still validate, oldest first."""
    if home is None:
        return []
    found = []
    for path in sorted((Path(home) / HISTORY).glob("settings-*.toml")):
        match = _VERSION_NAME.search(path.name)
        if not match:
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            settings = parse_settings(text, path.name, indicators=ind.indicators_for(home))
        except (SettingsError, OSError, UnicodeDecodeError):
            continue
        found.append(SettingsVersion(dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S"), match[2], settings))
    return found


def provenance(
    settings: Settings,
    history: list[SettingsVersion],
    confirmations: list[tuple[dt.datetime, str]],
    indicators: tuple[ind.Indicator, ...] | None = None,
) -> pl.DataFrame:
    """Per indicator × campaign year: the target, who set it and when, and its status.

    status: `sample` (the shipped value, never confirmed), `set` (a ward account set this value),
    `confirmed` (an administrator confirmed it after it took this value).
    """
    shipped = default_settings()
    rows = []
    for item in ind.INDICATORS if indicators is None else indicators:
        for year in ind.YEARS:
            value = settings.target(item.id, year)
            set_by = set_at = None
            previous = shipped.target(item.id, year)
            for version in history:
                now = version.settings.target(item.id, year)
                if now != previous:
                    set_by, set_at = version.author, version.saved_at
                previous = now
            if previous != value:  # the file was edited by hand after the last saved version
                set_by, set_at = None, None
            is_sample = value == shipped.target(item.id, year) and set_by is None
            confirmed = [(at, who) for at, who in confirmations if set_at is None or at >= set_at]
            confirmed_at, confirmed_by = max(confirmed) if confirmed else (None, None)
            if value is None:
                status, note = None, None
            elif confirmed_by:
                status, note = (
                    "confirmed",
                    f"chỉ tiêu do {confirmed_by} xác nhận ngày {confirmed_at:%d/%m/%Y}",
                )
            elif is_sample:
                status, note = "sample", "chỉ tiêu mẫu — phường chưa xác nhận"
            elif set_by:
                status, note = "set", f"chỉ tiêu do {set_by} đặt ngày {set_at:%d/%m/%Y}"
            else:
                status, note = "set", "chỉ tiêu sửa trực tiếp trong tệp thiết lập, chưa xác nhận"
            rows.append(
                {
                    "indicator_id": item.id,
                    "year": year,
                    "target": value,
                    "status": status,
                    "set_by": set_by,
                    "set_at": set_at,
                    "confirmed_by": confirmed_by,
                    "confirmed_at": confirmed_at,
                    "note_vi": note,
                }
            )
    return pl.DataFrame(rows, schema=SCHEMA)


def write_target_provenance(con: duckdb.DuckDBPyConnection, home: Path | None, settings: Settings) -> None:
    """(Re)build marts.target_provenance inside the refresh."""
    confirmations = con.sql(
        "SELECT confirmed_at, confirmed_by FROM ref.target_confirmations ORDER BY confirmed_at"
    ).fetchall()
    frame = provenance(settings, settings_history(home), confirmations, ind.indicators_for(home))
    con.register("provenance_rows", frame)
    try:
        con.execute("CREATE OR REPLACE TABLE marts.target_provenance AS SELECT * FROM provenance_rows")
    finally:
        con.unregister("provenance_rows")
    for statement in COMMENTS:
        con.execute(statement)


COMMENTS = [
    "COMMENT ON TABLE marts.target_provenance IS 'Nguồn gốc của từng chỉ tiêu năm: ai đặt, khi nào, phường đã "
    "xác nhận chưa (chỉ tiêu mẫu chưa xác nhận được ghi rõ bên cạnh con số) / Who set each yearly target and "
    "when, and whether the ward confirmed it'",
    "COMMENT ON COLUMN marts.target_provenance.indicator_id IS 'Mã chỉ tiêu / Indicator id'",
    "COMMENT ON COLUMN marts.target_provenance.year IS 'Năm / Year'",
    "COMMENT ON COLUMN marts.target_provenance.target IS 'Chỉ tiêu năm đang dùng / Yearly target in force'",
    "COMMENT ON COLUMN marts.target_provenance.status IS 'sample (chỉ tiêu mẫu, phường chưa xác nhận), set "
    "(tài khoản của phường đã đặt), confirmed (quản trị đã xác nhận) / Status'",
    "COMMENT ON COLUMN marts.target_provenance.set_by IS 'Tài khoản đã đặt giá trị này (trống: giá trị mẫu) / "
    "Account that set this value'",
    "COMMENT ON COLUMN marts.target_provenance.set_at IS 'Thời điểm đặt (giờ Việt Nam) / When it was set'",
    "COMMENT ON COLUMN marts.target_provenance.confirmed_by IS 'Quản trị đã xác nhận / Confirming administrator'",
    "COMMENT ON COLUMN marts.target_provenance.confirmed_at IS 'Thời điểm xác nhận / When it was confirmed'",
    "COMMENT ON COLUMN marts.target_provenance.note_vi IS 'Ghi chú hiện bên cạnh con số / Note shown beside "
    "the figure'",
]


def confirm_targets(warehouse, *, by: str, role: str | None, note: str | None = None) -> dt.datetime:
    """Record that an administrator confirms the current settings' targets as the ward's decision."""
    from warehouse.refresh import refresh_marts
    from warehouse.store import now_vietnam

    if role not in CONFIRM_ROLES:
        raise TargetsNotAllowed(
            f"Tài khoản «{by or '(không rõ)'}» không được xác nhận chỉ tiêu: chỉ quản trị viên (admin) được xác nhận."
        )
    at = now_vietnam()
    with warehouse.writing() as con:
        sha = con.sql("SELECT coalesce(max(sha256), '') FROM marts.settings_source").fetchall()[0][0]
        state = con.sql("SELECT as_of, as_of_pinned FROM marts.refresh_state").fetchall()
        con.execute("INSERT INTO ref.target_confirmations VALUES (?, ?, ?, ?)", [at, by, sha, note])
        pinned = state[0][0] if state and state[0][1] else None
        refresh_marts(con, warehouse.home, today=pinned)
    return at
