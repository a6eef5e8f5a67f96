"""Demo wards other than Lê Chân (`dothixanh demo --ward CODE --seed N`): their own groups, streets, sizes.

A profile changes only what makes a ward itself: how many residential groups, how big they are,
its streets, waterways and its units' names, and the [ward] section of its settings. Everything
else (the feeds, the units' habits, the patterns of each group) comes from pipelines/demo/
with the seed, so two wards with two seeds lead and lag in different groups.
The profile is applied by replacing those few names in the modules of pipelines/demo/ for the build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class WardProfile:
    code: str
    name: str  # «Phường …»
    short: str  # without «Phường», as unit names use it
    groups: int
    size: float  # households and residents relative to the Lê Chân demo
    streets: tuple[str, ...]
    waterways: tuple[str, ...]


# Official codes from vietnam-provinces 2025.10.1 (FLAT_DIVISIONS_JSON_PATH), Hải Phòng.
PROFILES = {
    "11383": WardProfile("11383", "Phường Lê Chân", "Lê Chân", 40, 1.0, (), ()),
    "11311": WardProfile(
        "11311",
        "Phường Hồng Bàng",
        "Hồng Bàng",
        28,
        0.8,
        (
            "Hoàng Văn Thụ",
            "Điện Biên Phủ",
            "Minh Khai",
            "Hạ Lý",
            "Bạch Đằng",
            "Quang Trung",
            "Tam Bạc",
            "Lý Tự Trọng",
            "Hồ Xuân Hương",
            "Phan Bội Châu",
            "Lê Đại Hành",
            "Trần Hưng Đạo",
            "Hùng Vương",
            "Sở Dầu",
        ),
        ("Sông Tam Bạc", "Hồ Tam Bạc", "Sông Cấm (đoạn qua phường)"),
    ),
    "11341": WardProfile(
        "11341",
        "Phường Ngô Quyền",
        "Ngô Quyền",
        34,
        1.2,
        (
            "Lạch Tray",
            "Lê Lợi",
            "Văn Cao",
            "Đà Nẵng",
            "Lê Lai",
            "Lương Khánh Thiện",
            "Cầu Đất",
            "Lê Thánh Tông",
            "Đông Khê",
            "Máy Tơ",
            "Chu Văn An",
            "Trần Phú",
            "Lạc Viên",
            "Cầu Tre",
        ),
        ("Hồ Tiên Nga", "Sông Lạch Tray (đoạn qua phường)", "Kênh Đông Khê"),
    ),
}


class UnknownWard(ValueError):
    pass


def profile(code: str) -> WardProfile:
    if code not in PROFILES:
        known = ", ".join(f"{p.code} ({p.name})" for p in PROFILES.values())
        raise UnknownWard(f"Chưa có mẫu cho phường mã «{code}». Các phường có mẫu: {known}.")
    return PROFILES[code]


@contextlib.contextmanager
def ward_profile(code: str, home: Path) -> Iterator[WardProfile]:
    """Build the demo of ward `code` inside this block (and give `home` its [ward] settings)."""
    import importlib
    import pkgutil

    from pipelines import demo
    from pipelines.demo import ward as demo_ward

    # The demo's modules import these names from pipelines.demo.ward: each holds its own reference.
    modules = [demo] + [
        importlib.import_module(f"pipelines.demo.{m.name}") for m in pkgutil.iter_modules(demo.__path__)
    ]
    ward = profile(code)
    write_ward_settings(Path(home), ward)
    if ward.code == "11383":  # the demo as pipelines/demo/ writes it
        yield ward
        return
    names = ("N_GROUPS", "STREETS", "WATERWAYS", "UNITS", "UNIT_BY_CODE", "make_groups")
    original = {name: getattr(demo_ward, name) for name in names}
    units = tuple(dataclasses.replace(u, name=u.name.replace("Lê Chân", ward.short)) for u in demo_ward.UNITS)
    make_groups = original["make_groups"]

    def groups(seed: int = 2026):
        return [
            dataclasses.replace(
                g, households=round(g.households * ward.size), population=round(g.population * ward.size)
            )
            for g in make_groups(seed)
        ]

    replaced = {
        "N_GROUPS": ward.groups,
        "STREETS": ward.streets,
        "WATERWAYS": ward.waterways,
        "UNITS": units,
        "UNIT_BY_CODE": {u.code: u for u in units},
        "make_groups": groups,
    }
    holders = [(module, name) for module in modules for name in names if hasattr(module, name)]
    for module, name in holders:
        setattr(module, name, replaced[name])
    try:
        yield ward
    finally:
        for module, name in holders:
            setattr(module, name, original[name])


def write_ward_settings(home: Path, ward: WardProfile) -> None:
    """Set [ward] code and name in the home's settings.toml (created from the defaults if missing)."""
    from warehouse.settings import ensure_settings

    path = ensure_settings(home)
    text = path.read_text(encoding="utf-8")
    block = f'[ward]\ncode = "{ward.code}"\nname = "{ward.name}"\n'
    pattern = re.compile(r"^\[ward\]\n(?:(?!\[)[^\n]*\n)*", re.MULTILINE)
    if pattern.search(text):
        comments = [line for line in pattern.search(text).group(0).splitlines() if line.startswith("#")]
        text = pattern.sub(
            lambda _: "[ward]\n" + "".join(f"{c}\n" for c in comments) + block.split("\n", 1)[1] + "\n",
            text,
            count=1,
        )
    else:
        text = block + "\n" + text
    path.write_text(text, encoding="utf-8")
