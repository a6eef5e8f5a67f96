"""Demo records for the plan's other fronts (issue 12, item 3), and the unit files that carry them.

`front_records(groups, until, seed)` makes believable records for the six built-in feeds added
for the plan's fronts — cultural family and group evaluations, civilised and youth self-managed
streets, illegal advertising removals, infrastructure works, fire and safety inspections,
propaganda activities — month by month from START, per residential group. As in the rest of the
demo, a group's hidden `quality` (> 0 leads, < 0 lags) shows on every front: leading groups have
more families recognised, fewer posters to remove, more inspections passed, more activities.

`write_front_files(records, folder)` writes them as the clerks send them: one CSV per unit, feed
and month, UTF-8 with BOM, headers as in the downloadable template (Vietnamese label and
canonical name, pipelines/templates.py), dates dd/mm/yyyy, listed values by their Vietnamese
label, numbers in Vietnamese style (1.234 and 12,5).

A group is anything with `code`, `households`, `population` and, optionally, `quality` (0),
`streets` (names of its streets) and `market` (has a market): the demo's Group fits.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from kernel import contracts as c
from pipelines import templates
from pipelines.demo.draws import _binomial, _clamp, _poisson  # the demo's own draws
from pipelines.demo.ward import FRONT_SENDERS  # noqa: F401 (part of this module's interface)

START = dt.date(2026, 5, 1)  # the plan was issued in May 2026 (same start as the demo)

FRONT_FEEDS = (
    "cultural_evaluations",
    "street_models",
    "ad_removals",
    "infrastructure_works",
    "safety_inspections",
    "propaganda_events",
)

ESTABLISHMENTS = {
    "fire_prevention": ("Cửa hàng gas", "Nhà trọ", "Quán karaoke", "Xưởng may", "Cửa hàng điện máy"),
    "labour_safety": ("Công trình xây dựng nhà ở", "Xưởng cơ khí", "Xưởng may", "Cơ sở sửa chữa xe máy"),
    "waste_generator": ("Nhà hàng", "Cơ sở rửa xe", "Xưởng in", "Cơ sở giặt là"),
    "medical_waste": ("Phòng khám đa khoa", "Nhà thuốc", "Phòng khám nha khoa", "Trạm y tế"),
}
TOPICS = (
    "Phân loại chất thải rắn sinh hoạt tại nguồn",
    "Ngày thứ 7 cùng dân",
    "Trật tự lòng đường, hè phố",
    "Phòng cháy chữa cháy trong khu dân cư",
    "Văn hóa giao thông",
    "Xây dựng gia đình văn hóa, tổ dân phố văn hóa",
    "Phòng, chống đuối nước cho trẻ em",
)
# Storm season: trees are pruned and braced before and during it (plan III.9).
STORM_MONTHS = (5, 6, 7, 8, 9)


@dataclass(frozen=True)
class FrontFile:
    """One unit file of the fronts' demo data: who sends it, which feed, which month, where."""

    unit_code: str
    feed: str
    month: str  # yyyy-mm
    path: Path
    rows: int


# -- helpers -------------------------------------------------------------------------------------


def _months(until: dt.date) -> list[dt.date]:
    months, month = [], START
    while month <= until:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _day(rng: random.Random, month: dt.date, until: dt.date, *, weekday_only: bool = True) -> dt.date | None:
    """A random day of the month up to `until` (None when the month has none left)."""
    last = min(_month_end(month), until)
    days = [
        month + dt.timedelta(days=i)
        for i in range((last - month).days + 1)
        if not weekday_only or (month + dt.timedelta(days=i)).weekday() < 5
    ]
    return rng.choice(days) if days else None


def _quality(group) -> float:
    return float(getattr(group, "quality", 0.0))


def _streets(group) -> tuple[str, ...]:
    streets = tuple(getattr(group, "streets", ()) or ())
    return streets or (f"Ngõ {int(''.join(ch for ch in group.code if ch.isdigit()) or 1) * 7} Tô Hiệu",)


class _Ids:
    """Record ids per unit and feed: «<prefix>-<yyyymm>-<n>», never twice in one unit."""

    def __init__(self, prefix: str):
        self.prefix, self.counts = prefix, {}

    def next(self, unit: str, day: dt.date) -> str:
        n = self.counts.get(unit, 0) + 1
        self.counts[unit] = n
        return f"{self.prefix}-{unit}-{day:%Y%m}-{n:04d}"


# -- the six fronts ------------------------------------------------------------------------------


def _cultural(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """Quarterly evaluation rounds per group (at the group's meeting, sent by the groups' clerk); at
    the half-year and year rounds the Culture office also decides the group's title."""
    ids, rows = _Ids("BX"), []
    for month in _months(until):
        if month.month not in (6, 9, 12):
            continue
        for g in groups:
            day = _day(rng, month, until)
            if day is None:
                continue
            assessed = round(g.households * rng.uniform(0.85, 1.0))
            share = _clamp(0.86 + 0.035 * _quality(g) + rng.gauss(0, 0.015), 0.6, 0.99)
            recognised = _binomial(rng, assessed, share)
            titled = month.month in (6, 12)
            if not titled:
                status = "not_assessed"
            else:
                status = (
                    "recognised" if recognised / assessed >= 0.85 and rng.random() < 0.9 else "not_recognised"
                )
            unit = "VHXH" if titled else "TDP"
            rows.append(
                {
                    "evaluation_id": ids.next(unit, day),
                    "unit_code": unit,
                    "evaluated_on": day,
                    "group_code": g.code,
                    "households_assessed": assessed,
                    "households_recognised": recognised,
                    "group_status": status,
                    "note": "Bình xét 6 tháng" if month.month == 6 else None,
                }
            )
    return rows


def _streets_checked(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """Each group keeps a civilised street (checked monthly by its clerk); better groups also run a
    youth self-managed route (checked by the Front and the Youth Union). A street is registered
    first, then meets the criteria or not; after months of meeting them it is recognised."""
    ids, rows = _Ids("TP"), []
    tracked = []
    for g in groups:
        streets = _streets(g)
        tracked.append((g, streets[0], "civilised_street", "TDP", rng.randint(0, 3), rng.randint(20, 80)))
        if _quality(g) > -0.3 and len(streets) > 1:
            tracked.append(
                (g, streets[1], "youth_self_managed", "MTTQ", rng.randint(1, 5), rng.randint(15, 60))
            )
    met_months: dict[tuple[str, str], int] = {}
    for index, month in enumerate(_months(until)):
        for g, street, kind, unit, starts, households in tracked:
            if index < starts or rng.random() < 0.1:  # not yet registered, or no check this month
                continue
            day = _day(rng, month, until)
            if day is None:
                continue
            key = (g.code, street)
            if index == starts:
                status = "registered"
            elif met_months.get(key, 0) >= 5 and rng.random() < 0.5:
                status = "recognised"
            else:
                chance = _clamp(0.62 + 0.15 * _quality(g) + 0.02 * index, 0.15, 0.97)
                status = "met" if rng.random() < chance else "not_met"
            if status in ("met", "recognised"):
                met_months[key] = met_months.get(key, 0) + 1
            rows.append(
                {
                    "check_id": ids.next(unit, day),
                    "unit_code": unit,
                    "checked_on": day,
                    "group_code": g.code,
                    "street": street,
                    "kind": kind,
                    "status": status,
                    "households_on_street": min(g.households, households),
                    "note": "Còn lấn chiếm vỉa hè buổi tối"
                    if status == "not_met" and rng.random() < 0.4
                    else None,
                }
            )
    return rows


def _ads(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """Youth volunteers remove posters in most groups every month; the urban office and the police
    run drives where posters come back most (the lagging groups)."""
    ids, rows = _Ids("QC"), []
    surfaces = ("wall", "tree", "pole", "mixed")
    for month in _months(until):
        for g in groups:
            plans = [("MTTQ", 0.8)]
            if _quality(g) < 0:
                plans += [("KTHTDT", 0.35), ("CAP", 0.2)]
            for unit, chance in plans:
                if rng.random() >= chance:
                    continue
                day = _day(rng, month, until, weekday_only=unit != "MTTQ")
                if day is None:
                    continue
                items = _poisson(rng, 28 - 9 * _quality(g))
                reported = _poisson(rng, 1.5 + items / 12)
                cut = _binomial(rng, reported, _clamp(0.55 + 0.12 * _quality(g), 0.15, 0.95))
                rows.append(
                    {
                        "removal_id": ids.next(unit, day),
                        "unit_code": unit,
                        "removed_on": day,
                        "group_code": g.code,
                        "surface": rng.choices(surfaces, weights=(5, 2, 4, 2))[0],
                        "items_removed": items,
                        "phones_reported": reported,
                        "phones_cut": cut,
                        "note": None,
                    }
                )
    return rows


def _works(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """The maintenance centre drains, prunes, fixes signs and adds lights; the power company bundles
    cables. Pruning peaks before and in the storm season."""
    ids, rows = _Ids("HT"), []
    plans = (
        # kind, unit, chance a month, quantity
        ("cable_bundling", "DLLC", 0.3, lambda: float(rng.randrange(50, 400, 10))),
        ("drainage", "TTBT", 0.12, lambda: float(rng.randrange(20, 150, 5))),
        ("tree_pruning", "TTBT", None, lambda: float(rng.randint(5, 40))),
        ("signs", "TTBT", 0.1, lambda: float(rng.randint(1, 6))),
        ("new_lights", "TTBT", 0.1, lambda: float(rng.randint(2, 12))),
    )
    for month in _months(until):
        for g in groups:
            for kind, unit, chance, quantity in plans:
                if chance is None:
                    chance = 0.35 if month.month in STORM_MONTHS else 0.06
                if rng.random() >= chance * (1 + 0.15 * _quality(g)):
                    continue
                day = _day(rng, month, until)
                if day is None:
                    continue
                rows.append(
                    {
                        "work_id": ids.next(unit, day),
                        "unit_code": unit,
                        "completed_on": day,
                        "group_code": g.code,
                        "kind": kind,
                        "quantity": quantity(),
                        "street": rng.choice(_streets(g)),
                        "note": None,
                    }
                )
    return rows


def _inspections(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """The police inspect fire prevention and labour safety monthly; the urban office the
    waste-generating establishments, the Culture office clinics' medical waste (now and then)."""
    ids, rows = _Ids("KT"), []
    plans = (
        ("fire_prevention", "CAP", 1.4),
        ("labour_safety", "CAP", 0.5),
        ("waste_generator", "KTHTDT", 0.3),
        ("medical_waste", "VHXH", 0.2),
    )
    for month in _months(until):
        for g in groups:
            for kind, unit, lam in plans:
                for _ in range(_poisson(rng, lam)):
                    day = _day(rng, month, until)
                    if day is None:
                        continue
                    compliant = rng.random() < _clamp(0.78 + 0.07 * _quality(g), 0.4, 0.97)
                    remedied = None
                    if not compliant and rng.random() < _clamp(0.75 + 0.1 * _quality(g), 0.3, 0.95):
                        candidate = day + dt.timedelta(days=rng.randint(3, 25))
                        remedied = candidate if candidate <= until else None
                    place = rng.choice(ESTABLISHMENTS[kind])
                    rows.append(
                        {
                            "inspection_id": ids.next(unit, day),
                            "unit_code": unit,
                            "inspected_on": day,
                            "group_code": g.code,
                            "kind": kind,
                            "establishment": f"{place}, {rng.randint(1, 180)} {rng.choice(_streets(g))}",
                            "result": "compliant" if compliant else "violation",
                            "remedied_on": remedied,
                            "note": None if compliant else "Lập biên bản, yêu cầu khắc phục",
                        }
                    )
    return rows


def _propaganda(groups, until: dt.date, rng: random.Random) -> list[dict]:
    """Banners and loudspeaker broadcasts by the Front, group meetings by the groups, school sessions
    and portal posts by the Culture office; active groups hold more."""
    ids, rows = _Ids("TT"), []
    plans = (
        ("banner", "MTTQ", 0.6, (2, 8)),
        ("loudspeaker", "MTTQ", 0.9, (4, 20)),
        ("meeting", "TDP", 0.8, (1, 2)),
        ("school_session", "VHXH", 0.15, (1, 2)),
        ("portal_post", "VHXH", 0.2, (1, 3)),
    )
    for month in _months(until):
        for g in groups:
            for kind, unit, lam, (low, high) in plans:
                for _ in range(_poisson(rng, lam * math.exp(0.25 * _quality(g)))):
                    day = _day(rng, month, until, weekday_only=kind != "meeting")
                    if day is None:
                        continue
                    if kind == "meeting":
                        audience = round(g.households * rng.uniform(0.2, 0.5))
                    elif kind == "school_session":
                        audience = rng.randint(150, 600)
                    elif kind == "portal_post":
                        audience = None
                    else:
                        audience = (
                            round(g.population * rng.uniform(0.05, 0.2)) if rng.random() < 0.7 else None
                        )
                    rows.append(
                        {
                            "activity_id": ids.next(unit, day),
                            "unit_code": unit,
                            "held_on": day,
                            "group_code": g.code,
                            "kind": kind,
                            "quantity": rng.randint(low, high),
                            "audience": audience,
                            "topic": rng.choice(TOPICS),
                        }
                    )
    return rows


GENERATORS = {
    "cultural_evaluations": _cultural,
    "street_models": _streets_checked,
    "ad_removals": _ads,
    "infrastructure_works": _works,
    "safety_inspections": _inspections,
    "propaganda_events": _propaganda,
}


def front_records(groups: Sequence, until: dt.date, seed: int = 2026) -> dict[str, list[dict]]:
    """Records of the plan's six other fronts, feed → rows (canonical names, Python values), every
    date from START to `until`; the same seed gives the same records."""
    out = {}
    for feed, generate in GENERATORS.items():
        rows = generate(list(groups), until, random.Random(f"{seed}:{feed}"))
        date_column = c.BUILTIN_FEEDS[feed].date_column
        out[feed] = sorted(
            rows, key=lambda row: (row[date_column], row["unit_code"], row[c.BUILTIN_FEEDS[feed].id_column])
        )
    return out


# -- the files clerks send ----------------------------------------------------------------------


def _number(value, decimal: bool) -> str:
    if decimal and value != int(value):
        whole, frac = f"{value:.2f}".rstrip("0").split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def _cell(col: c.Column, value) -> str | None:
    """A value as a clerk writes it."""
    if value is None or value == "":
        return None
    if col.type == c.DATE:
        return f"{value:%d/%m/%Y}"
    if col.type == c.ENUM:
        return col.choice_label(value)
    if col.type in (c.INTEGER, c.DECIMAL):
        return _number(value, col.type == c.DECIMAL)
    return str(value)


def unit_file_csv(feed: str, rows: Iterable[dict]) -> bytes:
    """One unit file: the template's headers, one line per record, UTF-8 with BOM."""
    contract = c.BUILTIN_FEEDS[feed]
    rows = list(rows)
    frame = pl.DataFrame(
        {templates.header(col): [_cell(col, row.get(col.name)) for row in rows] for col in contract.columns},
        schema={templates.header(col): pl.String for col in contract.columns},
    )
    return b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8")


def write_front_files(records: dict[str, list[dict]], folder: Path | str) -> list[FrontFile]:
    """Write the records as unit files, one per unit, feed and month: «<unit>_<feed>_<yyyy-mm>.csv»."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for feed, rows in records.items():
        date_column = c.BUILTIN_FEEDS[feed].date_column
        batches: dict[tuple[str, str], list[dict]] = {}
        for row in rows:
            batches.setdefault((row["unit_code"], f"{row[date_column]:%Y-%m}"), []).append(row)
        for (unit, month), batch in sorted(batches.items()):
            path = folder / f"{unit}_{feed}_{month}.csv"
            path.write_bytes(unit_file_csv(feed, batch))
            written.append(FrontFile(unit, feed, month, path, len(batch)))
    return written
