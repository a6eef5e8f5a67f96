"""Reading the indicator declarations (TOML) into measures and indicators, with Vietnamese errors.

The format is documented in docs/indicators-format.md. Built-in declarations ship in
`warehouse/indicator_declarations/*.toml` (read in file-name order); a ward adds its
own in `DOTHIXANH_HOME/indicators/*.toml`, read after them. Every problem names the
file, the key and the value at fault; a declaration that does not check is refused
whole, never half used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kernel import contracts as c
from warehouse import conditions

BUILT_IN = Path(__file__).parent / "indicator_declarations"
WARD_FOLDER = "indicators"

# Aggregations over a feed's records in the period (or over all of them: window = "all").
RECORD_AGGREGATES = ("count", "sum", "count_distinct", "median_days", "repeats", "monthly_capped_sum")
# Amounts from the period's groups list (denominators: per 1.000 residents, per 100 households, per group).
GROUP_AGGREGATES = ("residents", "households", "groups", "saturdays", "household_months")
COMBINED_AGGREGATES = ("sum_of",)
AGGREGATES = RECORD_AGGREGATES + GROUP_AGGREGATES + COMBINED_AGGREGATES
# `denominator = { per = "residents" }` and the like: the groups-list measure it names.
PER = {
    "residents": ("population", "residents", "số nhân khẩu", "residents"),
    "households": ("households", "households", "số hộ", "households"),
    "group": ("groups", "groups", "số tổ dân phố", "residential groups"),
}
KINDS = ("ratio", "count", "median")
DIRECTIONS = ("higher", "lower")
TARGET_MODES = ("prorated", "level")
WARD_TARGETS = ("same", "sum_of_groups")
CAPS = ("households", "population")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MEASURE = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)?$")
_MEASURE_KEYS = {
    "label_vi", "label_en", "aggregate", "column", "where", "window", "same_text", "within_days",
    "cap", "from", "to", "measures", "for_each_choice",
}  # fmt: skip
_INDICATOR_KEYS = {
    "id", "label_vi", "label_en", "unit_vi", "unit_en", "kind", "direction", "target_mode", "ward_target",
    "scale", "weight", "min_sample", "targets", "numerator", "denominator", "sample", "plan_section",
    "for_each_choice",
}  # fmt: skip
_FILE_KEYS = {"feed", "plan_section", "records", "measures", "indicators"}


class DeclarationError(Exception):
    """Declarations that cannot be used; `problems` lists each one in Vietnamese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Khai báo chỉ tiêu có {len(problems)} lỗi:\n{lines}")


@dataclass(frozen=True)
class Measure:
    """One amount the marts compute for every (period, group) and the ward."""

    name: str
    label_vi: str
    aggregate: str
    feed: str | None = None  # None: from the groups list
    column: str | None = None
    where: str | None = None
    window: str = "period"  # period: records dated in the period; all: every record
    same_text: str | None = None  # repeats: the text column compared (normalised)
    within_days: str | None = None  # repeats: setting.<name> or a number of days
    cap: str | None = None  # monthly_capped_sum: households | population
    date_from: str | None = None  # median_days
    date_to: str | None = None
    measures: tuple[str, ...] = ()  # sum_of
    choice: tuple[str, str] | None = None  # per-choice measure: (column, code)
    records: str | None = None  # the feed's record filter (which records count at all)
    source: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Everything declared: measures by name and the indicators' raw specs in order."""

    measures: dict[str, Measure] = field(default_factory=dict)
    indicators: tuple[dict, ...] = ()
    records: dict[str, str | None] = field(default_factory=dict)  # feed → record filter


def declaration_files(home: Path | str | None = None) -> list[tuple[Path, str]]:
    """(path, origin) of every declaration: built-in first, then the ward's."""
    files = [(p, "built-in") for p in sorted(BUILT_IN.glob("*.toml"))]
    if home is not None:
        files += [(p, "ward") for p in sorted((Path(home) / WARD_FOLDER).glob("*.toml"))]
    return files


def read_catalogue(files: list[tuple[Path, str]]) -> Catalogue:
    """Read and check every file (raises DeclarationError listing every problem)."""
    problems: list[str] = []
    measures: dict[str, Measure] = {}
    specs: list[dict] = []
    records: dict[str, str | None] = {}
    for path, origin in files:
        label = path.name if origin == "built-in" else f"{WARD_FOLDER}/{path.name}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{label}: không đúng cú pháp TOML ({exc}).")
            continue
        _read_file(data, label, origin, measures, specs, records, problems)
    _check_sum_of(measures, problems)
    if problems:
        raise DeclarationError(problems)
    return Catalogue(measures, tuple(specs), records)


def _read_file(data, label, origin, measures, specs, records, problems) -> None:
    for key in sorted(set(data) - _FILE_KEYS):
        problems.append(f"{label}: khóa «{key}» không dùng được; các khóa: {', '.join(sorted(_FILE_KEYS))}.")
    feed_name = data.get("feed")
    contract = None
    if feed_name is not None:
        contract = c.FEEDS.get(feed_name)
        if contract is None:
            problems.append(
                f"{label}: feed = «{feed_name}» không phải loại dữ liệu nào; có: {', '.join(c.FEEDS)}."
            )
            return
    filter_text = data.get("records")
    if filter_text is not None:
        if contract is None:
            problems.append(f"{label}: records = «{filter_text}» cần khai báo feed.")
        else:
            try:
                conditions.compile_condition(filter_text, contract)
                records[contract.name] = filter_text
            except conditions.ConditionError as exc:
                problems.append(f"{label}: records = «{filter_text}»: {exc}")
    elif contract is not None:
        records.setdefault(contract.name, None)
    table = data.get("measures", {})
    if not isinstance(table, dict):
        problems.append(f"{label}: measures phải là các bảng [measures.<tên>].")
        table = {}
    for name, spec in table.items():
        for measure in _read_measure(name, spec, label, contract, origin, problems):
            if measure.name in measures:
                problems.append(
                    f"{label}: đại lượng «{measure.name}» đã khai báo trong {measures[measure.name].source}."
                )
                continue
            measures[measure.name] = replace(
                measure, records=records.get(contract.name) if contract else None
            )
    items = data.get("indicators", [])
    if not isinstance(items, list):
        problems.append(f"{label}: indicators phải là các bảng [[indicators]].")
        items = []
    for number, spec in enumerate(items, start=1):
        if not isinstance(spec, dict):
            problems.append(f"{label}: chỉ tiêu thứ {number} phải là một bảng [[indicators]].")
            continue
        where = f"{label}: chỉ tiêu «{spec.get('id', number)}»"
        if contract is None:
            problems.append(f"{where}: tệp chưa khai báo feed (loại dữ liệu của chỉ tiêu).")
            continue
        for key in sorted(set(spec) - _INDICATOR_KEYS):
            problems.append(
                f"{where}: khóa «{key}» không dùng được; các khóa: {', '.join(sorted(_INDICATOR_KEYS))}."
            )
        specs.append(
            {
                **spec,
                "_feed": contract.name,
                "_origin": origin,
                "_where": where,
                "_plan": spec.get("plan_section", data.get("plan_section", "")),
            }
        )


def _read_measure(name, spec, label, contract, origin, problems) -> list[Measure]:
    where = f"{label}: đại lượng «{name}»"
    if not isinstance(spec, dict):
        problems.append(f"{where} phải là một bảng.")
        return []
    for key in sorted(set(spec) - _MEASURE_KEYS):
        problems.append(
            f"{where}: khóa «{key}» không dùng được; các khóa: {', '.join(sorted(_MEASURE_KEYS))}."
        )
    aggregate = spec.get("aggregate")
    if aggregate not in AGGREGATES:
        problems.append(
            f"{where}: aggregate = «{aggregate}» không hợp lệ; dùng được: {', '.join(AGGREGATES)}."
        )
        return []
    if aggregate in GROUP_AGGREGATES:
        contract = None
    elif contract is None:
        problems.append(f"{where}: aggregate «{aggregate}» tính trên bản ghi: tệp cần khai báo feed.")
        return []
    label_vi = spec.get("label_vi")
    if not isinstance(label_vi, str) or not label_vi.strip():
        problems.append(f"{where}: thiếu label_vi (tên tiếng Việt).")
        return []
    base = Measure(
        name=name,
        label_vi=label_vi,
        aggregate=aggregate,
        feed=contract.name if contract else None,
        column=spec.get("column"),
        where=spec.get("where"),
        window=spec.get("window", "period"),
        same_text=spec.get("same_text"),
        within_days=spec.get("within_days"),
        cap=spec.get("cap"),
        date_from=spec.get("from"),
        date_to=spec.get("to"),
        measures=tuple(spec.get("measures", ())),
        source=label,
    )
    count = len(problems)
    _check_measure(base, where, contract, problems)
    choices_of = spec.get("for_each_choice")
    if choices_of is None:
        if not _MEASURE.match(name):
            problems.append(f"{where}: tên chỉ gồm chữ thường không dấu, số, «_» (ví dụ waste_kg).")
        return [base] if len(problems) == count else []
    choices = _choices(contract, choices_of, where, problems)
    out = []
    for choice in choices:
        out.append(
            replace(
                base,
                name=_fill(name, choice),
                label_vi=_fill(label_vi, choice),
                choice=(choices_of, choice.code),
            )
        )
    return out if len(problems) == count else []


def _choices(contract, column, where, problems) -> tuple:
    if contract is None or column not in contract.column_names or not contract.column(column).choices:
        names = [col.name for col in contract.columns if col.choices] if contract else []
        problems.append(
            f"{where}: for_each_choice = «{column}» không phải cột danh mục; có: {', '.join(names)}."
        )
        return ()
    return contract.column(column).choices


def _fill(text, choice) -> str:
    if not isinstance(text, str):
        return text
    return (
        text.replace("{code}", choice.code)
        .replace("{label_vi}", choice.label_vi)
        .replace("{label_en_lower}", choice.label_en.lower())
        .replace("{label_en}", choice.label_en)
    )


def _check_measure(m: Measure, where: str, contract, problems: list[str]) -> None:
    def column(key: str, value, types: tuple[str, ...] | None = None) -> None:
        if value is None:
            problems.append(f"{where}: aggregate «{m.aggregate}» cần khóa {key}.")
        elif value not in contract.column_names:
            problems.append(
                f"{where}: {key} = «{value}»: «{contract.label_vi}» không có cột này; các cột: "
                f"{', '.join(contract.column_names)}."
            )
        elif types and contract.column(value).type not in types:
            problems.append(f"{where}: {key} = «{value}» phải là cột kiểu {' hoặc '.join(types)}.")

    if m.window not in ("period", "all"):
        problems.append(f"{where}: window = «{m.window}» không hợp lệ; dùng được: period, all.")
    if m.where is not None and contract is not None:
        try:
            conditions.compile_condition(m.where, contract)
        except conditions.ConditionError as exc:
            problems.append(f"{where}: where = «{m.where}»: {exc}")
    numeric = (c.INTEGER, c.DECIMAL)
    if m.aggregate in ("sum", "monthly_capped_sum"):
        column("column", m.column, numeric)
    if m.aggregate == "count_distinct":
        column("column", m.column)
    if m.aggregate == "monthly_capped_sum" and m.cap not in CAPS:
        problems.append(f"{where}: cap = «{m.cap}» không hợp lệ; dùng được: {', '.join(CAPS)}.")
    if m.aggregate == "median_days":
        column("from", m.date_from, (c.DATE,))
        column("to", m.date_to, (c.DATE,))
    if m.aggregate == "repeats":
        column("same_text", m.same_text, (c.TEXT,))
        days = m.within_days
        ok = isinstance(days, int) and days > 0
        ok = ok or (isinstance(days, str) and days.removeprefix("setting.") in conditions.SETTINGS)
        if not ok:
            problems.append(
                f"{where}: within_days = «{days}» phải là số ngày hoặc setting.<tên> "
                f"({', '.join(conditions.SETTINGS)})."
            )
    if m.aggregate == "sum_of" and (not m.measures or not all(isinstance(x, str) for x in m.measures)):
        problems.append(f'{where}: sum_of cần measures = ["tên", ...].')


def _check_sum_of(measures: dict[str, Measure], problems: list[str]) -> None:
    for m in measures.values():
        for part in m.measures:
            other = measures.get(part)
            if other is None:
                problems.append(f"{m.source}: đại lượng «{m.name}»: không có đại lượng «{part}».")
            elif other.aggregate in ("sum_of", "median_days"):
                problems.append(
                    f"{m.source}: đại lượng «{m.name}»: không cộng được «{part}» ({other.aggregate})."
                )
            elif other.feed != m.feed:
                problems.append(f"{m.source}: đại lượng «{m.name}»: «{part}» thuộc loại dữ liệu khác.")


def indicator_fields(catalogue: Catalogue) -> tuple[list[dict], dict[str, Measure]]:
    """Each indicator's fields (for `warehouse.indicators.Indicator`) and every measure, checked."""
    problems: list[str] = []
    measures = dict(catalogue.measures)
    out: list[dict] = []
    for spec in catalogue.indicators:
        contract = c.FEEDS[spec["_feed"]]
        column = spec.get("for_each_choice")
        if column is None:
            variants = [(spec, None)]
        else:
            choices = _choices(contract, column, spec["_where"], problems)
            variants = [({k: _fill_deep(v, ch) for k, v in spec.items()}, ch.code) for ch in choices]
        for variant, category in variants:
            fields = _indicator(
                variant, category, contract, measures, problems, catalogue.records.get(contract.name)
            )
            if fields is not None:
                out.append(fields)
    seen: dict[str, str] = {}
    for fields in out:
        if fields["id"] in seen:
            problems.append(
                f"{fields['_where']}: mã chỉ tiêu «{fields['id']}» đã dùng ({seen[fields['id']]})."
            )
        seen.setdefault(fields["id"], fields["_where"])
    if problems:
        raise DeclarationError(problems)
    return out, measures


def _fill_deep(value, choice):
    if isinstance(value, dict):
        return {k: _fill_deep(v, choice) for k, v in value.items()}
    return _fill(value, choice)


def _indicator(spec, category, contract, measures, problems, records=None) -> dict | None:
    where = spec["_where"]
    count = len(problems)

    def text(key: str, default: str | None = None) -> str:
        value = spec.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: thiếu {key} (một dòng chữ).")
            return ""
        return value

    def choice(key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = spec.get(key, default)
        if value not in allowed:
            problems.append(f"{where}: {key} = «{value}» không hợp lệ; dùng được: {', '.join(allowed)}.")
        return value

    def number(key: str, default: float, minimum: float) -> float:
        value = spec.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            problems.append(f"{where}: {key} = «{value}» phải là một số ≥ {minimum:g}.")
            return default
        return value

    ident = spec.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        problems.append(f"{where}: id = «{ident}» chỉ gồm chữ thường không dấu, số, «_» và bắt đầu bằng chữ.")
        ident = str(ident)
    label_vi = text("label_vi")
    fields = {
        "id": ident,
        "name_vi": label_vi,
        "name_en": text("label_en", label_vi),
        "unit_vi": text("unit_vi"),
        "unit_en": text("unit_en", spec.get("unit_vi")),
        "feed": contract.name,
        "direction": choice("direction", DIRECTIONS),
        "target_mode": choice("target_mode", TARGET_MODES, "level"),
        "ward_target": choice("ward_target", WARD_TARGETS, "same"),
        "scale": number("scale", 1.0, 0),
        "min_sample": int(number("min_sample", 0, 0)),
        "category": category,
        "plan_section": spec["_plan"] if isinstance(spec["_plan"], str) else "",
        "origin": spec["_origin"],
        "_where": where,
    }
    if spec["_origin"] == "ward" and spec.get("weight", 0) != 0:
        problems.append(
            f"{where}: weight = «{spec['weight']}»: chỉ tiêu phường thêm vào bảng thi đua với trọng số 0; "
            f"đặt trọng số trong settings.toml ([indicators.{ident}] weight = ...)."
        )
    fields["weight"] = number("weight", 0.0, 0) if spec["_origin"] == "built-in" else 0.0
    targets = spec.get("targets", {})
    if not isinstance(targets, dict) or not all(
        re.fullmatch(r"20\d\d", str(y)) and isinstance(v, int | float) and not isinstance(v, bool)
        for y, v in targets.items()
    ):
        problems.append(f"{where}: targets = «{targets}» phải có dạng {{ 2026 = 80, 2027 = 85 }}.")
        targets = {}
    fields["targets"] = {int(y): v for y, v in sorted(targets.items())}
    numerator = _ref(spec, "numerator", ident, contract, measures, where, problems, records)
    denominator = _ref(spec, "denominator", ident, contract, measures, where, problems, records)
    if numerator is None:
        return None
    is_median = measures[numerator[0]].aggregate == "median_days"
    kind = "median" if is_median else "ratio" if denominator else "count"
    if spec.get("kind", kind) != kind:
        problems.append(
            f"{where}: kind = «{spec.get('kind')}» không khớp với tử số, mẫu số đã khai (là «{kind}»)."
        )
    if is_median and denominator:
        problems.append(f"{where}: chỉ tiêu trung vị không có mẫu số.")
    if not is_median and any(measures[r[0]].aggregate == "median_days" for r in (denominator,) if r):
        problems.append(f"{where}: mẫu số không được là trung vị.")
    sample = (
        _ref(spec, "sample", ident, contract, measures, where, problems, records)
        if "sample" in spec
        else None
    )
    if sample is None:
        sample = denominator if kind == "ratio" else numerator
        if is_median:
            problems.append(f"{where}: chỉ tiêu trung vị cần sample (đại lượng đếm số bản ghi).")
            return None
    if measures[sample[0]].aggregate == "median_days":
        problems.append(f"{where}: sample không được là trung vị.")
    fields.update(
        kind=kind,
        numerator=numerator[0],
        numerator_vi=numerator[1],
        numerator_en=numerator[2],
        denominator=denominator[0] if denominator else None,
        denominator_vi=denominator[1] if denominator else None,
        denominator_en=denominator[2] if denominator else None,
        sample=sample[0],
        sample_vi=sample[1],
    )
    return fields if len(problems) == count else None


def _ref(spec, role, ident, contract, measures, where, problems, records=None) -> tuple[str, str, str] | None:
    """A numerator/denominator/sample: (measure name, label_vi, label_en); inline ones are added."""
    value = spec.get(role)
    if value is None:
        if role == "numerator":
            problems.append(f"{where}: thiếu numerator (tử số).")
        return None
    if isinstance(value, str):
        value = {"measure": value}
    if not isinstance(value, dict):
        problems.append(f"{where}: {role} = «{value}» phải là tên đại lượng hoặc một bảng {{ ... }}.")
        return None
    if "per" in value:
        per = PER.get(value["per"])
        if per is None:
            problems.append(
                f"{where}: {role}.per = «{value['per']}» không hợp lệ; dùng được: {', '.join(PER)}."
            )
            return None
        name, aggregate, label_vi, label_en = per
        measures.setdefault(
            name, Measure(name, label_vi[0].upper() + label_vi[1:], aggregate, source="mặc định")
        )
        return name, value.get("label_vi", label_vi), value.get("label_en", label_en)
    if "aggregate" in value:
        name = f"{ident}:{role}"
        spec_ = {k: v for k, v in value.items() if k not in ("label_en", "measure")}
        spec_.setdefault("label_vi", value.get("label_vi") or name)
        for measure in _read_measure(name, spec_, where, contract, "", problems):
            measures[name] = replace(measure, records=records)
        if name not in measures:
            return None
    else:
        name = value.get("measure")
    measure = measures.get(name)
    if measure is None:
        problems.append(
            f"{where}: {role}: không có đại lượng «{name}»; xem [measures.<tên>] của các tệp khai báo."
        )
        return None
    if measure.feed not in (None, contract.name):
        problems.append(
            f"{where}: {role}: đại lượng «{name}» thuộc loại dữ liệu «{measure.feed}», không phải «{contract.name}»."
        )
        return None
    label_vi = value.get("label_vi", measure.label_vi)
    label_en = value.get("label_en", label_vi)
    if not isinstance(label_vi, str) or not label_vi:
        problems.append(f"{where}: {role} cần label_vi.")
        return None
    return name, label_vi, label_en
