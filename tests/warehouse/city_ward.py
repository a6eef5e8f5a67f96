"""The three-ward fixture city (issue 13), shared by the city marts' tests and the city view's tests.

The three wards are copies of the hand-made marts ward (tests/fixtures/marts/) under the official
codes of Lê Chân, Hồng Bàng and Ngô Quyền; Hồng Bàng gets three more violations and Ngô Quyền two
more clean-ups (through the real ingest path), so their figures differ. Ngô Quyền shares its records.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pipelines.ingest import ingest
from warehouse.city import publish as pub
from warehouse.store import Warehouse

TODAY = dt.date(2026, 11, 29)
WARDS = {
    "11383": ("Phường Lê Chân", False),
    "11311": ("Phường Hồng Bàng", False),
    "11341": ("Phường Ngô Quyền", True),
}
EXTRA = {
    "11311": (
        "violations",
        "CAP",
        "record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note\n"
        "HB1,CAP,2026-10-02,TDP01,littering_dumping,reminder,,2026-10-02,1 Hoàng Văn Thụ,\n"
        "HB2,CAP,2026-10-09,TDP02,littering_dumping,fine,300000,,2 Hoàng Văn Thụ,\n"
        "HB3,CAP,2026-10-16,TDP02,sidewalk_encroachment,reminder,,2026-10-17,3 Hoàng Văn Thụ,\n",
    ),
    "11341": (
        "cleanups",
        "MTDT",
        "event_id,unit_code,held_on,group_code,kind,participants,waste_kg,trees_planted,location\n"
        "NQ1,MTDT,2026-10-03,TDP02,saturday_with_people,80,120,,\n"
        "NQ2,MTDT,2026-10-10,TDP03,saturday_with_people,60,90,,\n",
    ),
}


def ward_settings(home: Path, code: str) -> None:
    """Give the ward at `home` the identity of ward `code` (and its sharing of records)."""
    name, share = WARDS[code]
    path = home / "settings.toml"
    text = path.read_text(encoding="utf-8")
    ward = f'[ward]\ncode = "{code}"\nname = "{name}"\n\n[city]\nshare_records = {str(share).lower()}\n\n'
    path.write_text(ward + text, encoding="utf-8")


def build_city(ward_home: Path, root: Path) -> dict:
    """Three wards (copies of the built fixture ward at `ward_home`) published into one store under
    `root`: {'store': Path, 'homes': {code: Path}, 'root': Path}."""
    homes = {}
    for code in WARDS:
        home = root / f"ward-{code}"
        shutil.copytree(ward_home, home, symlinks=True)
        ward_settings(home, code)
        if code in EXTRA:
            feed, unit, text = EXTRA[code]
            result = ingest(
                Warehouse(home),
                text.encode(),
                feed=feed,
                unit_code=unit,
                file_name=f"{code}.csv",
                today=TODAY,
            )
            assert result.status == "loaded" and result.rows_rejected == 0, result.to_json()
        homes[code] = home
    store = root / "store"
    for home in homes.values():
        pub.publish_ward(home, store)
    return {"store": store, "homes": homes, "root": root}
