"""The lineage view `indicator_contributions`, compiled from the same declarations as the measures.

For every measure the compiler knows (`warehouse/indicator_sql.py`), the rows of the records that
make it up, per period and group, each with what it adds (`amount`), its upload and its line in
the file; then, as numerator or denominator of every indicator that uses the measure, for the
group and for the ward (the ward's figure is the sum of its groups'). The amounts of a figure's
rows add up exactly to the figure's numerator and denominator:

- count, records meeting a condition, repeats: 1 for each record counted;
- sum: the record's value of the column (records with no value add nothing and are not listed);
- distinct count: every record with a value is listed, the first of each value (per period and
  group, by the record key) carries 1, the others 0 (a Saturday counts once however many events);
- monthly-capped sum (inspection coverage): each record carries its share of min(the month's
  total, the group's households), in proportion to its own value;
- sum of measures (lighting judged): the rows of each part;
- median days: the records the median is taken over, `amount` = their number of days (the
  figure is the middle of these amounts, not their sum);
- from the groups list (residents, households, household-months, groups): one row per group of
  the list version the period uses (`feed = residential_groups`). Saturdays are the calendar's:
  no rows.

Only the groups of the period's list version count, as in marts.measures. The view is computed
when read (a view, not a table): the trace page, exports and tests read a figure's rows from it.
"""

from __future__ import annotations

from kernel import contracts as c
from warehouse import comments
from warehouse.indicator_decl import Measure
from warehouse.indicator_sql import _PERIODS, _records, _rows, lit, q

MODEL = "92_indicator_contributions"
VIEW = "indicator_contributions"
GROUPS_FEED = "residential_groups"  # the `feed` of the rows from the groups list

# The groups-list amounts with rows behind them (saturdays: the calendar's, none).
_GROUP_ROWS = {
    "residents": "g.population",
    "households": "g.households",
    "household_months": "g.households * (datediff('month', p.data_start, p.data_end) + 1)",
    "groups": "1",
}
# marts.violation_flags (the repeat flags the hand-written lineage read) is gone: the repeats are
# compiled with every other measure. Dropped so an upgraded warehouse keeps no stale copy.
LEGACY = "DROP VIEW IF EXISTS marts.violation_flags;\n"
_COLUMNS = "period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount, feed"


def source_cte(feed: str) -> str:
    """The name of the CTE holding a feed's current records that count, with upload and line."""
    return q(f"records_{feed}")


def _source_sql(feed: str, records: str | None) -> str:
    """Like marts.fact_<feed>, read from core so each record keeps its upload_id and source_line."""
    from warehouse import conditions

    contract = c.FEEDS[feed]
    where = f"\n    WHERE {conditions.compile_condition(records, contract, 'r')}" if records else ""
    return (
        f"{source_cte(feed)} AS (\n    SELECT r.{q(contract.date_column)} AS day, r.*\n"
        f"    FROM core.{q(feed)} AS r{where}\n)"
    )


def _record_id(contract: c.Contract) -> str:
    """The record's own id: its key without the sending unit (joined by «/» when several)."""
    parts = [k for k in contract.key if k != "unit_code"] or list(contract.key)
    return " || '/' || ".join(f"f.{q(k)}::VARCHAR" for k in parts)


def _select(m: Measure, label: str) -> str:
    """The contribution rows of one measure that reads records, under the measure name `label`."""
    contract = c.FEEDS[m.feed]
    rows = _rows(m, contract, source=source_cte(m.feed), shared=False)
    unit = "f.unit_code::VARCHAR" if "unit_code" in contract.column_names else "NULL::VARCHAR"
    head = (
        f"SELECT f.period_key, f.group_code, {unit} AS unit_code, {_record_id(contract)} AS record_id,\n"
        "        f.upload_id::BIGINT AS upload_id, f.source_line::BIGINT AS source_line,\n"
        f"        {lit(label)} AS measure"
    )
    tail = f",\n        {lit(m.feed)} AS feed\n    FROM (\n{_indent(rows)}\n    ) AS f"
    column = f"f.{q(m.column)}" if m.column else None
    if m.aggregate in ("count", "repeats"):
        return f"    {head}, 1.0::DOUBLE AS amount{tail}"
    if m.aggregate == "sum":
        return f"    {head}, {column}::DOUBLE AS amount{tail}\n    WHERE {column} IS NOT NULL"
    if m.aggregate == "median_days":
        days = f"(f.{q(m.date_to)} - f.{q(m.date_from)})"
        return f"    {head}, {days}::DOUBLE AS amount{tail}\n    WHERE {days} IS NOT NULL"
    key = ", ".join(f"f.{q(k)}" for k in contract.key)
    if m.aggregate == "count_distinct":
        first = f"row_number() OVER (PARTITION BY f.period_key, f.group_code, {column} ORDER BY {key}) = 1"
        return (
            f"    {head},\n        CASE WHEN {first} THEN 1.0 ELSE 0.0 END::DOUBLE AS amount{tail}\n"
            f"    WHERE {column} IS NOT NULL"
        )
    if m.aggregate == "monthly_capped_sum":
        # Each record's share of min(the month's total, the cap), in proportion to its own value.
        total = f"sum({column}) OVER w"
        amount = (
            f"CASE WHEN {total} = 0 THEN 0.0\n            ELSE {column}::DOUBLE\n"
            f"                * least({total}, g.{q(m.cap)})::DOUBLE\n"
            f"                / ({total})::DOUBLE\n        END"
        )
        return (
            f"    {head},\n        {amount} AS amount{tail}\n"
            "    JOIN marts.period_groups AS g ON g.period_key = f.period_key AND g.group_code = f.group_code\n"
            f"    WHERE {column} IS NOT NULL\n"
            "    WINDOW w AS (PARTITION BY f.period_key, f.group_code, date_trunc('month', f.day))"
        )
    raise ValueError(f"no contributions for aggregate {m.aggregate}")


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else line for line in text.splitlines())


def _group_select(m: Measure) -> str:
    return (
        "    SELECT g.period_key, g.group_code, NULL::VARCHAR AS unit_code, g.group_code AS record_id,\n"
        "        NULL::BIGINT AS upload_id, NULL::BIGINT AS source_line,\n"
        f"        {lit(m.name)} AS measure, ({_GROUP_ROWS[m.aggregate]})::DOUBLE AS amount, "
        f"{lit(GROUPS_FEED)} AS feed\n"
        "    FROM marts.period_groups AS g\n    JOIN periods AS p USING (period_key)"
    )


def measure_selects(measures: dict[str, Measure]) -> tuple[list[str], list[str]]:
    """(rows from records, rows from the groups list): one SELECT per measure that has rows."""
    records, groups = [], []
    for m in measures.values():
        if m.aggregate in _GROUP_ROWS:
            groups.append(_group_select(m))
        elif m.aggregate == "sum_of":
            records += [_select(measures[part], m.name) for part in m.measures]
        elif m.feed is not None:
            records.append(_select(m, m.name))
    return records, groups


def contributions_sql(measures: dict[str, Measure]) -> str:
    """The CREATE VIEW indicator_contributions statement and its comments."""
    records, groups = measure_selects(measures)
    feeds = [name for name in c.FEEDS if any(m.feed == name for m in measures.values())]
    # The same records as marts.fact_<feed> (indicator_sql.fact_sql), read with their upload and line.
    sources = "".join(f",\n{_source_sql(feed, _records(feed, measures))}" for feed in feeds)
    none = f"    SELECT {', '.join(f'NULL AS {x}' for x in _COLUMNS.split(', '))} WHERE FALSE"
    record_rows = "\n    UNION ALL BY NAME\n".join(records) or none
    group_rows = "\n    UNION ALL BY NAME\n".join(groups) or none
    body = f"""{LEGACY}-- Sinh từ khai báo chỉ tiêu (warehouse/contribution_sql.py): dòng gốc của từng số liệu, đúng những
-- bản ghi được tính vào tử số và mẫu số của mỗi chỉ tiêu, mỗi kỳ, mỗi tổ và toàn phường (cùng điều kiện
-- như marts.measures), kèm lần gửi và số dòng trong tệp.
CREATE OR REPLACE VIEW {VIEW} AS
WITH params AS (
    SELECT * FROM marts.settings_params
),
{_PERIODS.replace("SELECT period_key,", "SELECT period_type, period_key,")}{sources},
record_rows AS (
{record_rows}
),
group_rows AS (
    -- The denominators that come from the groups list: the version each period uses.
{group_rows}
),
counted AS (
    -- Only groups of the list version the period uses count, as in marts.measures.
    SELECT {_COLUMNS}
    FROM record_rows AS r
    SEMI JOIN marts.period_groups AS g ON g.period_key = r.period_key AND g.group_code = r.group_code
    UNION ALL
    SELECT {_COLUMNS} FROM group_rows
),
parts AS (
    SELECT indicator_id, 'numerator' AS part, numerator_measure AS measure, position FROM marts.indicators
    UNION ALL
    SELECT indicator_id, 'denominator', denominator_measure, position FROM marts.indicators
    WHERE kind = 'ratio'
),
by_group AS (
    SELECT i.indicator_id, c.period_key, 'group' AS scope, c.group_code, i.part, c.feed, c.record_id,
        c.unit_code, c.upload_id, c.source_line, c.amount, c.group_code AS record_group_code, i.position
    FROM parts AS i
    JOIN counted AS c ON c.measure = i.measure
),
final AS (
    SELECT b.indicator_id, p.period_type, b.period_key, b.scope, b.group_code, b.part, b.feed, b.record_id,
        b.unit_code, b.upload_id, b.source_line, b.amount, b.record_group_code
    FROM by_group AS b
    JOIN periods AS p USING (period_key)
    UNION ALL
    SELECT b.indicator_id, p.period_type, b.period_key, 'ward', NULL, b.part, b.feed, b.record_id,
        b.unit_code, b.upload_id, b.source_line, b.amount, b.record_group_code
    FROM by_group AS b
    JOIN periods AS p USING (period_key)
)
SELECT * FROM final;
"""
    return body + "\n".join(comments.statements(MODEL, VIEW)) + "\n"


def contributions_model(measures: dict[str, Measure]) -> tuple[str, str]:
    """(name, sql) of the lineage view's model; the refresh runs it with the other 9x models."""
    return MODEL, contributions_sql(measures)
