"""What a feed declaration is once read: columns, choices, rules and the contract that holds them.

The declarations themselves are TOML files (kernel/feeds/*.toml shipped with the package, and
a ward's own in DOTHIXANH_HOME/feeds/); kernel/feed_format.py reads and checks them, and
kernel/contracts.py offers them to every stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Dates before this are refused in every built-in feed (feeds.md, general rules).
EARLIEST_DATE = dt.date(2026, 1, 1)

TEXT, DATE, INTEGER, DECIMAL, ENUM, FEED_LIST = (
    "text",
    "date",
    "integer",
    "decimal",
    "enum",
    "feed_list",
)

# DuckDB column types for each contract type.
SQL_TYPES = {
    TEXT: "VARCHAR",
    DATE: "DATE",
    INTEGER: "BIGINT",
    DECIMAL: "DOUBLE",
    ENUM: "VARCHAR",
    FEED_LIST: "VARCHAR",
}

TYPE_LABELS_VI = {
    TEXT: "văn bản",
    DATE: "ngày (dd/mm/yyyy)",
    INTEGER: "số nguyên",
    DECIMAL: "số thập phân",
    ENUM: "giá trị trong danh mục",
    FEED_LIST: "danh sách loại dữ liệu",
}

BUILT_IN, WARD = "built-in", "ward"


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumerated column: its code and Vietnamese label."""

    code: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Column:
    """One column of a feed file."""

    name: str
    label_vi: str
    label_en: str
    type: str
    required: bool = False
    description_vi: str = ""
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    # Extra header spellings seen in the wild (matched like the label).
    aliases: tuple[str, ...] = ()
    example: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    def choice_label(self, code: str) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label_vi
        return code


# Cross-column and reference rules. Each kind maps to one Great Expectations
# expectation (expectations/suites.py) and one Vietnamese message (pipelines/messages.py).
REQUIRED_WHEN = "required_when"  # column must be filled when `when_column == when_value`
ZERO_UNLESS = "zero_unless"  # column must be empty or 0 unless `when_column == when_value`
NOT_BEFORE = "not_before"  # column (a date) >= other
NOT_MORE_THAN = "not_more_than"  # column <= other
NOT_MORE_THAN_GROUP_HOUSEHOLDS = "not_more_than_group_households"
KNOWN_GROUP = "known_group"
UPLOADING_UNIT = "uploading_unit"
AT_LEAST_COLUMN = "at_least_column"  # column >= other (population >= households)

RULE_KINDS = (
    REQUIRED_WHEN,
    ZERO_UNLESS,
    NOT_BEFORE,
    NOT_MORE_THAN,
    NOT_MORE_THAN_GROUP_HOUSEHOLDS,
    KNOWN_GROUP,
    UPLOADING_UNIT,
    AT_LEAST_COLUMN,
)


@dataclass(frozen=True)
class Rule:
    kind: str
    column: str
    other: str | None = None
    when_column: str | None = None
    when_value: str | None = None


@dataclass(frozen=True)
class Contract:
    """A feed (or reference file) contract: columns, key and rules."""

    name: str
    label_vi: str
    label_en: str
    description_vi: str
    description_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    version: int = 1
    # The column holding the record's main date (used for the report month).
    date_column: str | None = None
    reference: bool = False
    aliases: tuple[str, ...] = field(default=())
    # The period a record belongs to, from its date column (only "month" today).
    period: str = "month"
    # Every date column: not before this day and, unless future_dates, not after today.
    earliest_date: dt.date = EARLIEST_DATE
    future_dates: bool = False
    # When set, only these units may send the feed (the units list must name it too); empty:
    # every unit whose «feeds» in the units list names it.
    sender_codes: tuple[str, ...] = ()
    # Shown in this order in lists (built-ins first); then by name.
    position: int = 1000
    # BUILT_IN (shipped in kernel/feeds/) or WARD (DOTHIXANH_HOME/feeds/).
    source: str = BUILT_IN
    # The section of the ward's plan the feed serves, e.g. «III.3: … gia đình văn hóa» (optional).
    plan_section: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def id_column(self) -> str:
        return self.key[-1]

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)
