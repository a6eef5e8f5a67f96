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

from expectations.suites import GROUP_HOUSEHOLDS, date_number, load_suite, suite_version
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


def _suite_and_batch(name: str, blocks: frozenset[int] | None = None):
    """A suite of the expectations reading the given blocks of columns (default: all), and the
    batch definition of a pandas frame; made once per process and set of blocks.

    Each expectation carries its place in the whole suite (`meta["_index"]`). The batch is
    validated directly (`Batch.validate`): a ValidationDefinition's `run` would also serialise
    every result into the context's store, which the upload keeps in its own summary.
    """
    return _made_suite_and_batch(name, blocks, suite_version(name))


@functools.cache  # keyed on the arguments as given: called only from _suite_and_batch
def _made_suite_and_batch(name: str, blocks: frozenset[int] | None, version: str):
    import great_expectations as gx

    ctx = _context()
    _, _, ordered = _suite_columns(name)
    block_of = {col: k for k, block in enumerate(ordered) for col in block}
    chosen = [
        {**item, "meta": {**item.get("meta", {}), "_index": i}}
        for i, item in enumerate(load_suite(name)["expectations"])
        if blocks is None or block_of[_expectation_columns(item)[0]] in blocks
    ]
    label = (name if blocks is None else f"{name}[{','.join(map(str, sorted(blocks)))}]") + version
    suite = ctx.suites.add(gx.ExpectationSuite(name=label, expectations=chosen))
    batch = (
        ctx.data_sources.add_pandas(f"{label}_source")
        .add_dataframe_asset(f"{label}_asset")
        .add_batch_definition_whole_dataframe(f"{label}_batch")
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


def _suite_columns(name: str) -> tuple[tuple[str, ...], frozenset[str], tuple[tuple[str, ...], ...]]:
    """Columns the suite reads; those it only checks for presence; and the blocks of columns
    that expectations read together (columns never read by the same expectation fall apart)."""
    return _suite_columns_of(name, suite_version(name))


@functools.cache  # the version: a ward's own suites (and its units list's) change when it adds a feed
def _suite_columns_of(name: str, version: str):
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


# Verdicts already given, per (suite, block, parameters): the expectations each combination of
# values fails (empty when it passes). Every expectation judges one row from that row's values of
# its block and the suite parameters alone, so a combination seen before needs no new run. Bounded:
# a key's verdicts are forgotten when they pass VERDICTS_KEPT combinations, and every key when there
# are more than VERDICT_KEYS_KEPT (parameters change with the day and the sending unit).
_verdicts: dict[tuple, dict[tuple, frozenset[int]]] = {}
VERDICTS_KEPT = 200_000
VERDICT_KEYS_KEPT = 256  # (suite, block, parameters) keys: a day's units × feeds fit many times over


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
    the whole file, at a fraction of the work on large files. Combinations judged before (in
    an earlier file of this process, with the same parameters) are not judged again: only the
    expectations of blocks holding new combinations run, on those combinations.
    """
    _import_gx_quietly()
    name = parsed.contract.name
    expectations = load_suite(name)["expectations"]
    frame = validation_frame(parsed, group_households)
    _, _, blocks = _suite_columns(name)
    block_of = {col: k for k, block in enumerate(blocks) for col in block}
    distinct = [frame.select(block).unique(maintain_order=True) for block in blocks]
    params = {
        "today": date_number(today or dt.date.today()),
        "group_codes": sorted(group_codes),
        "unit_codes": sorted(unit_codes),
    }
    params_key = (params["today"], tuple(params["group_codes"]), tuple(params["unit_codes"]))
    with _lock:
        if len(_verdicts) > VERDICT_KEYS_KEPT:  # other days and units: forget them all, start again
            _verdicts.clear()
        known = []
        for k in range(len(blocks)):
            cache = _verdicts.setdefault((name, suite_version(name), k, params_key), {})
            if len(cache) > VERDICTS_KEPT:
                cache.clear()
            known.append(cache)
        rows = [d.rows() for d in distinct]
        new = {k: [i for i, row in enumerate(rows[k]) if row not in known[k]] for k in range(len(blocks))}
        new = {k: positions for k, positions in new.items() if positions}
        validated = _run_suite(name, distinct, new, params) if new else {}
        for k, positions in new.items():
            failed = validated.get(k, {})
            for position in positions:
                known[k][rows[k][position]] = frozenset(failed.get(position, ()))
        verdicts = [[known[k][row] for row in rows[k]] for k in range(len(blocks))]
    summary = {
        "suite": name,
        "success": True,
        "rows": frame.height,
        "distinct_rows_validated": max((len(p) for p in new.values()), default=0),
        "expectations": [],
    }
    found_parts = []
    for index, item in enumerate(expectations):
        meta = item.get("meta", {})
        k = block_of[_expectation_columns(item)[0]]
        failing = [position for position, failed in enumerate(verdicts[k]) if index in failed]
        lines = pl.DataFrame(schema={"line": pl.Int64})
        if failing:
            # Back from distinct values to the file's lines.
            bad = distinct[k][failing]
            lines = frame.join(bad, on=list(blocks[k]), nulls_equal=True).select(pl.col(LINE).alias("line"))
            found_parts.append(
                lines.with_columns(pl.lit(meta["column"]).alias("column"), pl.lit(meta["rule"]).alias("rule"))
            )
        summary["success"] = summary["success"] and not failing
        summary["expectations"].append(
            {
                "type": item["type"],
                "rule": meta.get("rule"),
                "column": meta.get("column"),
                "success": not failing,
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


def _run_suite(
    name: str, distinct: list[pl.DataFrame], new: dict[int, list[int]], params: dict
) -> dict[int, dict[int, set[int]]]:
    """Run the expectations of the blocks in `new` on their new combinations (positions in
    `distinct`); return, per block, the expectations (by place in the whole suite) each fails."""
    order = sorted(new)
    height = max(len(new[k]) for k in order)
    padded = []
    for j, k in enumerate(order):
        index = new[k] + [new[k][0]] * (height - len(new[k]))
        padded.append(distinct[k][index].with_columns(pl.Series(f"{COMBO}{j}", index, dtype=pl.Int64)))
    pdf = pl.concat(padded, how="horizontal").with_columns(pl.col(pl.String).cast(pl.Categorical)).to_pandas()
    suite, batch = _suite_and_batch(name, frozenset(order) if len(order) < len(distinct) else None)
    result = batch.get_batch(batch_parameters={"dataframe": pdf}).validate(
        suite,
        expectation_parameters=params,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [f"{COMBO}{j}" for j in range(len(order))],
        },
    )
    _, _, blocks = _suite_columns(name)
    block_of = {col: k for k, block in enumerate(blocks) for col in block}
    failed: dict[int, dict[int, set[int]]] = {}
    for item in result.results:
        config = item.expectation_config
        meta = config.meta or {}
        exc = item.exception_info or {}
        if exc.get("raised_exception"):
            raise RuntimeError(f"GX {meta}: {exc.get('exception_message')}")
        k = block_of[_expectation_columns({"kwargs": config.kwargs, "meta": meta})[0]]
        column = f"{COMBO}{order.index(k)}"
        for e in item.result.get("unexpected_index_list") or []:
            failed.setdefault(k, {}).setdefault(int(e[column]), set()).add(meta["_index"])
    return failed
