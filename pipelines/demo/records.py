"""The record generators, one stream of `random.Random` per feed: violations, cleanups, sorting inspections, lighting repairs."""

from __future__ import annotations

import datetime as dt
import math
import random

from pipelines.demo.ward import (
    SATURDAY,
    START,
    SUNDAY,
    WATERWAYS,
    Group,
    Rec,
    _abbreviation,
    _binomial,
    _clamp,
    _days,
    _half,
    _Ids,
    _month_end,
    _month_index,
    _months,
    _pick_group,
    _poisson,
    _street,
)

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
