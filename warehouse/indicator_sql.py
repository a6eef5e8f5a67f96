"""The mart SQL compiled from the indicator declarations: one fact per feed, one model per measure.

`models(measures)` returns (name, sql) pairs that take the place of hand-written
mart files: ``21_fact_<feed>`` (the feed's current records that count, one row
each, with ``day`` = the date the period is counted by) and, for every measure,
``40_measures_<nn>_<measure>`` (its amount for every period and group, appended to
``marts.measures``), then the ward's totals. `warehouse/refresh.py` runs them in
name order among the files of `warehouse/marts/`.

Nothing from a declaration reaches the SQL as typed: feed names and columns are
checked against `kernel.contracts` and quoted as identifiers, conditions are
parsed and recompiled (`warehouse/conditions.py`), values are quoted literals,
numbers are numbers. `python -m warehouse.indicator_sql` prints the compiled SQL.
"""

from __future__ import annotations

from kernel import contracts as c
from warehouse import comments, conditions
from warehouse.indicator_decl import GROUP_AGGREGATES, Measure

# Facts named otherwise before the marts were generated: dropped so an upgraded warehouse
# does not keep a stale copy.
LEGACY_TABLES = {"sorting_inspections": "fact_sorting", "lighting_repairs": "fact_lighting"}

_PARAMS = "params AS (\n    SELECT * FROM marts.settings_params\n)"
_PERIODS = (
    "periods AS (\n    SELECT period_key, data_start, data_end, saturdays,\n"
    "        datediff('month', data_start, data_end) + 1 AS months\n"
    "    FROM marts.periods WHERE status <> 'not_started'\n)"
)
# Shared by every measure, built once per refresh (temporary: gone with the connection): the
# (period, group) grid and, per feed, its records joined to the periods their date falls in.
_GRID_TABLE = (
    "CREATE OR REPLACE TEMP TABLE measure_grid AS\nWITH {periods}\n"
    "SELECT p.period_key, g.group_code, g.households, g.population, p.saturdays, p.months\n"
    "FROM periods AS p\nJOIN marts.period_groups AS g USING (period_key);\n"
)
_GRID = "grid AS (\n    SELECT * FROM measure_grid\n)"
_GROUP_AMOUNTS = {
    "residents": "g.population",
    "households": "g.households",
    "groups": "1",
    "saturdays": "g.saturdays",
    "household_months": "g.households * g.months",
}
q = conditions.quote_identifier
lit = conditions.literal_sql


def fact_table(feed: str) -> str:
    """The fact table of a feed: marts.fact_<feed>."""
    return f"marts.{q('fact_' + feed)}"


def models(measures: dict[str, Measure]) -> list[tuple[str, str]]:
    """Every generated model, (name, sql), for the measures declared."""
    feeds = [name for name in c.FEEDS if any(m.feed == name for m in measures.values())]
    out = [(f"21_fact_{feed}", fact_sql(feed, _records(feed, measures))) for feed in feeds]
    out.append(("40_measures_000a_start", _start_sql()))
    shared = [feed for feed in feeds if any(m.feed == feed and _reads_rows(m) for m in measures.values())]
    out += [(f"40_measures_000b_rows_{feed}", rows_sql(feed, measures)) for feed in shared]
    ordered = sorted(measures.values(), key=lambda m: m.aggregate == "sum_of")  # sums after their parts
    for number, measure in enumerate(ordered, start=1):
        out.append((f"40_measures_{number:03d}_{measure.name}", measure_sql(measure)))
    out.append(("40_measures_998_insert", _insert_sql(ordered)))
    out.append(("40_measures_999_ward", _ward_sql(feeds, ordered)))
    from warehouse.contribution_sql import contributions_model  # it reuses this module's pieces

    out.append(contributions_model(measures))
    return sorted(out)


def _insert_sql(ordered: list[Measure]) -> str:
    """Every measure's model into marts.measures (medians into marts.measure_medians), in one pass."""
    sums = [m for m in ordered if m.aggregate != "median_days"]
    medians = [m for m in ordered if m.aggregate == "median_days"]
    out = "INSERT INTO marts.measures\n" + "\nUNION ALL BY NAME\n".join(
        f"SELECT * FROM {measure_view(m.name)}" for m in sums
    )
    if medians:
        out += ";\nINSERT INTO marts.measure_medians\n" + "\nUNION ALL BY NAME\n".join(
            f"SELECT * FROM {measure_view(m.name)}" for m in medians
        )
    return out + ";\n"


def _records(feed: str, measures: dict[str, Measure]) -> str | None:
    filters = {m.records for m in measures.values() if m.feed == feed}
    return next(iter(filters)) if len(filters) == 1 else None


def fact_sql(feed: str, records: str | None) -> str:
    """One row per current record of the feed that counts (the declaration's `records` filter).

    A view over the feed's table in core, not a copy: copying 1.000.000 records at every refresh,
    and writing them again at the checkpoint, was a fifth of a large file's load. (A warehouse built
    when it was a table has that table dropped first: `drop_fact_tables`.)"""
    contract = c.FEEDS[feed]
    date = contract.date_column
    where = f"\n    WHERE {conditions.compile_condition(records, contract, 'r')}" if records else ""
    columns = ",\n        ".join(f"r.{q(col)}" for col in contract.column_names)
    table = fact_table(feed)
    kept = f" ({records})" if records else ""
    statements = [
        f"-- Sinh từ khai báo chỉ tiêu (warehouse/indicator_declarations): «{contract.label_vi}».",
        *([f"DROP TABLE IF EXISTS marts.{q(LEGACY_TABLES[feed])};"] if feed in LEGACY_TABLES else []),
        f"CREATE OR REPLACE VIEW {table} AS\nWITH records AS (\n    SELECT * FROM core.{q(feed)}\n),\n"
        f"final AS (\n    SELECT\n        r.{q(date)} AS day,\n        {columns}\n    FROM records AS r{where}\n)\n"
        "SELECT * FROM final;",
        f"COMMENT ON VIEW {table} IS "
        + lit(
            f"{contract.label_vi}: mỗi bản ghi hiện hành được tính một dòng{kept} / "
            f"{contract.label_en}: one row per current record that counts"
        )
        + ";",
        f"COMMENT ON COLUMN {table}.day IS "
        + lit(f"Ngày xếp bản ghi vào kỳ ({contract.column(date).label_vi}) / Date the period is counted by")
        + ";",
    ]
    for col in contract.columns:
        statements.append(
            f"COMMENT ON COLUMN {table}.{q(col.name)} IS {lit(f'{col.label_vi} / {col.label_en}')};"
        )
    return "\n".join(statements) + "\n"


def drop_fact_tables(con) -> None:
    """Drop the facts an older release built as tables (marts.fact_<feed>), so that they can be views."""
    names = con.sql(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND NOT temporary "
        "AND table_name LIKE 'fact\\_%' ESCAPE '\\'"
    ).fetchall()
    for (name,) in names:
        if name.removeprefix("fact_") in c.FEEDS:
            con.execute(f"DROP TABLE marts.{q(name)}")


def rows_table(feed: str) -> str:
    """The temporary table of a feed's records in each period: measure_rows_<feed>."""
    return q(f"measure_rows_{feed}")


def rows_sql(feed: str, measures: dict[str, Measure] | None = None) -> str:
    """Every record of the feed once for each period its date falls in (shared by its measures),
    with only the columns its measures read."""
    contract = c.FEEDS[feed]
    wanted = {"group_code"}
    for m in (measures or {}).values():
        if m.feed != feed:
            continue
        wanted |= {x for x in (m.column, m.date_from, m.date_to, m.same_text) if x}
        wanted |= {m.choice[0]} if m.choice else set()
        wanted |= conditions.columns_of(conditions.parse(m.where)) if m.where else set()
    columns = "".join(f", f.{q(col)}" for col in contract.column_names if col in wanted or measures is None)
    return (
        f"CREATE OR REPLACE TEMP TABLE {rows_table(feed)} AS\nWITH {_PERIODS}\n"
        f"SELECT p.period_key, p.data_start, p.data_end, f.day{columns}\nFROM periods AS p\n"
        f"JOIN {fact_table(feed)} AS f ON f.day BETWEEN p.data_start AND p.data_end;\n"
    )


def _start_sql() -> str:
    return _GRID_TABLE.format(periods=_PERIODS) + (
        "-- Các đại lượng cộng được (tử số, mẫu số, cỡ mẫu) cho mỗi kỳ, mỗi tổ và toàn phường: mỗi đại lượng\n"
        "-- một mô hình (sinh từ khai báo), toàn phường là tổng của các tổ, không phải trung bình các tỷ lệ.\n"
        "CREATE OR REPLACE TABLE marts.measures (period_key VARCHAR, scope VARCHAR, group_code VARCHAR, "
        "scope_key VARCHAR, measure VARCHAR, amount DOUBLE);\n"
        "CREATE OR REPLACE TABLE marts.measure_medians (period_key VARCHAR, scope_key VARCHAR, "
        "measure VARCHAR, median_value DOUBLE);\n"
    )


def measure_view(name: str) -> str:
    """The temporary view holding one measure's model: measure__<name>."""
    return q(f"measure__{name}")


def measure_sql(m: Measure) -> str:
    """The model of one measure (a temporary view): its rows for every (period, group) of the
    period's groups list; `40_measures_998_insert` appends every model to marts.measures at once."""
    head = (
        f"-- Đại lượng «{m.name}»: {m.label_vi} (khai báo: {m.source}).\n"
        f"CREATE OR REPLACE TEMP VIEW {measure_view(m.name)} AS\n"
    )
    name = lit(m.name)
    if m.aggregate in GROUP_AGGREGATES:
        return head + (
            f"WITH {_PERIODS},\n{_GRID},\nfinal AS (\n"
            f"    SELECT g.period_key, 'group' AS scope, g.group_code, g.group_code AS scope_key, {name} AS measure,\n"
            f"        ({_GROUP_AMOUNTS[m.aggregate]})::DOUBLE AS amount\n    FROM grid AS g\n)\nSELECT * FROM final;\n"
        )
    if m.aggregate == "sum_of":
        parts = "\n    UNION ALL\n".join(
            f"    SELECT period_key, group_code, amount FROM {measure_view(p)}" for p in m.measures
        )
        return head + (
            f"WITH parts AS (\n{parts}\n),\nfinal AS (\n"
            f"    SELECT period_key, 'group' AS scope, group_code, group_code AS scope_key, {name} AS measure,\n"
            "        sum(amount)::DOUBLE AS amount\n    FROM parts\n    GROUP BY period_key, group_code\n)\n"
            "SELECT * FROM final;\n"
        )
    contract = c.FEEDS[m.feed]
    by_day = _by_day(m)
    rows = None if by_day else _rows(m, contract)
    if m.aggregate == "median_days":
        return head + (
            f"WITH {_PARAMS},\nperiods AS (\n"
            "    SELECT period_key, data_start, data_end FROM marts.periods\n),\n"
            f"rows AS (\n{rows}\n),\nfinal AS (\n"
            f"    SELECT period_key, coalesce(group_code, '') AS scope_key, {name} AS measure,\n"
            f"        median(f.{q(m.date_to)} - f.{q(m.date_from)})::DOUBLE AS median_value\n"
            "    FROM rows AS f\n    GROUP BY GROUPING SETS ((period_key, group_code), (period_key))\n)\n"
            "SELECT * FROM final;\n"
        )
    if m.aggregate == "monthly_capped_sum":
        amounts = (
            "monthly AS (\n    SELECT f.period_key, f.group_code, date_trunc('month', f.day) AS month,\n"
            f"        sum(f.{q(m.column)}) AS amount\n    FROM rows AS f\n    GROUP BY ALL\n),\n"
            "amounts AS (\n"
            f"    SELECT s.period_key, s.group_code, sum(least(s.amount, g.{q(m.cap)})) AS amount\n"
            "    FROM monthly AS s\n    JOIN marts.period_groups AS g USING (period_key, group_code)\n"
            "    GROUP BY ALL\n)"
        )
    else:
        aggregate = {
            "count": "count(*)",
            "repeats": "count(*)",
            "sum": f"sum(f.{q(m.column or '')})",
            "count_distinct": f"count(DISTINCT f.{q(m.column or '')})",
        }[m.aggregate]
        if by_day:
            rows = _daily_rows(m, contract, aggregate)
            aggregate = "sum(f.amount)"  # the days' amounts added up over the period's days
        amounts = f"amounts AS (\n    SELECT f.period_key, f.group_code, {aggregate} AS amount\n    FROM rows AS f\n    GROUP BY ALL\n)"
    return head + (
        f"WITH {_PARAMS},\n{_PERIODS},\n{_GRID},\nrows AS (\n{rows}\n),\n{amounts},\n"
        "final AS (\n"
        f"    SELECT g.period_key, 'group' AS scope, g.group_code, g.group_code AS scope_key, {name} AS measure,\n"
        "        coalesce(a.amount, 0)::DOUBLE AS amount\n"
        "    FROM grid AS g\n    LEFT JOIN amounts AS a USING (period_key, group_code)\n)\nSELECT * FROM final;\n"
    )


def _by_day(m: Measure) -> bool:
    """An amount that adds up over days (a count or a sum of the records dated in the period, by a
    condition that does not read the period's own dates): added up per day and group first, then over
    each period's days. Every record used to be copied once for each period it falls in (a month, its
    quarter, the year, the evaluations) and each measure read those copies: at 1.000.000 records that
    was most of a refresh."""
    if m.window != "period" or m.aggregate not in ("count", "sum", "repeats"):
        return False
    reads = conditions.specials_of(conditions.parse(m.where)) if m.where else set()
    return not reads & {"period_start", "period_end"}


def _reads_rows(m: Measure) -> bool:
    """The measure reads its feed's records joined to the periods (measure_rows_<feed>)."""
    return m.feed is not None and m.window == "period" and m.aggregate != "repeats" and not _by_day(m)


def _daily_rows(m: Measure, contract: c.Contract, aggregate: str) -> str:
    """A by-day measure's rows: its amount per day and group, once for each period the day falls in."""
    where = " AND ".join(f"({x})" for x in _conditions(m, contract)) or "TRUE"
    return (
        f"    SELECT p.period_key, d.group_code, d.amount\n    FROM periods AS p\n    JOIN (\n"
        f"        SELECT f.day, f.group_code, {aggregate} AS amount\n"
        f"        FROM {_source(m, contract)} AS f\n        CROSS JOIN params AS s\n"
        f"        WHERE {where}\n        GROUP BY ALL\n"
        "    ) AS d ON d.day BETWEEN p.data_start AND p.data_end"
    )


def _source(m: Measure, contract: c.Contract, source: str | None = None) -> str:
    """The records a measure reads: the fact table (or `source`), with `is_repeat` for repeats.

    A record is a repeat when an earlier one of the same group and (normalised) text lies within
    the window; earlier is by date, then the record key (a stable order). The text's key is worked
    out once per record, in a subquery, before the window reads it (written inside the window, it
    was worked out again for every comparison: four times slower at 1.000.000 records)."""
    source = source or fact_table(contract.name)
    if m.aggregate != "repeats":
        return source
    text = f"marts.address_key(f.{q(m.same_text)})"
    order = ", ".join(["f.day", *(f"f.{q(k)}" for k in contract.key)])
    days = m.within_days
    window = f"s.{q(days.removeprefix('setting.'))}" if isinstance(days, str) else lit(int(days))
    return (
        f"(\n        SELECT f.* EXCLUDE (same_text_key), coalesce(f.same_text_key IS NOT NULL AND f.day - lag(f.day) OVER (\n"
        f"            PARTITION BY f.group_code, f.same_text_key ORDER BY {order}\n"
        f"        ) <= {window}, FALSE) AS is_repeat\n"
        f"        FROM (SELECT f.*, {text} AS same_text_key FROM {source} AS f) AS f\n"
        "        CROSS JOIN params AS s\n    )"
    )


def _conditions(m: Measure, contract: c.Contract) -> list[str]:
    """The measure's own conditions on a record (its repeat flag, its choice, its `where`)."""
    out = []
    if m.aggregate == "repeats":
        out.append("f.is_repeat")
    if m.choice is not None:
        column, code = m.choice
        out.append(f"f.{q(column)} = {lit(code)}")
    if m.where:
        out.append(conditions.compile_condition(m.where, contract, "f"))
    return out


def _rows(m: Measure, contract: c.Contract, source: str | None = None, shared: bool = True) -> str:
    """The fact rows a measure counts, one per (period, record), filtered by its condition.

    `source` replaces the fact table (the contributions read the feed's rows with their upload and
    line); `shared=False` joins the periods here instead of reading the refresh's temporary tables.
    """
    source = _source(m, contract, source)
    conditions_sql = _conditions(m, contract)
    if shared and _reads_rows(m):
        # The feed's records already joined to their periods (measure_rows_<feed>).
        where = " AND ".join(f"({x})" for x in conditions_sql) or "TRUE"
        return (
            f"    SELECT f.*\n    FROM {rows_table(contract.name)} AS f\n    JOIN periods AS p USING (period_key)\n"
            f"    CROSS JOIN params AS s\n    WHERE {where}"
        )
    if m.window == "period":
        conditions_sql.insert(0, "f.day BETWEEN p.data_start AND p.data_end")
    where = " AND ".join(f"({x})" for x in conditions_sql) or "TRUE"
    return (
        f"    SELECT p.period_key, p.data_start, p.data_end, f.*\n    FROM periods AS p\n"
        f"    CROSS JOIN params AS s\n    JOIN {source} AS f ON {where}"
    )


def _ward_sql(feeds: list[str], ordered: list[Measure]) -> str:
    return (
        "INSERT INTO marts.measures\n"
        "SELECT period_key, 'ward' AS scope, NULL AS group_code, '' AS scope_key, measure, sum(amount) AS amount\n"
        "FROM marts.measures\nWHERE scope = 'group'\nGROUP BY period_key, measure;\n"
        + "".join(f"DROP VIEW IF EXISTS {measure_view(m.name)};\n" for m in reversed(ordered))
        + "DROP TABLE IF EXISTS measure_grid;\n"
        + "".join(f"DROP TABLE IF EXISTS {rows_table(feed)};\n" for feed in feeds)
        + _MEASURE_COMMENTS
    )


# The measures' COMMENT ON statements, from warehouse/comments.toml.
_MEASURE_COMMENTS = (
    "".join(
        f"\n{statement}"
        for target in ("marts.measures", "marts.measure_medians")
        for statement in comments.statements("indicator_sql", target)
    )
    + "\n"
)


def compiled_sql(measures: dict[str, Measure] | None = None) -> str:
    """All generated models as one text, in the order the refresh runs them."""
    if measures is None:
        from warehouse.indicators import MEASURES as measures
    return "\n".join(f"-- ===== {name} =====\n{sql}" for name, sql in models(measures))


if __name__ == "__main__":
    print(compiled_sql())
