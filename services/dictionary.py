"""docs/data-dictionary.md: generated from the comments of a newly built warehouse (warehouse/dictionary.py
renders them); building that warehouse takes the pipelines' way of setting up a ward, hence here."""

from __future__ import annotations

import tempfile
from pathlib import Path

from kernel import generated
from warehouse.dictionary import render

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"


def render_fresh() -> str:
    """The dictionary of a newly built warehouse (one tiny ward), independent of anyone's data."""
    from pipelines.ingest import init_ward
    from warehouse.store import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "home")
        init_ward(
            wh,
            (b"group_code,group_name,households,population\nTDP01,T1,1,1\n", "groups.csv"),
            (b"unit_code,unit_name,feeds\nU,U,violations\n", "units.csv"),
        )
        with wh.reading() as con:
            return render(con)


def write() -> Path:
    return generated.write(DOC_PATH, render_fresh)


def is_stale() -> bool:
    return generated.is_stale(DOC_PATH, render_fresh)
