"""What every report format says the same way: tier names and colours, assessments, the summary lines."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from kernel import formats
from kernel.labels import REASONS_EN, TIERS_EN, label
from services.reports.data import ReportData

# One Vietnamese formatter for the whole project (kernel/formats.py).
fmt_number, fmt_value, fmt_signed = formats.number, formats.smart, formats.signed
fmt_date, fmt_datetime = formats.date, formats.datetime
# Same tier colours as the dashboard's charts (best first); spread over the ward's tiers so the worst is red.
TIER_COLOURS = ["#1b5e20", "#43a047", "#f9a825", "#ef6c00", "#c62828"]
GREEN, RED, GREY = "#2e7d32", "#c62828", "#9e9e9e"


def _tier_name(tier: str | None, lang: str) -> str:
    if tier is None:
        return ""
    return TIERS_EN.get(tier, tier) if lang == "en" else tier


def tier_colours(tiers: Sequence[tuple[float, str]]) -> dict[str, str]:
    """Tier label → colour, best tier dark green, worst red, whatever the number of tiers."""
    n = len(tiers)
    last = len(TIER_COLOURS) - 1
    return {
        name: TIER_COLOURS[round(i * last / (n - 1)) if n > 1 else 0] for i, (_, name) in enumerate(tiers)
    }


def _indicator_name(row: dict, lang: str) -> str:
    return (row.get("indicator_name_en") if lang == "en" else None) or row["indicator_name_vi"]


def _unit(row: dict, lang: str) -> str:
    return (row.get("unit_en") if lang == "en" else None) or row["unit_vi"]


def _assessment(row: dict, lang: str) -> str:
    if row.get("data_status") == "provisional":  # never "Đạt" before every report is in
        return row.get("data_status_vi") or ""
    if row["on_track"] is True:
        return label("on_track", lang)
    if row["on_track"] is False:
        return label("off_track", lang)
    if row["value"] is None:
        return label("no_value", lang)
    return label("no_target", lang)


def _reason(row: dict, lang: str) -> str:
    if row.get("reason") is None:
        return ""
    return REASONS_EN.get(row["reason"], row["reason_vi"] or "") if lang == "en" else row["reason_vi"] or ""


def _component_status(row: dict, lang: str) -> str:
    if lang == "en":
        return (
            label(row["status"], lang)
            if row["status"] in ("scored", "insufficient_data", "no_target")
            else ""
        )
    return row["status_vi"] or ""


def _source_text(data: ReportData, lang: str) -> str:
    if data.snapshot is None:
        return label("live_source", lang)
    return label(
        "frozen_source",
        lang,
        id=data.snapshot.snapshot_id,
        at=fmt_datetime(data.snapshot.frozen_at),
        hash=data.snapshot.content_sha256,
    )


def _frozen_before_text(data: ReportData, lang: str) -> str | None:
    if data.snapshot is not None or data.snapshots.is_empty():
        return None
    last = data.snapshots.row(-1, named=True)
    return label(
        "frozen_before",
        lang,
        n=data.snapshots.height,
        id=last["snapshot_id"],
        at=fmt_datetime(last["frozen_at"]),
        changed=last["groups_changed"],
    )


def _scoring_text(data: ReportData, lang: str) -> str:
    tiers = "; ".join(
        label("tier_from", lang, label=_tier_name(name, lang), score=fmt_value(score, lang))
        for score, name in data.tiers
    )
    return label("scoring_plain", lang, share=fmt_value(100 * data.min_weight_share, lang), tiers=tiers)


def _ward_completeness(data: ReportData) -> dict | None:
    ward = data.completeness.filter(pl.col("level") == "ward")
    return ward.row(0, named=True) if ward.height else None


def _summary_lines(data: ReportData, lang: str) -> list[str]:
    league = data.league
    ranked = league.filter(pl.col("ranked"))
    targeted = data.ward_indicators.filter(pl.col("on_track").is_not_null())
    lines = [label("window_note", lang, note=data.window_note)] if data.window_note else []
    lines.append(label("summary_ranked", lang, ranked=ranked.height, total=league.height))
    if ranked.height:
        leaders = ", ".join(
            f"{r['group_name']} ({label('points', lang, score=fmt_number(r['score'], 1, lang))})"
            for r in ranked.sort("rank").head(3).iter_rows(named=True)
        )
        lines.append(label("summary_leaders", lang, names=leaders))
    else:
        lines.append(label("summary_none_ranked", lang))
    lines.append(
        label(
            "summary_on_track",
            lang,
            on=targeted.filter(pl.col("on_track")).height,
            targeted=targeted.height,
        )
    )
    ward = _ward_completeness(data)
    if ward and ward["expected"]:
        lines.append(
            label(
                "summary_reports",
                lang,
                received=fmt_number(ward["received_share"], 1, lang),
                on_time=fmt_number(ward["on_time_share"], 1, lang),
                due=fmt_number(ward["expected"], 0, lang),
            )
        )
    else:
        lines.append(label("summary_no_reports", lang))
    return lines


def _weights(data: ReportData) -> pl.DataFrame:
    """One row per weighted indicator: name, unit, direction, weight, minimum sample and the group target."""
    if data.components.is_empty():
        return pl.DataFrame()
    names_en = dict(
        zip(data.ward_indicators["indicator_id"], data.ward_indicators["indicator_name_en"], strict=True)
    )
    return (
        data.components.group_by("indicator_id", maintain_order=True)
        .agg(
            pl.col("indicator_name_vi").first(),
            pl.col("unit_vi").first(),
            pl.col("direction").first(),
            pl.col("weight").first(),
            pl.col("min_sample").first(),
            pl.col("target").first(),
            pl.col("indicator_order").first(),
        )
        .with_columns(
            pl.col("indicator_id").replace_strict(names_en, default=None).alias("indicator_name_en")
        )
        .sort("indicator_order")
    )
