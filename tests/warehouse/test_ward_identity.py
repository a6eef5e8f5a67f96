"""The ward's identity in every mart and view (issue 13, item 1): a `ward_code` column everywhere.

Every table of schema marts and every analysts' view (main and marts) carries `ward_code`, the
`[ward] code` of the ward's settings, as its last column with its comment; another ward's code
(Hồng Bàng, 11311) reaches every one of them after a refresh, and stays after the migrations
rebuild the views; a frozen evaluation keeps its code and still verifies.
"""

from __future__ import annotations

from marts_ward import FIXTURE_SETTINGS, refreshed

from warehouse import evaluation as ev
from warehouse.dictionary import catalogue
from warehouse.schema import refresh_views

HONG_BANG = '[ward]\ncode = "11311"\nname = "Phường Hồng Bàng"\n\n'


def _codes(con) -> dict[str, set]:
    """Per analysts' object (schema.name): its columns' names, and the ward codes of its rows."""
    frame = catalogue(con)
    found = {}
    for (schema, name), columns in frame.group_by(["schema_name", "name"], maintain_order=True):
        ordered = columns.sort("column_index")
        last = ordered.row(-1, named=True)
        assert last["column_name"] == "ward_code", f"{schema}.{name}: ward_code is not its last column"
        assert last["data_type"] == "VARCHAR", f"{schema}.{name}: ward_code is {last['data_type']}"
        assert last["column_comment"] and last["column_comment"].startswith("Mã phường"), (schema, name)
        assert ordered["column_name"].to_list().count("ward_code") == 1, (schema, name)
        rows = con.sql(f'SELECT DISTINCT ward_code FROM "{schema}"."{name}"').fetchall()
        found[f"{schema}.{name}"] = {row[0] for row in rows}
    return found


def test_every_mart_and_view_carries_the_settings_ward_code(marts_ward):
    with marts_ward.reading() as con:
        found = _codes(con)
        params = con.sql("SELECT ward_code, ward_name FROM marts.settings_params").fetchall()
    assert params == [("11383", "Phường Lê Chân")]
    for name in (
        "main.violations",
        "main.indicator_values",
        "main.league_table",
        "marts.approval_states",
        "main.residential_groups",
        "main.uploads",
        "marts.indicator_values",
        "marts.measures",
    ):
        assert found[name] == {"11383"}, name
    assert all(codes <= {"11383"} for codes in found.values()), found
    # No row anywhere without it (an empty set: an object with no rows, e.g. a feed the ward never sent).
    assert len(found) >= 60


def test_another_ward_gets_its_own_code_everywhere_and_a_freeze_keeps_it(marts_ward_copy):
    warehouse = marts_ward_copy()
    refreshed(warehouse, HONG_BANG + FIXTURE_SETTINGS)
    with warehouse.writing() as con:
        snapshot = ev.freeze(con, "conference-2026", frozen_by="lanhdao", role="leader")
        refresh_views(con)  # what the migrations do at a new release: the views are created again
    with warehouse.reading() as con:
        found = _codes(con)
        assert ev.verify(con, "conference-2026", snapshot.snapshot_id)
        frozen = con.sql("SELECT DISTINCT ward_code FROM marts.evaluation_snapshot_league").fetchall()
    assert frozen == [("11311",)]
    assert found["main.violations"] == found["main.league_table"] == {"11311"}
    assert found["main.evaluation_changes"] == {"11311"}
    assert all(codes <= {"11311"} for codes in found.values()), found
    # Back to Lê Chân: the marts follow the settings; the freeze keeps the code it was made with.
    refreshed(warehouse, FIXTURE_SETTINGS)
    with warehouse.reading() as con:
        assert con.sql("SELECT DISTINCT ward_code FROM violations").fetchall() == [("11383",)]
        assert con.sql("SELECT DISTINCT ward_code FROM marts.league_table").fetchall() == [("11383",)]
        frozen = con.sql("SELECT DISTINCT ward_code FROM marts.evaluation_snapshot_league").fetchall()
        assert frozen == [("11311",)]
        assert ev.verify(con, "conference-2026", snapshot.snapshot_id)
