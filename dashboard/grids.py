"""Coloured, sortable tables of the scorecard and the one-indicator page (numbers stay numbers for sorting)."""

from __future__ import annotations

import math

import polars as pl
import streamlit as st

from dashboard import standing
from dashboard.i18n import SHORT_NAMES, lang, pick, t
from kernel import formats as fmt

KEY_COLUMN = "_group"


def legend() -> None:
    """The colour scale, written out (every colour on a page has its legend)."""
    badges = {"achieved": "green", "near": "orange", "behind": "red", "grey": "gray"}
    st.markdown(
        f"**{t('legend')}:** "
        + " ".join(f":{colour}-badge[{t('cell_' + status)}]" for status, colour in badges.items())
        + f"  \n{t('near_rule')}"
    )


def _styled(frame: pl.DataFrame, statuses: pl.DataFrame, numeric: list[str]):
    """A pandas Styler: each numeric cell shown as 1.234,5 on the colour of its status."""
    language = lang()
    # A missing figure: st.dataframe draws a null as "None" whatever the Styler says, so it becomes +∞
    # (sorts with the other missing ones, at one end) and the Styler shows it as "—".
    frame = frame.with_columns(
        pl.col(c).cast(pl.Float64).fill_nan(None).fill_null(math.inf)
        for c in numeric
        if frame[c].null_count()
    )
    pandas_frame = frame.to_pandas()
    css = statuses.select(
        [
            pl.col(c).replace_strict(
                {
                    s: f"background-color: {standing.COLOURS[s]}; color: {standing.TEXT_COLOURS[s]}"
                    for s in standing.STATUSES
                },
                default="",
                return_dtype=pl.String,
            )
            if c in statuses.columns
            else pl.lit("").alias(c)
            for c in frame.columns
        ]
    ).to_pandas()
    css.index = pandas_frame.index

    def fmt_value(v):
        return fmt.smart(v if v is not None and math.isfinite(v) else None, language)  # missing: —

    styler = pandas_frame.style.apply(lambda _: css, axis=None)
    return styler.format(fmt_value, subset=numeric, na_rep="—")


def scorecard_frames(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str], dict[str, str]]:
    """(values, statuses, column → indicator id, column → full name and unit): one row per scope (the ward
    first), one column per indicator."""
    judged = standing.with_status(rows)
    ids = judged.unique("indicator_id", maintain_order=True)
    english = lang() == "en"
    columns, full_names = {}, {}
    for r in ids.iter_rows(named=True):
        short = SHORT_NAMES.get(r["indicator_id"])
        full = (r.get("name_en") if english else None) or r["indicator_name_vi"]
        label = short[1 if english else 0] if short else full
        label = label if label not in columns else full
        columns[label] = r["indicator_id"]
        full_names[label] = f"{full} ({pick(r, 'unit')})" if r.get("unit_vi") else full
    names = {v: k for k, v in columns.items()}
    scope_label = (
        pl.when(pl.col("scope") == "ward")
        .then(pl.lit(t("scorecard_ward")))
        .otherwise(pl.col("group_code") + " · " + pl.col("group_name"))
    )
    keyed = judged.with_columns(
        scope_label.alias(KEY_COLUMN), pl.col("indicator_id").replace_strict(names).alias("_indicator")
    )
    values = keyed.pivot(on="_indicator", index=KEY_COLUMN, values="value", aggregate_function="first")
    statuses = keyed.pivot(
        on="_indicator", index=KEY_COLUMN, values="cell_status", aggregate_function="first"
    )
    achieved = keyed.group_by(KEY_COLUMN, maintain_order=True).agg(
        (pl.col("cell_status") == "achieved").sum().alias(t("achieved_count"))
    )
    order = [KEY_COLUMN, t("achieved_count"), *[c for c in columns if c in values.columns]]
    values = values.join(achieved, on=KEY_COLUMN, how="left").select(order)
    statuses = statuses.select(KEY_COLUMN, *[c for c in columns if c in statuses.columns])
    return values, statuses, columns, full_names


VISIBLE_ROWS = 12


def table_height(rows: int) -> int:
    """Pixels for a table to show its rows, up to VISIBLE_ROWS; a longer one scrolls inside itself.

    The header row (the indicators' names) then stays in sight over the 40 groups, on a phone too; and
    the browser draws the rows in sight, not all of them: a table as tall as 40 groups was a fifth of
    the scorecard's drawing, and with a room full of people on the ward's one server, every tab's
    drawing adds up."""
    return 38 + 35 * min(rows, VISIBLE_ROWS)


def scorecard_table(values: pl.DataFrame, statuses: pl.DataFrame, *, key: str, help: dict | None = None):
    """One scorecard table; the event of a click on a cell (st.dataframe single-cell selection)."""
    numeric = [c for c in values.columns if c != KEY_COLUMN]
    config = {KEY_COLUMN: st.column_config.TextColumn(t("group"), pinned=True, width=130)}
    for name in numeric:
        config[name] = st.column_config.Column(
            name, help=(help or {}).get(name, name), width=64 if name == t("achieved_count") else 120
        )
    return _selectable(values, statuses, numeric, config, key=key, mode="single-cell")


def indicator_rows(frame: pl.DataFrame, kind: str | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(table, statuses) for the one-indicator page: groups worst first, the columns a chairman asks for.

    `kind`: the indicator's (count, ratio, median); a count's target is shown as a whole number."""
    ranked = standing.worst_first(standing.with_status(frame))
    status_label = {s: t(f"cell_{s}") for s in standing.STATUSES} | {"grey": t("cell_grey_short")}
    # The figure's own share of reports (0–1) when the marts have it, else the feed's (already in %).
    if "reporting_share" in ranked.columns:
        completeness = (pl.col("reporting_share") * 100).alias("completeness")
    else:
        completeness = pl.col("feed_received_share").alias("completeness")
    target = pl.col("target").round(0) if kind == "count" else pl.col("target")  # 14 đợt, not 14,1
    # The gap beside a whole target is taken from that whole target: 12 against 14 is «-2», not «-2,1».
    gap = (pl.col("value") - target) if kind == "count" else pl.col("gap_to_target")
    table = ranked.select(
        pl.col("position").alias(t("position")),
        (pl.col("group_code") + " · " + pl.col("group_name")).alias(KEY_COLUMN),
        pl.col("value").alias(t("value")),
        pl.col("cell_status").replace_strict(status_label, return_dtype=pl.String).alias(t("standing")),
        target.alias(t("target")),
        gap.alias(t("gap")),
        pl.col("change").alias(t("change")),
        pl.col("last_year_value").alias(t("last_year")),
        pl.col("sample_size").alias(t("sample_size")),
        completeness.alias(t("completeness")),
    )
    if table[t("last_year")].null_count() == table.height:
        table = table.drop(t("last_year"))  # no same period a year earlier yet
    statuses = ranked.select(
        pl.col("cell_status").alias(t("standing")), pl.col("cell_status").alias(t("value"))
    )
    return table, statuses


def indicator_table(table: pl.DataFrame, statuses: pl.DataFrame, *, key: str):
    """The one-indicator table; a click on a row is the event returned (st.dataframe single-row selection)."""
    numeric = [c for c in table.columns if c not in (KEY_COLUMN, t("standing"), t("position"))]
    config = {
        t("position"): st.column_config.NumberColumn(t("position"), width=40, pinned=True),
        KEY_COLUMN: st.column_config.TextColumn(t("group"), pinned=True, width=130),
        t("value"): st.column_config.Column(t("value"), width=70),
        t("standing"): st.column_config.TextColumn(t("standing"), width=110),  # «Chưa đủ số liệu» whole
    }
    return _selectable(table, statuses, numeric, config, key=key, mode="single-row")


def _selectable(table: pl.DataFrame, statuses: pl.DataFrame, numeric: list[str], config: dict, *, key, mode):
    """The coloured table (see `table_height`); a click (on a cell or a row, by `mode`) reruns the page with it."""
    return st.dataframe(
        _styled(table, statuses, numeric),
        hide_index=True,
        key=key,
        height=table_height(table.height),
        column_config=config,
        on_select="rerun",
        selection_mode=mode,
    )
