"""Where a figure stands against its target, and why a group ranks where it does. Pure functions, no Streamlit.

The scorecard, the one-indicator page, the overview and the one-page PDF all
judge cells the same way: green achieved, amber near (behind by at most
NEAR_SHARE of the target), red behind, grey when the figure is provisional or
there is no figure to judge (no data, no target).
"""

from __future__ import annotations

import polars as pl

from dashboard.i18n import TEXT
from kernel import formats

NEAR_SHARE = 0.10  # behind the target by at most 10 % of it: "near"
STATUSES = ("achieved", "near", "behind", "grey")
COLOURS = {"achieved": "#c8e6c9", "near": "#ffe0b2", "behind": "#ffcdd2", "grey": "#eeeeee"}
TEXT_COLOURS = {"achieved": "#1b5e20", "near": "#8a4b00", "behind": "#b71c1c", "grey": "#616161"}


def cell_status(row: dict) -> str:
    """achieved, near, behind or grey for one indicator value (a row of indicator_values)."""
    data_status = row.get("data_status")
    if data_status is not None and data_status != "complete":
        return "grey"  # provisional or no data (issue 9's marks), when the mart has them
    value, target, on_track = row.get("value"), row.get("target"), row.get("on_track")
    if value is None or target is None or on_track is None:
        return "grey"
    if on_track:
        return "achieved"
    scale = abs(target)
    if scale and abs(value - target) <= NEAR_SHARE * scale:
        return "near"
    return "behind"


def with_status(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with a `cell_status` column (see cell_status)."""
    statuses = [cell_status(r) for r in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("cell_status", statuses, dtype=pl.String))


def shortfall(row: dict) -> float | None:
    """How far behind the target, in % of the target, in the indicator's good direction (<0: ahead)."""
    value, target = row.get("value"), row.get("target")
    if value is None or target is None:
        return None
    sign = 1 if row.get("direction") == "higher" else -1
    if not target:
        return None if value == target else float(-sign * (value - target) * 100)
    return -sign * 100 * (value - target) / abs(target)


def worst_first(frame: pl.DataFrame) -> pl.DataFrame:
    """Groups of one indicator, worst first: furthest behind the target (else worst value), no figure last."""
    rows = list(frame.iter_rows(named=True))
    higher = bool(rows) and rows[0].get("direction") == "higher"

    def key(r: dict):
        if r.get("value") is None:
            return (2, 0.0, r.get("group_code") or "")
        short = shortfall(r)
        if short is not None:
            return (0, -short, r.get("group_code") or "")
        return (1, r["value"] if higher else -r["value"], r.get("group_code") or "")

    order = sorted(range(len(rows)), key=lambda i: key(rows[i]))
    return frame[order].with_row_index("position", offset=1)


def headline(ward: pl.DataFrame) -> tuple[int, int]:
    """(indicators achieved, indicators with a target and a figure) for the ward's headline indicators."""
    statuses = [cell_status(r) for r in ward.iter_rows(named=True)]
    judged = [s for s in statuses if s != "grey"]
    return sum(s == "achieved" for s in judged), len(judged)


# -- why this rank -------------------------------------------------------------------------------


def say(key: str, lang: str = "vi", **values) -> str:
    """A label of dashboard/i18n.py in the given language (pure: no session state)."""
    vi, en = TEXT[key]
    return (en if lang == "en" else vi).format(**values)


def _name(row: dict, lang: str) -> str:
    if lang == "en" and row.get("name_en"):
        return row["name_en"]
    return row.get("indicator_name_vi") or ""


def rank_reasons(
    league_row: dict, components: pl.DataFrame, groups_ranked: int, lang: str = "vi", *, peers: str = "group"
) -> dict:
    """Plain sentences for one group: its place, strengths, weaknesses and what would lift it most.

    `components` are that group's rows of league_components; `peers` names what is ranked: "group"
    (in a ward) or "ward" (in the city), for «the best group / ward». Returns {"summary", "strengths",
    "weaknesses", "lift"}: a sentence, two lists of sentences and a sentence (or None).
    """

    def num(value) -> str:
        return formats.smart(value, lang)

    if league_row.get("rank") is None:
        note = league_row.get("note_vi") or say("why_not_ranked_default", lang)
        summary = say("why_not_ranked", lang, note=note.rstrip("."))
    else:
        summary = say(
            "why_ranked",
            lang,
            rank=league_row["rank"],
            ranked=groups_ranked,
            score=num(league_row.get("score")),
            tier=league_row.get("tier") or "",
        )
    scored = components.filter(pl.col("status") == "scored")
    weight_total = scored["weight"].sum() or 0
    strengths, weaknesses = [], []
    for r in scored.sort("component_score", descending=True).iter_rows(named=True):
        words = {
            "name": _name(r, lang),
            "value": num(r["raw_value"]),
            "unit": (r.get("unit_en") if lang == "en" else None) or r.get("unit_vi") or "",
            "target": num(r["target"]),
            "points": num(r["component_score"]),
        }
        (strengths if r["component_score"] >= 50 else weaknesses).append(
            say("why_strength" if r["component_score"] >= 50 else "why_weakness", lang, **words)
        )
    for r in components.filter(pl.col("status") != "scored").iter_rows(named=True):
        weaknesses.append(say("why_unscored", lang, name=_name(r, lang)))
    lift = None
    if scored.height and weight_total:
        # The component with the most weighted room below the target (else below the best group).
        below = scored.filter(pl.col("component_score") < 50)
        if below.height:
            best = below.sort(pl.col("weight") * (50 - pl.col("component_score")), descending=True).row(
                0, named=True
            )
            gain = (50 - best["component_score"]) * best["weight"] / weight_total
            lift = say(
                "why_lift_target",
                lang,
                name=_name(best, lang),
                target=num(best["target"]),
                unit=(best.get("unit_en") if lang == "en" else None) or best.get("unit_vi") or "",
                gain=num(gain),
            )
        else:
            best = scored.sort(pl.col("weight") * (100 - pl.col("component_score")), descending=True).row(
                0, named=True
            )
            gain = (100 - best["component_score"]) * best["weight"] / weight_total
            if gain > 0.05:
                key = "why_lift_best_ward" if peers == "ward" else "why_lift_best"
                lift = say(key, lang, name=_name(best, lang), gain=num(gain))
    return {"summary": summary, "strengths": strengths, "weaknesses": weaknesses, "lift": lift}
