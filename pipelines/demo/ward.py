"""The demo ward itself: its streets, 40 residential groups with a hidden quality, the nine units; small helpers of the generators."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from kernel import contracts as c
from pipelines.demo.draws import _binomial, _clamp, _poisson  # noqa: F401 (the demo's modules import them from here)

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


# Which demo unit sends which front (the declarations' [senders] name the same units; the demo's
# units list must add these feeds to each unit's «Loại dữ liệu»).
FRONT_SENDERS: dict[str, tuple[str, ...]] = {
    "cultural_evaluations": ("VHXH", "TDP"),
    "street_models": ("MTTQ", "TDP"),
    "ad_removals": ("MTTQ", "KTHTDT", "CAP"),
    "infrastructure_works": ("TTBT", "DLLC"),
    "safety_inspections": ("CAP", "KTHTDT", "VHXH"),
    "propaganda_events": ("VHXH", "MTTQ", "TDP"),
}


# The plan's other fronts (pipelines/demo_fronts.py): each unit also sends the fronts it leads.
def _with_fronts(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    return tuple(
        Unit(u.code, u.name, u.feeds + tuple(f for f, senders in FRONT_SENDERS.items() if u.code in senders))
        for u in units
    )


UNITS = _with_fronts(UNITS)
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
