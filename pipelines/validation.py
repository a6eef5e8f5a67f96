"""Run a contract's Great Expectations suite on a parsed file and turn failures into row errors.

GX 1.x has no Polars engine and its SQL path fails on DuckDB, so it validates a
pandas view of the typed frame. GX is imported here, lazily: it costs seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import warnings

import polars as pl

from expectations.suites import GROUP_HOUSEHOLDS, date_number, load_suite
from pipelines.parsing import ERROR_SCHEMA, Parsed
from pipelines.reading import LINE

COMBO = "_combo"
_lock = threading.Lock()  # GX's ephemeral context is not meant for concurrent runs


@functools.lru_cache(maxsize=1)
def _context():
    warnings.filterwarnings("ignore", module="great_expectations")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


@functools.cache
def _suite_and_batch(name: str):
    """The suite and the batch definition of a pandas frame, made once per process.

    The batch is validated directly (`Batch.validate`): a ValidationDefinition's `run` would also
    serialise every result into the context's store, which the upload keeps in its own summary.
    """
    import great_expectations as gx

    ctx = _context()
    stored = load_suite(name)
    suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=stored["expectations"]))
    batch = (
        ctx.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(f"{name}_asset")
        .add_batch_definition_whole_dataframe(f"{name}_batch")
    )
    return suite, batch


@functools.lru_cache(maxsize=1)
def _import_gx_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations  # noqa: F401


def _expectation_columns(item: dict) -> list[str]:
    kwargs, meta = item["kwargs"], item.get("meta", {})
    used = [kwargs.get(k) for k in ("column", "column_A", "column_B")] + [meta.get("other")]
    return list(dict.fromkeys(filter(None, used)))


@functools.cache
def _suite_columns(name: str) -> tuple[tuple[str, ...], frozenset[str], tuple[tuple[str, ...], ...]]:
    """Columns the suite reads; those it only checks for presence; and the blocks of columns
    that expectations read together (columns never read by the same expectation fall apart)."""
    needed: dict[str, None] = {}
    presence: dict[str, bool] = {}
    blocks: list[set[str]] = []
    for item in load_suite(name)["expectations"]:
        used = _expectation_columns(item)
        for col in used:
            needed[col] = None
            only_presence = (
                item["type"] == "expect_column_values_to_not_be_null"
                and "row_condition" not in item["kwargs"]
                and item["kwargs"].get("column") == col
            )
            presence[col] = presence.get(col, True) and only_presence
        merged = set(used)
        for block in [b for b in blocks if b & merged]:
            merged |= block
            blocks.remove(block)
        blocks.append(merged)
    ordered = tuple(tuple(col for col in needed if col in block) for block in blocks)
    return tuple(needed), frozenset(col for col, only in presence.items() if only), ordered


def validation_frame(parsed: Parsed, group_households: dict[str, int] | None) -> pl.DataFrame:
    """The columns the suite reads, dates as yyyymmdd integers, with each row's group households.

    Columns checked only for presence (record ids, names) are reduced to present/absent, so that
    rows differing only there collapse into one distinct combination below.
    """
    needed, presence, _ = _suite_columns(parsed.contract.name)
    frame = parsed.typed
    if GROUP_HOUSEHOLDS in needed:
        frame = frame.with_columns(
            pl.col("group_code")
            .replace_strict(group_households or {}, default=None, return_dtype=pl.Int64)
            .alias(GROUP_HOUSEHOLDS)
        )
    exprs = []
    for col in needed:
        if col in presence:
            exprs.append(pl.when(pl.col(col).is_not_null()).then(pl.lit("x")).alias(col))
        elif frame.schema[col] == pl.Date:
            day = pl.col(col)
            exprs.append(
                (
                    day.dt.year().cast(pl.Int64) * 10000
                    + day.dt.month().cast(pl.Int64) * 100
                    + day.dt.day().cast(pl.Int64)
                ).alias(col)
            )
        else:
            exprs.append(pl.col(col))
    return frame.select([*exprs, pl.col(LINE)])


def validate(
    parsed: Parsed,
    *,
    group_codes: list[str],
    unit_codes: list[str],
    group_households: dict[str, int] | None = None,
    today: dt.date | None = None,
) -> tuple[pl.DataFrame, dict]:
    """Errors (line, column, value, rule) found by the suite, and the summary kept with the upload.

    Every expectation in the suites judges one row at a time, reading one to three columns.
    So the suite runs on the distinct values of each block of columns read together (the
    blocks side by side in one frame, shorter blocks padded by repeating their first row),
    and each failure maps back to every line holding those values: the same verdicts as on
    the whole file, at a fraction of the work on large files.
    """
    _import_gx_quietly()
    name = parsed.contract.name
    frame = validation_frame(parsed, group_households)
    _, _, blocks = _suite_columns(name)
    distinct = [frame.select(block).unique(maintain_order=True) for block in blocks]
    height = max(d.height for d in distinct)
    padded = []
    for k, values in enumerate(distinct):
        index = list(range(values.height)) + [0] * (height - values.height)
        padded.append(values[index].with_columns(pl.Series(f"{COMBO}{k}", index, dtype=pl.Int64)))
    pdf = pl.concat(padded, how="horizontal").with_columns(pl.col(pl.String).cast(pl.Categorical)).to_pandas()
    block_of = {col: k for k, block in enumerate(blocks) for col in block}
    params = {
        "today": date_number(today or dt.date.today()),
        "group_codes": sorted(group_codes),
        "unit_codes": sorted(unit_codes),
    }
    with _lock:
        suite, batch = _suite_and_batch(name)
        result = batch.get_batch(batch_parameters={"dataframe": pdf}).validate(
            suite,
            expectation_parameters=params,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [f"{COMBO}{k}" for k in range(len(blocks))],
            },
        )
    summary = {
        "suite": name,
        "success": bool(result.success),
        "rows": frame.height,
        "distinct_rows_validated": height,
        "expectations": [],
    }
    found_parts = []
    for item in result.results:
        config = item.expectation_config
        meta = config.meta or {}
        exc = item.exception_info or {}
        if exc.get("raised_exception"):
            raise RuntimeError(f"GX {meta}: {exc.get('exception_message')}")
        k = block_of[_expectation_columns({"kwargs": config.kwargs, "meta": meta})[0]]
        failing = sorted({int(e[f"{COMBO}{k}"]) for e in item.result.get("unexpected_index_list") or []})
        lines = pl.DataFrame(schema={"line": pl.Int64})
        if failing:
            # Back from distinct values to the file's lines.
            bad = distinct[k][failing]
            lines = frame.join(bad, on=list(blocks[k]), nulls_equal=True).select(pl.col(LINE).alias("line"))
            found_parts.append(
                lines.with_columns(pl.lit(meta["column"]).alias("column"), pl.lit(meta["rule"]).alias("rule"))
            )
        summary["expectations"].append(
            {
                "type": config.type,
                "rule": meta.get("rule"),
                "column": meta.get("column"),
                "success": bool(item.success),
                "unexpected_count": lines.height,
            }
        )
    found = (
        pl.concat(found_parts)
        if found_parts
        else pl.DataFrame(schema={"line": pl.Int64, "column": pl.String, "rule": pl.String})
    )
    # The value reported is the cell as the clerk wrote it.
    long = parsed.strings.filter(pl.col(LINE).is_in(found["line"].unique().implode())).unpivot(
        index=LINE, variable_name="column", value_name="value"
    )
    found = found.join(long.rename({LINE: "line"}), on=["line", "column"], how="left")
    return found.select(list(ERROR_SCHEMA)).cast(ERROR_SCHEMA), summary
