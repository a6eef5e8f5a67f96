"""The campaign's indicators, declared once.

Every indicator is declared as data in `warehouse/indicator_declarations/*.toml`
(format: docs/indicators-format.md) and loaded here as one `Indicator`: its id,
Vietnamese and English name, unit, formula (numerator / denominator × scale),
direction, the feed it needs, the plan section it serves, and the defaults the
ward's settings file starts from. A ward adds its own in
`DOTHIXANH_HOME/indicators/*.toml` (`indicators_for(home)`). The settings template
(`warehouse/settings.default.toml`), the `marts.indicators` table, the mart SQL
(compiled by `warehouse/indicator_sql.py`), the formulas shown beside each number
and the marts' COMMENTs are all derived from the declarations.

How a value is computed (marts/indicator_values.sql):

* ``kind = "ratio"``: value = scale × Σ numerator / Σ denominator, summed over
  the period's records (the ward's value from the ward's totals, never an
  average of group rates);
* ``kind = "count"``: value = Σ numerator;
* ``kind = "median"``: the median over the period's records.

A value is NULL with a reason, never a silent 0, when the period has not
started, when no file of the feed covers the period, or when the denominator
is 0.

Targets are set per calendar year in the settings file. For indicators that
accumulate over time (``target_mode = "prorated"``: counts, and rates per
resident or per household) the yearly target is prorated to the days of the
period elapsed so far; for levels (shares, medians, open faults) the target
applies as it is (day-weighted when a period spans two years). Counts have a
target per residential group; the ward's target is that times the number of
groups (``ward_target = "sum_of_groups"``).

League table (marts/league_components.sql; the formula in sql_parts/league_scoring.sql,
which the city's league of wards takes too). For each evaluation window and
each weighted indicator, among the groups with enough data (value not NULL
and sample size ≥ the indicator's ``min_sample``), with d = +1 when higher is
better and −1 when lower is better, y = d × value, t = d × target,
best = max y, worst = min y:

* y ≥ t: score = 50 + 50 × (y − t) / (best − t), or 100 when best = t;
* y < t: score = 50 × (y − worst) / (t − worst);

clipped to 0–100. So the target is worth 50, the best group 100 (when it
meets the target) and the worst group 0 (when it misses it). A group without
enough data for an indicator gets no score for it ("chưa đủ dữ liệu"); its
composite is the weighted mean of the indicators it was scored on (weights
renormalised), and it is ranked only when those carry at least
``min_weight_share`` of the total weight. An indicator without a target is
not scored ("chưa đặt chỉ tiêu").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from warehouse import indicator_decl as decl

HIGHER, LOWER = "higher", "lower"
DIRECTION_LABELS_VI = {HIGHER: "càng cao càng tốt", LOWER: "càng thấp càng tốt"}

# The campaign years; a target missing for a year carries the previous year's forward.
YEARS = (2026, 2027, 2028, 2029, 2030)


@dataclass(frozen=True)
class Indicator:
    """One indicator: formula, direction, feed, and the settings' defaults."""

    id: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    feed: str
    kind: str  # ratio | count | median
    numerator: str  # a measure (see MEASURES_VI); for a median, what is ranked
    numerator_vi: str
    numerator_en: str
    direction: str
    target_mode: str  # prorated | level
    sample: str  # the measure that counts the data behind a value
    sample_vi: str
    denominator: str | None = None
    denominator_vi: str | None = None
    denominator_en: str | None = None
    scale: float = 1.0
    ward_target: str = "same"  # same | sum_of_groups
    category: str | None = None  # violations by category
    targets: dict[int, float] = field(default_factory=dict)
    weight: float = 0.0
    min_sample: int = 0
    plan_section: str = ""  # the section of the ward's plan it serves
    origin: str = "built-in"  # built-in | ward (DOTHIXANH_HOME/indicators/)

    @property
    def formula_vi(self) -> str:
        if self.kind == "median":
            return self.numerator_vi
        if self.kind == "count":
            return self.numerator_vi
        scale = f"{_fmt(self.scale)} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator_vi} / {self.denominator_vi}"

    @property
    def formula_en(self) -> str:
        if self.kind in ("median", "count"):
            return self.numerator_en
        scale = f"{_fmt(self.scale)} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator_en} / {self.denominator_en}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else str(value)


def load(home: Path | str | None = None) -> tuple[tuple[Indicator, ...], dict[str, decl.Measure]]:
    """The indicators and measures declared: built-in ones, then the ward's (`home/indicators/*.toml`)."""
    fields, measures = decl.indicator_fields(decl.read_catalogue(decl.declaration_files(home)))
    items = tuple(Indicator(**{k: v for k, v in f.items() if not k.startswith("_")}) for f in fields)
    return items, measures


def indicators_for(home: Path | str | None) -> tuple[Indicator, ...]:
    """Every indicator of a ward: the built-in ones and those its home declares.

    Declarations of the ward's that do not check are left out (the built-in ones still
    count, so a clerk's upload is never blocked); `ward_problems(home)` lists why.
    """
    return _for_home(home)[0]


def measures_for(home: Path | str | None) -> dict[str, decl.Measure]:
    """Every measure the marts compute for a ward (built-in and declared by the ward)."""
    return _for_home(home)[1]


def ward_problems(home: Path | str | None) -> list[str]:
    """What is wrong with the ward's declarations (Vietnamese, naming file, key and value); [] when fine."""
    if home is None or not _has_ward_files(home):
        return []
    try:
        load(home)
    except decl.DeclarationError as exc:
        return exc.problems
    return []


def _for_home(home: Path | str | None) -> tuple[tuple[Indicator, ...], dict[str, decl.Measure]]:
    if home is None or not _has_ward_files(home):
        return INDICATORS, MEASURES
    try:
        return load(home)
    except decl.DeclarationError:
        return INDICATORS, MEASURES


def _has_ward_files(home: Path | str) -> bool:
    return any((Path(home) / decl.WARD_FOLDER).glob("*.toml"))


# The campaign's indicators and the measures behind them, from warehouse/indicator_declarations/.
INDICATORS, MEASURES = load()
# Measures the SQL computes for every (period, group) and for the ward; an indicator's
# numerator, denominator and sample size each name one of them.
MEASURES_VI: dict[str, str] = {name: m.label_vi for name, m in MEASURES.items()}

BY_ID: dict[str, Indicator] = {ind.id: ind for ind in INDICATORS}


def indicator(indicator_id: str) -> Indicator:
    """An indicator by id, with a Vietnamese error listing the known ones."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"Không có chỉ tiêu «{indicator_id}». Các chỉ tiêu: {', '.join(BY_ID)}") from None
