"""The demo ward: a deterministic, believable Lê Chân ward, loaded through the units' own upload path.

`build_demo` (the `dothixanh demo` command) writes the ward's reference files
and one file per unit, feed and month, the way the units' clerks would send
them, then loads every file with `pipelines.ingest` in order of simulated
arrival. Nothing reaches the warehouse by any other way.

What makes the ward believable:

- 40 residential groups of 150–600 households, each with a hidden quality
  factor that acts consistently on every feed (fewer violations per resident,
  more "Ngày thứ 7 cùng dân", better sorting compliance, faster repairs), so
  league tables mean something;
- the nine units of the plan, each with its own file habits: UTF-8 with BOM,
  UTF-16 "Unicode text" from Excel, Windows-1258, Excel workbooks; comma,
  semicolon or tab; Vietnamese headers with or without diacritics or the
  canonical English names; dd/mm/yyyy, d/m/yyyy or ISO dates; 1.500.000;
- seasons and habits: storms in July–September break street lights; files
  arrive a few days after the month ends, some units habitually late, a
  couple of month-files arrive only weeks late (24/11/2026); violations resolved and lights repaired
  after a file was sent are re-sent in the next file as corrections;
- about 0.5 % dirty rows (impossible dates, "Tổ 5" for TDP05, a fine without
  its amount, the same row pasted twice) that the upload path must reject
  with a Vietnamese reason.

Everything comes from `random.Random` instances seeded from `seed` (one
stream per concern, so a change in one generator does not reshuffle the
others): the same seed and `until` give byte-identical files.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import random
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pipelines import contracts as c
from pipelines.messages import fmt_date, fmt_int

START = dt.date(2026, 5, 1)  # the plan was issued in May 2026
ONE_DAY = dt.timedelta(days=1)
N_GROUPS = 40
SATURDAY, SUNDAY = 5, 6

# Streets of Lê Chân (addresses, lamp routes, cleanup locations).
STREETS = (
    "Tô Hiệu",
    "Hai Bà Trưng",
    "Trần Nguyên Hãn",
    "Cát Cụt",
    "Lạch Tray",
    "Nguyễn Đức Cảnh",
    "Mê Linh",
    "Hàng Kênh",
    "Dư Hàng",
    "Chợ Hàng",
    "Nguyễn Văn Linh",
    "Lam Sơn",
    "Thiên Lôi",
    "An Đà",
    "Lán Bè",
    "Nguyễn Công Trứ",
    "Chùa Hàng",
    "Hồ Sen",
    "Đình Đông",
    "Miếu Hai Xã",
    "Trại Lẻ",
)
WATERWAYS = (
    "Hồ Sen",
    "Hồ An Biên",
    "Sông Lạch Tray (đoạn qua phường)",
    "Mương An Kim Hải",
    "Kênh Đông Trang",
)


# -- the ward ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    households: int
    population: int
    quality: float  # hidden: > 0 leads, < 0 lags, on every feed
    streets: tuple[str, ...]
    market: bool  # has a market (the markets board inspects and fines there)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    feeds: tuple[str, ...]


UNITS = (
    Unit("CAP", "Công an phường Lê Chân", ("violations",)),
    Unit("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", ("violations", "cleanups")),
    Unit("VHXH", "Phòng Văn hóa và Xã hội", ("violations",)),
    Unit("BQLDA", "Ban Quản lý dự án Lê Chân", ("violations", "sorting_inspections")),
    Unit(
        "MTDT",
        "Công ty TNHH MTV Môi trường đô thị Hải Phòng",
        ("violations", "cleanups", "sorting_inspections"),
    ),
    Unit("TTBT", "Trung tâm quản lý, bảo trì các công trình", ("lighting_repairs",)),
    Unit("DLLC", "Điện lực Lê Chân", ("lighting_repairs",)),
    Unit("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam phường", ("cleanups",)),
    Unit("TDP", "Các tổ dân phố", ("cleanups", "sorting_inspections")),
)
UNIT_BY_CODE = {u.code: u for u in UNITS}


def make_groups(seed: int = 2026) -> list[Group]:
    """The ward's residential groups (independent of `until` and `scale`)."""
    rng = random.Random(f"{seed}:groups")
    markets = set(rng.sample(range(1, N_GROUPS + 1), 6))
    raw = [rng.gauss(0.0, 1.0) for _ in range(N_GROUPS)]
    mean = sum(raw) / N_GROUPS
    spread = math.sqrt(sum((q - mean) ** 2 for q in raw) / N_GROUPS)
    groups = []
    for i in range(1, N_GROUPS + 1):
        households = rng.randint(150, 600)
        population = round(households * rng.uniform(3.2, 3.9))
        # Standardised, so every seed has as many leaders as laggards.
        quality = _clamp((raw[i - 1] - mean) / spread, -2.2, 2.2)
        main = STREETS[(i - 1) * len(STREETS) // N_GROUPS]
        others = rng.sample([s for s in STREETS if s != main], 2)
        groups.append(
            Group(
                code=f"TDP{i:02d}",
                name=f"Tổ dân phố số {i}",
                households=households,
                population=population,
                quality=quality,
                streets=(main, *others),
                market=i in markets,
            )
        )
    return groups


# -- small helpers -----------------------------------------------------------------------------------


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _months(until: dt.date) -> list[dt.date]:
    months, month = [], START
    while month <= until:
        months.append(month)
        month = _month_end(month) + ONE_DAY
    return months


def _month_index(day: dt.date) -> int:
    return (day.year - START.year) * 12 + day.month - START.month


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _binomial(rng: random.Random, n: int, p: float) -> int:
    if n <= 80:
        return sum(1 for _ in range(n) if rng.random() < p)
    value = round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))
    return int(_clamp(value, 0, n))


def _half(value: float) -> float:
    """Round to the nearest half kilogram."""
    return round(value * 2) / 2


def _pick_group(rng: random.Random, groups: list[Group], bias: float = 0.4) -> Group:
    """Better groups host more drives: weight exp(bias × quality)."""
    return rng.choices(groups, weights=[math.exp(bias * g.quality) for g in groups])[0]


def _street(rng: random.Random, group: Group) -> str:
    return rng.choices(group.streets, weights=(4, 1, 1))[0]


def _abbreviation(street: str) -> str:
    return "".join(_ascii(word)[0] for word in street.split()).upper()


def _ascii(text: str) -> str:
    """Vietnamese without diacritics, case kept: 'Ngày phát hiện' → 'Ngay phat hien'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class Rec:
    """One true record; `update` becomes known (and is reported) from `known_on`."""

    feed: str
    unit: str
    day: dt.date
    values: dict
    update: dict | None = None
    known_on: dt.date | None = None

    @property
    def key(self) -> str:
        return self.values[c.FEEDS[self.feed].id_column]

    def as_of(self, day: dt.date) -> dict:
        if self.update is not None and self.known_on is not None and self.known_on <= day:
            return {**self.values, **self.update}
        return self.values


class _Ids:
    """Per-unit record numbers in the unit's own format."""

    def __init__(self, formats: dict[str, str]):
        self.formats = formats
        self.counters = dict.fromkeys(formats, 0)

    def next(self, unit: str) -> str:
        self.counters[unit] += 1
        return self.formats[unit].format(n=self.counters[unit])


# -- violations --------------------------------------------------------------------------------------

CATEGORY_WEIGHTS = {
    "CAP": {
        "sidewalk_encroachment": 30,
        "roadway_encroachment": 20,
        "public_order": 18,
        "littering_dumping": 10,
        "illegal_advertising": 8,
        "fire_safety": 7,
        "other": 7,
    },
    "KTHTDT": {
        "construction_order": 38,
        "sidewalk_encroachment": 22,
        "illegal_advertising": 16,
        "roadway_encroachment": 14,
        "other": 10,
    },
    "VHXH": {"illegal_advertising": 35, "public_order": 35, "food_safety": 20, "other": 10},
    "BQLDA": {"food_safety": 40, "waste_sorting": 25, "sidewalk_encroachment": 20, "littering_dumping": 15},
    "MTDT": {"littering_dumping": 55, "waste_sorting": 45},
}
# (reminder, record, fine) by category.
ACTION_WEIGHTS = {
    "construction_order": (25, 35, 40),
    "fire_safety": (35, 35, 30),
    "food_safety": (40, 30, 30),
    "littering_dumping": (50, 20, 30),
    "waste_sorting": (75, 15, 10),
    "sidewalk_encroachment": (55, 20, 25),
}
FINE_RANGES = {
    "sidewalk_encroachment": (500_000, 2_000_000),
    "roadway_encroachment": (1_000_000, 3_000_000),
    "illegal_advertising": (500_000, 1_500_000),
    "littering_dumping": (500_000, 3_000_000),
    "waste_sorting": (500_000, 1_000_000),
    "public_order": (500_000, 1_500_000),
    "construction_order": (3_000_000, 7_500_000),
    "food_safety": (1_000_000, 5_000_000),
    "fire_safety": (1_000_000, 5_000_000),
    "other": (500_000, 2_000_000),
}
VIOLATION_NOTES = {
    "sidewalk_encroachment": ("Thu giữ bàn ghế lấn chiếm", "Đã ký cam kết không tái phạm"),
    "roadway_encroachment": ("Yêu cầu di chuyển phương tiện",),
    "illegal_advertising": ("Đã bóc xóa", "Xóa số điện thoại rao vặt"),
    "littering_dumping": ("Phát hiện qua camera", "Đổ phế thải xây dựng ban đêm"),
    "construction_order": ("Lập biên bản đình chỉ thi công",),
    "food_safety": ("Hàng không rõ nguồn gốc", "Thiếu giấy chứng nhận kiểm dịch"),
    "fire_safety": ("Chưa trang bị bình chữa cháy",),
    "public_order": ("Gây ồn ào sau 22 giờ", "Hát karaoke gây ồn"),
}


def _address(rng: random.Random, group: Group) -> str:
    street = _street(rng, group)
    roll = rng.random()
    if roll < 0.6:
        return f"Số {rng.randint(1, 320)} {street}"
    if roll < 0.9:
        return f"Số {rng.randint(1, 60)} ngõ {rng.randint(2, 250)} {street}"
    return f"Ngõ {rng.randint(2, 250)} {street}"


def gen_violations(groups: list[Group], until: dt.date, scale: int, seed: int) -> list[Rec]:
    rng = random.Random(f"{seed}:violations")
    ids = _Ids(
        {
            "CAP": "CA-2026-{n:05d}",
            "KTHTDT": "KTHT-2026-{n:04d}",
            "VHXH": "VH/2026/{n:04d}",
            "BQLDA": "BQL-{n:04d}",
            "MTDT": "MTDT-VP-{n:06d}",
        }
    )
    pool: dict[str, list[tuple[str, str]]] = {g.code: [] for g in groups}  # earlier (address, category)
    records = []
    for day in _days(START, until):
        trend = 1.12 - 0.045 * _month_index(day)  # enforcement pays off slowly
        weekday = 0.5 if day.weekday() == SUNDAY else 1.0
        for g in groups:
            lam = 0.2 * g.population / 1000 * math.exp(-0.45 * g.quality) * trend * weekday * scale
            for _ in range(_poisson(rng, lam)):
                units = ("CAP", "KTHTDT", "VHXH", "BQLDA", "MTDT")
                unit = rng.choices(units, weights=(36, 20, 12, 30 if g.market else 3, 23))[0]
                categories = CATEGORY_WEIGHTS[unit]
                category = rng.choices(list(categories), weights=list(categories.values()))[0]
                repeat = bool(pool[g.code]) and rng.random() < _clamp(0.10 - 0.05 * g.quality, 0.02, 0.25)
                if repeat:
                    address, earlier = rng.choice(pool[g.code])
                    if earlier in categories and rng.random() < 0.7:
                        category = earlier
                else:
                    address = _address(rng, g)
                pool[g.code].append((address, category))
                weights = (20, 30, 50) if repeat else ACTION_WEIGHTS.get(category, (55, 25, 20))
                action = rng.choices(("reminder", "record", "fine"), weights=weights)[0]
                fine = None
                if action == "fine":
                    low, high = FINE_RANGES[category]
                    fine = round(rng.uniform(low, high) / 50_000) * 50_000
                if repeat and rng.random() < 0.6:
                    note = "Tái phạm"
                elif rng.random() < 0.25 and category in VIOLATION_NOTES:
                    note = rng.choice(VIOLATION_NOTES[category])
                else:
                    note = None
                record = Rec(
                    "violations",
                    unit,
                    day,
                    {
                        "record_id": ids.next(unit),
                        "unit_code": unit,
                        "detected_on": day,
                        "group_code": g.code,
                        "category": category,
                        "action": action,
                        "fine_vnd": fine,
                        "resolved_on": None,
                        "address": address if rng.random() < 0.95 else None,
                        "note": note,
                    },
                )
                resolve = 0.82 + 0.05 * g.quality - (0.2 if category == "construction_order" else 0.0)
                if rng.random() < _clamp(resolve, 0.4, 0.97):
                    if action == "reminder":
                        delay = 0 if rng.random() < 0.15 else rng.randint(1, 3)
                    else:
                        delay = rng.randint(1, 14 if action == "record" else 10)
                    delay = max(0, round(delay * math.exp(-0.2 * g.quality)))
                    resolved = day + dt.timedelta(days=delay)
                    record.update, record.known_on = {"resolved_on": resolved}, resolved
                records.append(record)
    return records


# -- cleanups ----------------------------------------------------------------------------------------


def gen_cleanups(groups: list[Group], until: dt.date, scale: int, seed: int) -> list[Rec]:
    rng = random.Random(f"{seed}:cleanups")
    ids = _Ids({"MTDT": "MT-RQ-{n:04d}", "KTHTDT": "KTHT-RQ-{n:04d}", "MTTQ": "MTTQ-2026-{n:03d}"})
    records: list[Rec] = []

    def add(
        unit: str,
        day: dt.date,
        group: Group,
        kind: str,
        people: int,
        *,
        event_id: str | None = None,
        waste: float | None = None,
        trees: int | None = None,
        location: str | None = None,
    ) -> None:
        values = {
            "event_id": event_id or ids.next(unit),
            "unit_code": unit,
            "held_on": day,
            "group_code": group.code,
            "kind": kind,
            "participants": max(1, people),
            "waste_kg": waste,
            "trees_planted": trees,
            "location": location,
        }
        records.append(Rec("cleanups", unit, day, values))

    for day in _days(START, until):
        m = _month_index(day)
        weekday = day.weekday()
        stamp = day.strftime("%Y%m%d")
        if weekday == SATURDAY:  # "Ngày thứ 7 cùng dân", reported by the groups
            for g in groups:
                for i in range(scale):
                    if rng.random() >= _clamp(0.5 + 0.17 * g.quality + 0.02 * m, 0.12, 0.95):
                        continue
                    people = max(8, round(g.households * rng.uniform(0.05, 0.12) * (1 + 0.2 * g.quality)))
                    street = _street(rng, g)
                    places = (
                        f"Ngõ {rng.randint(2, 250)} {street}",
                        f"Tuyến phố {street}",
                        f"Khu dân cư {g.code}",
                    )
                    add(
                        "TDP",
                        day,
                        g,
                        "saturday_with_people",
                        people,
                        event_id=f"T7-{g.code}-{stamp}" + (f"-{i + 1}" if scale > 1 else ""),
                        waste=_half(people * rng.uniform(1.0, 2.8)),
                        location=rng.choice(places),
                    )
            continue
        if weekday == SUNDAY:
            for g in groups:  # the groups' own clean-ups
                for i in range(scale):
                    if rng.random() < _clamp(0.07 + 0.04 * g.quality, 0.01, 0.2):
                        people = max(5, round(g.households * rng.uniform(0.04, 0.1)))
                        add(
                            "TDP",
                            day,
                            g,
                            "general_cleanup",
                            people,
                            event_id=f"VS-{g.code}-{stamp}" + (f"-{i + 1}" if scale > 1 else ""),
                            waste=_half(people * rng.uniform(1.5, 4.0)),
                            location=f"Các ngõ thuộc {g.name}",
                        )
            if day.day <= 7:  # the ward's monthly general clean-up, first Sunday
                for _ in range(10 * scale):
                    g = _pick_group(rng, groups)
                    people = rng.randint(20, 60) + round(g.households * 0.05)
                    add(
                        "KTHTDT",
                        day,
                        g,
                        "general_cleanup",
                        people,
                        waste=_half(people * rng.uniform(2.0, 4.5)),
                        location=f"Tuyến phố {_street(rng, g)}",
                    )
            for _ in range(_poisson(rng, 0.6 * scale)):  # youth union on Sundays
                g = _pick_group(rng, groups)
                kind = rng.choice(("general_cleanup", "landscape_improvement"))
                people = rng.randint(15, 60)
                add(
                    "MTTQ",
                    day,
                    g,
                    kind,
                    people,
                    waste=_half(people * rng.uniform(0.5, 2.5)),
                    trees=0 if kind == "landscape_improvement" else None,
                    location=f"Tuyến phố thanh niên tự quản {_street(rng, g)}",
                )
            continue
        for _ in range(_poisson(rng, 0.3 * scale)):  # the environment company's drives
            g = _pick_group(rng, groups, 0.2)
            people = rng.randint(8, 30)
            add(
                "MTDT",
                day,
                g,
                "general_cleanup",
                people,
                waste=_half(people * rng.uniform(8, 25)),
                location=f"Tuyến phố {_street(rng, g)}",
            )
        for _ in range(_poisson(rng, 0.12 * scale)):
            g = _pick_group(rng, groups, 0.2)
            add(
                "MTDT",
                day,
                g,
                "waterway_cleanup",
                rng.randint(10, 40),
                waste=_half(rng.uniform(150, 900)),
                location=rng.choice(WATERWAYS),
            )
        for _ in range(_poisson(rng, 0.1 * scale)):
            g = _pick_group(rng, groups)
            add(
                "MTTQ",
                day,
                g,
                "tree_planting",
                rng.randint(20, 80),
                trees=rng.randint(5, 40),
                location=f"Vỉa hè {_street(rng, g)}",
            )
        for unit, lam in (("MTTQ", 0.06), ("KTHTDT", 0.05)):
            for _ in range(_poisson(rng, lam * scale)):
                g = _pick_group(rng, groups)
                people = rng.randint(10, 40)
                add(
                    unit,
                    day,
                    g,
                    "landscape_improvement",
                    people,
                    waste=_half(people * rng.uniform(0.5, 2.0)),
                    trees=rng.randint(0, 10),
                    location=f"Ngõ {rng.randint(2, 250)} {_street(rng, g)}",
                )
    return records


# -- sorting inspections -----------------------------------------------------------------------------

SORTING_NOTES_LOW = ("Đã hướng dẫn lại cách phân loại", "Nhiều hộ để chung rác hữu cơ và rác khác")
SORTING_NOTES = ("Hộ vắng nhà không kiểm tra được", "Phát tờ rơi hướng dẫn")


def gen_sorting(groups: list[Group], until: dt.date, scale: int, seed: int) -> list[Rec]:
    rng = random.Random(f"{seed}:sorting")
    ids = _Ids({"MTDT": "MT-KT-{n:05d}", "BQLDA": "BQL-KT-{n:04d}"})
    records: list[Rec] = []
    for month in _months(until):
        m = _month_index(month)
        weekdays = [d for d in _days(month, _month_end(month)) if d.weekday() < SATURDAY]
        found: list[tuple[dt.date, str, str, Group, int, float]] = []
        for g in groups:
            plans = [("MTDT", 0.0, 0.9)] * 2 + [("TDP", 0.06, _clamp(0.55 + 0.2 * g.quality, 0.1, 0.95))]
            if g.market:
                plans += [("BQLDA", -0.08, 0.95)] * 2
            for unit, bias, chance in plans:
                for _ in range(scale):
                    if rng.random() >= chance:
                        continue
                    day = rng.choice(weekdays)
                    if unit == "MTDT":
                        checked = round(g.households * rng.uniform(0.12, 0.3))
                    elif unit == "TDP":
                        checked = round(g.households * rng.uniform(0.3, 0.7))
                    else:
                        checked = rng.randint(20, 60)
                    rate = 0.46 + 0.035 * m + 0.08 * g.quality + bias + rng.gauss(0, 0.04)
                    found.append((day, g.code, unit, g, min(checked, g.households), _clamp(rate, 0.05, 0.98)))
        found.sort(key=lambda item: (item[0], item[1], item[2]))
        per_group_month: dict[tuple[str, str], int] = {}
        for day, _, unit, g, checked, rate in found:
            if day > until:
                continue
            compliant = _binomial(rng, checked, rate)
            if unit == "TDP":
                n = per_group_month.get((g.code, unit), 0) + 1
                per_group_month[(g.code, unit)] = n
                inspection_id = f"TKT-{g.code}-{month:%Y%m}-{n}"
            else:
                inspection_id = ids.next(unit)
            roll = rng.random()
            if compliant < 0.5 * checked and roll < 0.5:
                note = rng.choice(SORTING_NOTES_LOW)
            elif roll < 0.1:
                note = rng.choice(SORTING_NOTES)
            else:
                note = None
            records.append(
                Rec(
                    "sorting_inspections",
                    unit,
                    day,
                    {
                        "inspection_id": inspection_id,
                        "unit_code": unit,
                        "inspected_on": day,
                        "group_code": g.code,
                        "households_checked": checked,
                        "households_compliant": compliant,
                        "note": note,
                    },
                )
            )
    return records


# -- lighting repairs --------------------------------------------------------------------------------

CAUSES = ("burnt_out", "cable_fault", "pole_damage", "vandalism", "other", "storm")


def storm_days(seed: int) -> list[dt.date]:
    """Three storms of the 2026 season (July, August, September)."""
    rng = random.Random(f"{seed}:storms")
    return [
        dt.date(2026, 7, rng.randint(14, 24)),
        dt.date(2026, 8, rng.randint(16, 28)),
        dt.date(2026, 9, rng.randint(6, 18)),
    ]


def gen_lighting(groups: list[Group], until: dt.date, scale: int, seed: int) -> list[Rec]:
    rng = random.Random(f"{seed}:lighting")
    ids = _Ids({"TTBT": "CS-2026-{n:04d}", "DLLC": "DL{n:05d}"})
    storms = storm_days(seed)
    records: list[Rec] = []
    for day in _days(START, until):
        season = day.month in (7, 8, 9)
        after_storm = [(day - s).days for s in storms if 0 <= (day - s).days <= 3]
        storm_lam = 0.5 * 0.55 ** after_storm[0] if after_storm else 0.0
        for g in groups:
            size = math.sqrt(g.households / 375)
            base = _poisson(rng, 0.09 * size * (1.3 if season else 1.0) * scale)
            stormy = _poisson(rng, storm_lam * size * scale)
            for n in range(base + stormy):
                if n >= base:
                    cause = "storm" if rng.random() < 0.85 else "cable_fault"
                else:
                    cause = rng.choices(CAUSES, weights=(50, 20, 7, 5, 8, 10 if season else 3))[0]
                power = cause in ("cable_fault", "pole_damage", "storm")
                unit = "DLLC" if rng.random() < (0.55 if power else 0.08) else "TTBT"
                street = _street(rng, g)
                record = Rec(
                    "lighting_repairs",
                    unit,
                    day,
                    {
                        "ticket_id": ids.next(unit),
                        "unit_code": unit,
                        "group_code": g.code,
                        "street": street,
                        "lamp_id": f"{_abbreviation(street)}-{rng.randint(1, 150):03d}",
                        "reported_on": day,
                        "repaired_on": None,
                        "cause": cause if rng.random() < 0.97 else None,
                        "status": "open",
                    },
                )
                roll = rng.random()
                if roll < 0.02:
                    record.values["status"] = "cancelled"  # reported twice, or not a public light
                elif roll < 0.06:
                    pass  # still waiting (spare parts, cable owner unknown)
                else:
                    mean = (4.5 if unit == "DLLC" else 2.5) * math.exp(-0.3 * g.quality)
                    if cause == "storm" or after_storm:
                        mean *= 1.8
                    delay = int(_clamp(round(rng.gammavariate(2.0, mean / 2)), 1, 10))
                    repaired = day + dt.timedelta(days=delay)
                    record.update = {"status": "repaired", "repaired_on": repaired}
                    record.known_on = repaired
                records.append(record)
    return records


GENERATORS = {
    "violations": gen_violations,
    "cleanups": gen_cleanups,
    "sorting_inspections": gen_sorting,
    "lighting_repairs": gen_lighting,
}


# (unit, feed, yyyy-mm) a unit had nothing to report for: it says so («Không có số liệu phát sinh»)
# through the same function as the upload page's button, instead of sending a file.
NOTHING_TO_REPORT = frozenset({("BQLDA", "violations", "2026-08")})


def generate_records(groups: list[Group], until: dt.date, scale: int = 1, seed: int = 2026) -> dict:
    """The true records of every feed up to `until`, as {feed: [Rec, ...]}."""
    records = {feed: gen(groups, until, scale, seed) for feed, gen in GENERATORS.items()}
    return {
        feed: [r for r in recs if (r.unit, feed, f"{r.day:%Y-%m}") not in NOTHING_TO_REPORT]
        for feed, recs in records.items()
    }


class Declaration(NamedTuple):
    """A unit's «Không có số liệu phát sinh» for a feed and month, and when it reaches the ward."""

    feed: str
    unit_code: str
    month: dt.date
    received_at: dt.datetime


def nothing_to_report(until: dt.date, seed: int = 2026) -> list[Declaration]:
    """The declarations made by `until` (on the day the unit's file would have come)."""
    out = []
    for unit, feed, month_key in sorted(NOTHING_TO_REPORT):
        month = dt.date(int(month_key[:4]), int(month_key[5:]), 1)
        arrival = _arrival(seed, unit, feed, month, until)
        if arrival is not None and _month_end(month) < until:
            out.append(Declaration(feed, unit, month, arrival))
    return out


# -- how each unit writes its files ------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    encoding: str  # utf-8-sig | utf-8 | utf-16 | cp1258 | xlsx
    delimiter: str = ","
    headers: str = "vi"  # vi (labels) | ascii (labels without diacritics) | en (canonical names)
    dates: str = "dmy"  # dmy (dd/mm/yyyy) | dmy_short (d/m/yyyy) | iso
    enums: str = "label"  # label | code
    vn_numbers: bool = True  # 1.500.000 and 120,5
    crlf: bool = True
    unit_column: bool = True
    zero_fines: bool = False  # writes 0 rather than leaving the fine empty
    serial: bool = False  # a leading "STT" column
    reporter: bool = False  # a trailing "Người báo cáo" column
    updates: bool = False  # re-sends earlier records whose outcome changed
    delay: tuple[int, int] = (1, 5)  # days after the month ends
    partial: bool = False  # also sends the current month so far, on `until`

    @property
    def extension(self) -> str:
        return {"xlsx": ".xlsx", "utf-16": ".txt"}.get(self.encoding, ".csv")


STYLES = {
    # Police: Excel "CSV UTF-8", serial column, keeps its records up to date.
    "CAP": Style("utf-8-sig", serial=True, updates=True),
    # The lead unit works in Excel and sends the workbook.
    "KTHTDT": Style("xlsx", updates=True),
    # An old PC: Excel's plain CSV in Windows-1258, semicolons, d/m/yyyy; always late.
    "VHXH": Style("cp1258", delimiter=";", dates="dmy_short", delay=(10, 20)),
    # Excel "Unicode text": UTF-16 LE, tab-separated.
    "BQLDA": Style("utf-16", delimiter="\t"),
    # The company's own system: canonical names, codes, ISO dates, plain numbers.
    "MTDT": Style(
        "utf-8",
        headers="en",
        dates="iso",
        enums="code",
        vn_numbers=False,
        crlf=False,
        zero_fines=True,
        updates=True,
    ),
    # Headers typed without diacritics, semicolons.
    "TTBT": Style("utf-8-sig", delimiter=";", headers="ascii", updates=True),
    # Windows-1258, comma, d/m/yyyy; late; updates its tickets.
    "DLLC": Style("cp1258", dates="dmy_short", delay=(10, 20), updates=True),
    "MTTQ": Style("utf-16", delimiter="\t"),
    # The groups' reports compiled by the ward: no unit column, reporter column, weekly.
    "TDP": Style("utf-8-sig", unit_column=False, reporter=True, partial=True),
}

FEED_SLUGS = {
    "violations": "vi-pham",
    "cleanups": "ra-quan-ve-sinh",
    "sorting_inspections": "kiem-tra-phan-loai-rac",
    "lighting_repairs": "sua-den-chieu-sang",
}

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # the five tone marks cp1258 can write


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 bytes of Vietnamese text, as Windows writes them.

    The code page holds the vowels with their shape marks (â, ê, ô, ơ, ư, ă) and
    a few precomposed toned vowels; other toned vowels are written as the
    shaped vowel followed by a combining tone mark ("ậ" → "â" + U+0323).
    """
    try:
        return text.encode("cp1258")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONE_MARKS))
        tones = "".join(p for p in parts if p in _TONE_MARKS)
        out += (base + tones).encode("cp1258")  # anything left is a bug in the demo's data
    return bytes(out)


def _vn_decimal(value: float) -> str:
    whole = int(value)
    tenths = round((value - whole) * 10)
    return fmt_int(whole) + (f",{tenths}" if tenths else "")


def _header(col: c.Column, style: Style) -> str:
    if style.headers == "en":
        return col.name
    if style.headers == "ascii":
        return _ascii(col.label_vi)
    return col.label_vi


def _format_date(day: dt.date, style: Style) -> str:
    if style.dates == "iso":
        return day.isoformat()
    if style.dates == "dmy_short":
        return f"{day.day}/{day.month}/{day.year}"
    return day.strftime("%d/%m/%Y")


def _cell(col: c.Column, value, style: Style):
    """One cell as the unit writes it: text for CSV, typed values for Excel."""
    xlsx = style.encoding == "xlsx"
    if value is None:
        if col.name == "fine_vnd" and style.zero_fines:
            return 0 if xlsx else "0"
        return None if xlsx else ""
    if col.type == c.DATE:
        return dt.datetime.combine(value, dt.time()) if xlsx else _format_date(value, style)
    if col.type == c.INTEGER:
        if xlsx:
            return int(value)
        return fmt_int(value) if style.vn_numbers else str(value)
    if col.type == c.DECIMAL:
        if xlsx:
            return float(value)
        return _vn_decimal(value) if style.vn_numbers else f"{value:.1f}".removesuffix(".0")
    if col.type == c.ENUM:
        return col.choice_label(value) if style.enums == "label" else value
    return str(value)


def _impossible_date(day: dt.date, style: Style) -> str:
    """A date a clerk could type that no calendar has: 31/06/2026, or 32/07/2026."""
    wrong = 31 if calendar.monthrange(day.year, day.month)[1] == 30 else 32
    if style.dates == "iso":
        return f"{day.year}-{day.month:02d}-{wrong}"
    if style.dates == "dmy_short":
        return f"{wrong}/{day.month}/{day.year}"
    return f"{wrong}/{day.month:02d}/{day.year}"


DIRTY_KINDS = {
    "violations": ("impossible_date", "group_alias", "missing_fine", "duplicate"),
    "cleanups": ("impossible_date", "group_alias", "duplicate"),
    "sorting_inspections": ("impossible_date", "group_alias", "duplicate"),
    "lighting_repairs": ("impossible_date", "group_alias", "duplicate"),
}
DIRTY_RATE = 0.005


class DemoFile(NamedTuple):
    """One unit file of the demo, and when it reaches the ward."""

    path: Path
    feed: str
    unit_code: str
    received_at: dt.datetime


@dataclass
class _Table:
    """A file being written: header cells, rows of cells, where each contract column sits."""

    header: list[str]
    rows: list[list]
    position: dict[str, int]


def _table(contract: c.Contract, style: Style, views: list[dict]) -> _Table:
    columns = [col for col in contract.columns if style.unit_column or col.name != "unit_code"]
    header = (["STT"] if style.serial else []) + [_header(col, style) for col in columns]
    offset = 1 if style.serial else 0
    position = {col.name: i + offset for i, col in enumerate(columns)}
    if style.reporter:
        header.append("Người báo cáo")
    rows = []
    for view in views:
        row = ([None] if style.serial else []) + [_cell(col, view[col.name], style) for col in columns]
        if style.reporter:
            row.append(f"Tổ trưởng {view['group_code']}")
        rows.append(row)
    return _Table(header, rows, position)


def _dirty(
    table: _Table,
    views: list[dict],
    feed: str,
    style: Style,
    rng: random.Random,
    counter: dict[str, int],
    candidates: int,
) -> set[int]:
    """Spoil about 0.5 % of the month's rows; return the indexes of the rows that will be rejected."""
    count = int(candidates * DIRTY_RATE + rng.random())
    spoiled: set[int] = set()
    kinds = DIRTY_KINDS[feed]
    contract = c.FEEDS[feed]
    duplicates: list[int] = []
    for _ in range(min(count, candidates)):
        kind = kinds[counter[feed] % len(kinds)]
        counter[feed] += 1
        clean = [i for i in range(candidates) if i not in spoiled and i not in duplicates]
        fines = [i for i in clean if views[i].get("action") == "fine"]
        if kind == "missing_fine" and not fines:
            kind = "impossible_date"
        pool = fines if kind == "missing_fine" else clean
        if not pool:
            break
        index = rng.choice(pool)
        row = table.rows[index]
        if kind == "impossible_date":
            row[table.position[contract.date_column]] = _impossible_date(
                views[index][contract.date_column], style
            )
        elif kind == "group_alias":
            number = int(views[index]["group_code"][3:])
            row[table.position["group_code"]] = f"TDP {number}" if style.headers == "en" else f"Tổ {number}"
        elif kind == "missing_fine":
            row[table.position["fine_vnd"]] = None if style.encoding == "xlsx" else ""
        if kind == "duplicate":
            duplicates.append(index)  # pasted twice: the first copy loads, the second is rejected
        else:
            spoiled.add(index)
    for index in sorted(duplicates, reverse=True):
        table.rows.insert(index + 1 + rng.randint(0, 2), list(table.rows[index]))
    return spoiled


def _serialise(table: _Table, style: Style, created: dt.datetime) -> bytes:
    if style.serial:
        for n, row in enumerate(table.rows, start=1):
            row[0] = str(n)
    if style.encoding == "xlsx":
        return _xlsx(table, created)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n" if style.crlf else "\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    text = buffer.getvalue()
    if style.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if style.encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if style.encoding == "cp1258":
        return encode_cp1258(text)
    return text.encode("utf-8")


def _xlsx(table: _Table, created: dt.datetime) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": created, "author": "Phòng Kinh tế, Hạ tầng và Đô thị"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBD9", "border": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    number = book.add_format({"num_format": "#,##0"})
    sheet = book.add_worksheet("Số liệu")
    for i, text in enumerate(table.header):
        sheet.write_string(0, i, text, bold)
        sheet.set_column(i, i, max(12, len(text) + 2))
    for r, row in enumerate(table.rows, start=1):
        for i, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, i, value, day)
            elif isinstance(value, str):
                sheet.write_string(r, i, str(value))
            elif isinstance(value, int):
                sheet.write_number(r, i, value, number if value >= 1000 else None)
            else:
                sheet.write_number(r, i, value)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _arrival(seed: int, unit: str, feed: str, month: dt.date, until: dt.date) -> dt.datetime | None:
    """When the unit's file for `month` reaches the ward; None if not (yet) sent by `until`."""
    style = STYLES[unit]
    rng = random.Random(f"{seed}:arrival:{unit}:{feed}:{month:%Y-%m}")
    minutes = rng.randint(0, 9 * 60 + 29)
    end = _month_end(month)
    if end >= until:  # the month still running
        if style.partial and until.day >= 7:
            return dt.datetime.combine(until, dt.time(16, 0)) + dt.timedelta(minutes=minutes % 60)
        return None
    delay = rng.randint(*style.delay)
    if rng.random() < 0.1:
        delay += rng.randint(3, 8)
    day = end + dt.timedelta(days=delay)
    if day.weekday() == SUNDAY:
        day += ONE_DAY
    if day > until:
        return None
    return dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=minutes)


# The day the files of `missing_files` finally arrive (after the lead unit chased them): a build
# until before it shows them missing; one after it can approve, lock and rank those months.
LATE_ARRIVAL = dt.date(2026, 11, 24)


def missing_files(seed: int) -> frozenset[tuple[str, str, str]]:
    """The (unit, feed, yyyy-mm) files missing for weeks: a couple, so completeness means something."""
    rng = random.Random(f"{seed}:missing")
    pairs = [(u.code, feed) for u in UNITS for feed in u.feeds if not STYLES[u.code].partial]
    months = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
    return frozenset((unit, feed, rng.choice(months)) for unit, feed in rng.sample(pairs, 2))


# -- writing the files -------------------------------------------------------------------------------


def write_reference(files_dir: Path, seed: int = 2026) -> tuple[Path, Path]:
    """Write the ward's groups.csv and units.csv (UTF-8 with BOM, Vietnamese headers)."""
    files_dir = Path(files_dir)
    files_dir.mkdir(parents=True, exist_ok=True)
    style = Style("utf-8-sig")
    groups = [
        {"group_code": g.code, "group_name": g.name, "households": g.households, "population": g.population}
        for g in make_groups(seed)
    ]
    units = [{"unit_code": u.code, "unit_name": u.name, "feeds": ";".join(u.feeds)} for u in UNITS]
    paths = []
    for contract, views in ((c.GROUPS, groups), (c.UNITS, units)):
        table = _Table(
            [_header(col, style) for col in contract.columns],
            [[_cell(col, view[col.name], style) for col in contract.columns] for view in views],
            {},
        )
        path = files_dir / f"{contract.name}.csv"
        path.write_bytes(_serialise(table, style, dt.datetime(2026, 5, 1)))
        paths.append(path)
    return paths[0], paths[1]


def generate_files(files_dir: Path, until: dt.date, scale: int = 1, seed: int = 2026) -> list[DemoFile]:
    """Write every unit file sent by `until` under files_dir/don-vi/; return them in order of arrival."""
    files_dir = Path(files_dir)
    groups = make_groups(seed)
    records = generate_records(groups, until, scale, seed)
    by_source: dict[tuple[str, str], list[Rec]] = {}
    for feed, recs in records.items():
        for rec in recs:
            by_source.setdefault((rec.unit, feed), []).append(rec)
    missing = missing_files(seed)
    sent: dict[tuple[str, str], dict[str, tuple[Rec, dict]]] = {}  # last state reported of each record
    dirty_counter = dict.fromkeys(c.FEEDS, 0)
    out: list[tuple[dt.datetime, int, int, DemoFile]] = []
    for month in _months(until):
        cutoff = min(_month_end(month), until)
        for unit_index, unit in enumerate(UNITS):
            style = STYLES[unit.code]
            for feed in unit.feeds:
                contract = c.FEEDS[feed]
                source = (unit.code, feed)
                arrival = _arrival(seed, unit.code, feed, month, until)
                if arrival is not None and (unit.code, feed, f"{month:%Y-%m}") in missing:
                    # Missing until the lead unit chased it: it arrives on LATE_ARRIVAL, weeks late.
                    arrival = dt.datetime.combine(LATE_ARRIVAL, dt.time(16, 30))
                    arrival = arrival if arrival.date() <= until else None
                if arrival is None:
                    continue
                as_of = arrival.date()
                fresh = [r for r in by_source.get(source, []) if month <= r.day <= cutoff]
                views = [r.as_of(as_of) for r in fresh]
                earlier = sent.setdefault(source, {})
                corrections: list[tuple[Rec, dict]] = []
                if style.updates:
                    for rec, last in earlier.values():
                        now = rec.as_of(as_of)
                        if now != last:
                            corrections.append((rec, now))
                    corrections.sort(key=lambda item: (item[0].day, item[0].key))
                if not views and not corrections:
                    continue
                all_views = views + [now for _, now in corrections]
                if feed == "violations":  # say why an old record comes back
                    all_views[len(views) :] = [
                        {**now, "note": "Cập nhật kết quả khắc phục"} for now in all_views[len(views) :]
                    ]
                table = _table(contract, style, all_views)
                rng = random.Random(f"{seed}:dirty:{unit.code}:{feed}:{month:%Y-%m}")
                spoiled = _dirty(table, all_views, feed, style, rng, dirty_counter, len(views))
                for i, rec in enumerate(fresh):
                    if i not in spoiled:
                        earlier[rec.key] = (rec, views[i])
                for rec, now in corrections:
                    earlier[rec.key] = (rec, now)
                partial = "" if cutoff == _month_end(month) and as_of > cutoff else f"_den-{cutoff:%d}"
                name = f"{unit.code}_{FEED_SLUGS[feed]}_{month:%Y-%m}{partial}{style.extension}"
                path = files_dir / "don-vi" / unit.code / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_serialise(table, style, arrival))
                feed_index = list(c.FEEDS).index(feed)
                out.append((arrival, unit_index, feed_index, DemoFile(path, feed, unit.code, arrival)))
    out.sort(key=lambda item: item[:3])
    return [item[3] for item in out]


# -- loading -----------------------------------------------------------------------------------------


class _Lines:
    """A stream for tqdm that writes each update as a line of its own (a log file has no \\r)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.replace("\r", "").strip()
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def load_files(
    warehouse,
    files: list[DemoFile],
    until: dt.date,
    show_progress: bool = False,
    declarations: list[Declaration] = (),
) -> list:
    """Load the files through `pipelines.ingest.ingest`, as each unit would, in order of arrival.

    A unit's «Không có số liệu phát sinh» goes through `declare_nothing_to_report` with the unit's
    clerk account, as the upload page's button does (the function checks the role).
    """
    from tqdm import tqdm

    from pipelines.ingest import ingest
    from pipelines.nothing_to_report import declare_nothing_to_report
    from warehouse.accounts import Accounts

    accounts = Accounts(warehouse.home)
    pending = sorted(declarations, key=lambda d: d.received_at)

    def declare_until(moment) -> None:
        while pending and (moment is None or pending[0].received_at <= moment):
            d = pending.pop(0)
            results.append(
                declare_nothing_to_report(
                    warehouse,
                    feed=d.feed,
                    unit_code=d.unit_code,
                    month=d.month,
                    account=accounts.get(d.unit_code.lower()),
                    received_at=d.received_at,
                    today=until,
                    refresh=False,
                )
            )

    results = []
    # On a terminal a live bar; in a log (make demo > log, CI) a plain line every 15 s instead.
    tty = sys.stderr.isatty()
    out = sys.stderr if tty else _Lines(sys.stderr)
    with tqdm(
        files,
        disable=not show_progress,
        file=out,
        unit="tệp",
        desc="Nạp tệp đơn vị",
        mininterval=0.1 if tty else 15,
        ascii=not tty,
    ) as bar:
        for demo_file in bar:
            bar.set_postfix_str(demo_file.path.name, refresh=False)
            declare_until(demo_file.received_at)
            results.append(
                ingest(
                    warehouse,
                    demo_file.path.read_bytes(),
                    feed=demo_file.feed,
                    unit_code=demo_file.unit_code,
                    file_name=demo_file.path.name,
                    uploaded_by=f"{demo_file.unit_code.lower()}.vanthu",
                    received_at=demo_file.received_at,
                    today=until,
                    refresh=False,  # one refresh after the whole batch, below
                )
            )
    declare_until(None)
    from warehouse.refresh import refresh_marts

    with warehouse.writing(catch_up=False) as con:  # publishes the whole batch once
        refresh_marts(con, warehouse.home, today=until)
    return results


def _clear(warehouse, files_dir: Path) -> None:
    for path in (
        warehouse.master_path,
        warehouse.master_path.with_name(warehouse.master_path.name + ".wal"),
        warehouse.snapshot_path,
    ):
        path.unlink(missing_ok=True)
    shutil.rmtree(warehouse.files_dir, ignore_errors=True)
    snapshots = getattr(warehouse, "snapshots_dir", None)  # the published versions behind the link
    if snapshots is not None:
        shutil.rmtree(snapshots, ignore_errors=True)
    shutil.rmtree(files_dir / "don-vi", ignore_errors=True)
    for name in ("accounts.duckdb", "accounts.duckdb.wal", DEMO_MARKER):
        (warehouse.home / name).unlink(missing_ok=True)


from warehouse.accounts import DEMO_MARKER, DEMO_PASSWORD, is_demo  # noqa: E402, F401


def create_demo_accounts(home: Path) -> list[str]:
    """One account per role (leader, analyst, admin) and one per unit (its code in lower case), password 'demo'."""
    from warehouse.accounts import Accounts

    accounts = Accounts(home)
    made = []
    for username, role, unit, name in [
        ("leader", "leader", None, "Lãnh đạo UBND phường (demo)"),
        ("analyst", "analyst", None, "Chuyên viên Phòng KT-HT-ĐT (demo)"),
        ("admin", "admin", None, "Quản trị hệ thống (demo)"),
        *[(unit.code.lower(), "unit", unit.code, f"Văn thư {unit.name} (demo)") for unit in UNITS],
    ]:
        accounts.add_user(
            username, DEMO_PASSWORD, role, unit_code=unit, full_name=name, replace=True, allow_weak=True
        )
        made.append(username)
    (home / DEMO_MARKER).write_text(
        "Phường mẫu: mọi tài khoản demo có mật khẩu 'demo'.\n" + "\n".join(made) + "\n", encoding="utf-8"
    )
    return made


def build_demo(
    warehouse,
    *,
    until: dt.date | None = None,
    scale: int = 1,
    seed: int = 2026,
    files_dir: Path | None = None,
    force: bool = False,
    show_progress: bool = False,
) -> str:
    """Build the demo ward in `warehouse`; return a short Vietnamese summary."""
    from pipelines.ingest import init_ward

    until = until or dt.date.today()
    if until < START:
        raise ValueError(f"Ngày cuối {fmt_date(until)} trước khi phong trào bắt đầu ({fmt_date(START)}).")
    if scale < 1:
        raise ValueError("Hệ số nhân --scale phải từ 1 trở lên.")
    if warehouse.exists() and not force:
        return (
            f"Đã có kho dữ liệu trong {warehouse.home}: phường mẫu (hoặc một phường) đã được tạo, "
            "không tạo lại. Dùng --force để xóa kho hiện có và tạo lại phường mẫu."
        )
    started = time.perf_counter()
    files_dir = Path(files_dir) if files_dir else warehouse.home / "demo-files"
    _clear(warehouse, files_dir)  # also a master left without a snapshot by an interrupted build
    groups_path, units_path = write_reference(files_dir, seed)
    files = generate_files(files_dir, until, scale, seed)
    init_ward(
        warehouse,
        (groups_path.read_bytes(), groups_path.name),
        (units_path.read_bytes(), units_path.name),
        created_by="demo",
    )
    from pipelines.demo_reference import add_later_groups_version

    add_later_groups_version(warehouse, groups_path, units_path)  # TDP05 grows from 01/10/2026
    accounts = create_demo_accounts(warehouse.home)
    declarations = nothing_to_report(until, seed)
    results = load_files(warehouse, files, until, show_progress, declarations)
    from pipelines.demo_approvals import approve_demo

    approvals = approve_demo(warehouse, until)  # submitted, approved, locked; the latest month in progress
    elapsed = time.perf_counter() - started

    with warehouse.reading() as con:
        households, population = con.sql(
            "SELECT sum(households), sum(population) FROM residential_groups"
        ).fetchall()[0]
        counts = {feed: con.sql(f"SELECT count(*) FROM {feed}").fetchall()[0][0] for feed in c.FEEDS}
    loaded = [r for r in results if r.status == "loaded" and not r.nothing_to_report]
    refused = [r for r in results if r.status == "refused"]
    rejected = sum(r.rows_rejected for r in loaded)
    corrected = sum(r.rows_corrected for r in loaded)
    lines = [
        f"Đã tạo phường mẫu trong {warehouse.home} (hạt giống {seed}, hệ số {scale}).",
        f"- {N_GROUPS} tổ dân phố ({fmt_int(households)} hộ, {fmt_int(population)} nhân khẩu), "
        f"{len(UNITS)} đơn vị báo cáo.",
        f"- {fmt_int(len(loaded))} tệp của đơn vị, số liệu từ {fmt_date(START)} đến {fmt_date(until)}, "
        "nạp qua đúng đường nạp của đơn vị:",
    ]
    lines += [f"    {c.FEEDS[feed].label_vi}: {fmt_int(n)} bản ghi" for feed, n in counts.items()]
    lines.append(
        f"- {fmt_int(rejected)} dòng bị loại kèm lý do (bảng rejected_rows); "
        f"{fmt_int(corrected)} bản ghi được đính chính bằng tệp gửi sau."
    )
    for d in declarations:
        lines.append(
            f"- {d.unit_code} khai báo «Không có số liệu phát sinh» ({c.FEEDS[d.feed].label_vi}) "
            f"tháng {d.month:%m/%Y}."
        )
    if refused:
        lines.append(f"- {fmt_int(len(refused))} tệp bị từ chối cả tệp (xem bảng uploads).")
    lines.append(
        f"- Duyệt số liệu: {fmt_int(approvals['submit'])} lần gửi duyệt, {fmt_int(approvals['approve'])} lần duyệt, "
        f"{fmt_int(approvals['return'])} lần trả lại, {fmt_int(approvals['lock'])} tháng khóa sổ (bảng approvals)."
    )
    lines.append(f"- Tài khoản (mật khẩu «{DEMO_PASSWORD}»): {', '.join(accounts)}")
    lines.append(f"- Tệp gốc sinh ra: {files_dir}")
    lines.append(f"Thời gian: {elapsed:.1f} giây.".replace(".", ",", 1))
    return "\n".join(lines)
