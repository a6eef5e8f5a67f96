"""Run a contract's Great Expectations suite on a parsed file and turn failures into row errors.

GX 1.x has no Polars engine and its SQL path fails on DuckDB, so it validates a
pandas view of the typed frame. GX is imported here, lazily: it costs seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import threading
import warnings

import polars as pl

from expectations.suites import GROUP_HOUSEHOLDS, date_number, load_suite
from pipelines.parsing import ERROR_SCHEMA, Parsed
from pipelines.reading import LINE

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


@functools.lru_cache(maxsize=None)
def _validation_definition(name: str):
    import great_expectations as gx

    ctx = _context()
    stored = load_suite(name)
    suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=stored["expectations"]))
    batch = (
        ctx.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(f"{name}_asset")
        .add_batch_definition_whole_dataframe(f"{name}_batch")
    )
    return ctx.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch, suite=suite)
    )


@functools.lru_cache(maxsize=1)
def _import_gx_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations  # noqa: F401


def pandas_view(parsed: Parsed, group_households: dict[str, int] | None):
    """The typed frame as pandas, dates as yyyymmdd integers, with the group's households."""
    frame = parsed.typed.with_columns(
        pl.col(col).dt.to_string("%Y%m%d").cast(pl.Int64).alias(col)
        for col in parsed.typed.columns
        if parsed.typed.schema[col] == pl.Date
    )
    if group_households is not None and "group_code" in frame.columns:
        frame = frame.with_columns(
            pl.col("group_code")
            .replace_strict(group_households, default=None, return_dtype=pl.Int64)
            .alias(GROUP_HOUSEHOLDS)
        )
    return frame.to_pandas()


def validate(
    parsed: Parsed,
    *,
    group_codes: list[str],
    unit_codes: list[str],
    group_households: dict[str, int] | None = None,
    today: dt.date | None = None,
) -> tuple[pl.DataFrame, dict]:
    """Errors (line, column, value, rule) found by the suite, and the summary kept with the upload."""
    _import_gx_quietly()
    name = parsed.contract.name
    pdf = pandas_view(parsed, group_households)
    params = {
        "today": date_number(today or dt.date.today()),
        "group_codes": sorted(group_codes),
        "unit_codes": sorted(unit_codes),
    }
    with _lock:
        result = _validation_definition(name).run(
            batch_parameters={"dataframe": pdf},
            expectation_parameters=params,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [LINE]},
        )
    lines: list[int] = []
    columns: list[str] = []
    rules: list[str] = []
    summary = {"suite": name, "success": bool(result.success), "expectations": []}
    for item in result.results:
        meta = item.expectation_config.meta or {}
        exc = item.exception_info or {}
        if exc.get("raised_exception"):
            raise RuntimeError(f"GX {meta}: {exc.get('exception_message')}")
        failing = [int(entry[LINE]) for entry in item.result.get("unexpected_index_list") or []]
        summary["expectations"].append(
            {
                "type": item.expectation_config.type,
                "rule": meta.get("rule"),
                "column": meta.get("column"),
                "success": bool(item.success),
                "unexpected_count": len(failing),
            }
        )
        lines += failing
        columns += [meta["column"]] * len(failing)
        rules += [meta["rule"]] * len(failing)
    found = pl.DataFrame({"line": lines, "column": columns, "rule": rules}, schema={
        "line": pl.Int64, "column": pl.String, "rule": pl.String})
    # The value reported is the cell as the clerk wrote it.
    long = parsed.strings.filter(pl.col(LINE).is_in(found["line"].unique().implode())).unpivot(
        index=LINE, variable_name="column", value_name="value"
    )
    found = found.join(long.rename({LINE: "line"}), on=["line", "column"], how="left")
    return found.select(list(ERROR_SCHEMA)).cast(ERROR_SCHEMA), summary


def summary_json(summary: dict) -> str:
    return json.dumps(summary, ensure_ascii=False)
