"""The rows a report of one evaluation shows, read from the marts once (named queries in warehouse/queries/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from kernel import contracts as c
from warehouse import evaluation as ev
from warehouse import named
from warehouse.settings import DEFAULT_WARD_CODE, DEFAULT_WARD_NAME
from warehouse.ward_identity import ward_of


@dataclass(frozen=True)
class ReportData:
    """Everything a report of one evaluation shows, read from the marts once."""

    evaluation: str
    label_vi: str
    label_en: str
    window_start: dt.date
    window_end: dt.date
    as_of: dt.date
    period_status: str  # complete | in_progress | not_started
    issued_on: dt.date
    settings_sha256: str
    min_weight_share: float
    tiers: tuple[tuple[float, str], ...]  # best first
    snapshot: ev.Snapshot | None  # the frozen snapshot shown, or None for live figures
    ward_indicators: pl.DataFrame
    league: pl.DataFrame
    components: pl.DataFrame
    completeness: pl.DataFrame
    snapshots: pl.DataFrame
    scoring_vi: str
    scoring_en: str
    # Whether the window is still running or its unit reports incomplete, with the dates (live figures only).
    window_note: str | None = None
    # The ward the report is about ([ward] of its settings): its code and its name («Phường Lê Chân»).
    ward_code: str = DEFAULT_WARD_CODE
    ward_name: str = DEFAULT_WARD_NAME

    @property
    def ward_words(self) -> dict[str, str]:
        """The ward's name as the report labels write it: «Lê Chân», «PHƯỜNG LÊ CHÂN», «LÊ CHÂN»."""
        short = self.ward_name
        for kind in ("Phường ", "Xã ", "Đặc khu "):
            short = short.removeprefix(kind)
        full = self.ward_name
        return {
            "ward": short,
            "ward_upper": short.upper(),
            "ward_full_upper": full.upper(),
            "ward_full_lower": full[:1].lower() + full[1:],
        }

    @property
    def data_end(self) -> dt.date:
        """Last day counted: the window's end, or the as-of date of a running window."""
        return min(self.window_end, self.as_of)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


def evaluation_report_data(
    con: duckdb.DuckDBPyConnection,
    evaluation: str,
    *,
    snapshot_id: int | None = None,
    issued_on: dt.date | None = None,
) -> ReportData:
    """Read one evaluation's report from the marts (or from a frozen snapshot); UnknownEvaluation if undefined."""
    from warehouse.store import now_vietnam

    info = ev.evaluation_info(con, evaluation)  # raises UnknownEvaluation listing the valid names
    label_en, settings_sha, min_share = named.rows(con, "report_window", evaluation=evaluation)[0]
    tiers = tuple((float(score), name) for score, name in named.rows(con, "report_tiers"))
    snap = ev.snapshot(con, evaluation, snapshot_id) if snapshot_id is not None else None
    as_of = info.as_of
    if snap is not None:
        as_of, settings_sha = snap.as_of, snap.settings_sha256
        tiers, min_share = _frozen_settings(con, snap.snapshot_id, tiers, min_share)
    if snap is not None:
        ward = named.frame(con, "report_ward_indicators_frozen", snapshot=snapshot_id)
    else:
        ward = named.frame(con, "report_ward_indicators", evaluation=evaluation)
    league = ev.league_table(con, evaluation, snapshot_id)
    components = ev.league_components(con, evaluation, snapshot_id)
    completeness = named.frame(con, "report_completeness", evaluation=evaluation)
    feeds_vi = {code: contract.label_vi for code, contract in c.FEEDS.items()}
    feeds_en = {code: contract.label_en for code, contract in c.FEEDS.items()}
    completeness = completeness.with_columns(
        pl.col("feed").replace_strict(feeds_vi, default=pl.col("feed")).alias("feed_label_vi"),
        pl.col("feed").replace_strict(feeds_en, default=pl.col("feed")).alias("feed_label_en"),
    )
    snapshots = named.frame(con, "report_snapshots", evaluation=evaluation)
    ward_code, ward_name = ward_of(con)
    comments = dict(named.rows(con, "report_mart_comments"))
    scoring_vi, scoring_en = _split_comment(comments.get("league_components"))
    if info.start > as_of:
        status = "not_started"
    elif info.end <= as_of:
        status = "complete"
    else:
        status = "in_progress"
    return ReportData(
        evaluation=evaluation,
        label_vi=info.label_vi,
        label_en=label_en or info.label_vi,
        window_start=info.start,
        window_end=info.end,
        as_of=as_of,
        period_status=status,
        issued_on=issued_on or now_vietnam().date(),
        settings_sha256=settings_sha or "",
        min_weight_share=float(min_share),
        tiers=tiers,
        snapshot=snap,
        ward_indicators=ward,
        league=league,
        components=components,
        completeness=completeness,
        snapshots=snapshots,
        scoring_vi=scoring_vi,
        scoring_en=scoring_en,
        window_note=_window_note(con, evaluation) if snap is None else None,
        ward_code=ward_code,
        ward_name=ward_name,
    )


def _window_note(con, evaluation: str) -> str | None:
    from warehouse.completeness import window_note_vi

    return window_note_vi(con, evaluation)


def _frozen_settings(con, snapshot_id: int, tiers, min_share):
    """The tiers and minimum weight share of the settings a snapshot was frozen with."""
    from warehouse.settings import SettingsError, parse_settings

    text = named.rows(con, "snapshot_settings", snapshot=snapshot_id)[0][0]
    try:
        settings = parse_settings(text or "", "bản chốt")
    except SettingsError:
        return tiers, min_share
    return tuple(sorted(((float(s), n) for s, n in settings.tiers), reverse=True)), settings.min_weight_share


def _split_comment(comment: str | None) -> tuple[str, str]:
    """A mart's 'Vietnamese / English' comment as its two halves (the English half has no ' / ')."""
    if not comment:
        return "", ""
    if " / " not in comment:
        return comment, comment
    vi, en = comment.rsplit(" / ", 1)
    return vi.strip(), en.strip()
