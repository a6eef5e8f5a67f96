"""The league table as it reads: component scores labelled as scores, raw values beside them on demand."""

from __future__ import annotations

import polars as pl

from dashboard.i18n import pick, t


def league_frame(league: pl.DataFrame, components: pl.DataFrame, *, raw: bool = False) -> pl.DataFrame:
    """Rank, group, score, tier, then one «Điểm …» column (0–100) per weighted indicator, and with
    `raw` the group's value of that indicator («Giá trị …») beside each score."""
    table = league.select("rank", "group_code", "group_name", "score", "tier")
    names = components.unique("indicator_id", maintain_order=True).sort("indicator_order")
    for r in names.iter_rows(named=True):
        one = components.filter(pl.col("indicator_id") == r["indicator_id"])
        unit = f" ({pick(r, 'unit')})" if r.get("unit_vi") else ""
        score = one.select(
            "group_code", pl.col("component_score").alias(t("score_of", name=r["indicator_name_vi"]))
        )
        table = table.join(score, on="group_code", how="left")
        if raw:
            value = one.select(
                "group_code", pl.col("raw_value").alias(t("value_of", name=r["indicator_name_vi"]) + unit)
            )
            table = table.join(value, on="group_code", how="left")
    return table
