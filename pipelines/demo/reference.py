"""The demo ward's second groups list: a new apartment block in TDP05 from 01/10/2026.

Shows effective-dated reference lists: months up to September keep the first
version's households and population, October on use the second (the group page
says which version a figure used).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SECOND_VERSION_FROM = dt.date(2026, 10, 1)
GROUP = "TDP05"
NEW_HOUSEHOLDS = 60  # the block's flats
NEW_RESIDENTS = 210


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _vn(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def later_groups_file(groups_path: Path) -> Path:
    """Write groups-2026-10.csv next to the first list: TDP05 with the new block's households and residents."""
    lines = groups_path.read_text(encoding="utf-8-sig").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        if cells[0] == GROUP:
            cells[2] = _vn(_number(cells[2]) + NEW_HOUSEHOLDS)
            cells[3] = _vn(_number(cells[3]) + NEW_RESIDENTS)
        out.append(",".join(cells))
    path = groups_path.with_name("residential_groups-2026-10.csv")
    path.write_text("\n".join(out) + "\n", encoding="utf-8-sig")
    return path


def add_later_groups_version(warehouse, groups_path: Path, units_path: Path) -> None:
    """Store the second groups list, valid from 01/10/2026 (the units list is unchanged: no new version)."""
    from pipelines.ingest import save_reference_lists

    later = later_groups_file(groups_path)
    save_reference_lists(
        warehouse,
        (later.read_bytes(), later.name),
        (units_path.read_bytes(), units_path.name),
        created_by="admin",
        valid_from=SECOND_VERSION_FROM,
    )
