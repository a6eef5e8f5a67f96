"""A refresh of unchanged shape refills the marts' tables and keeps their views and comments: the same
rows, columns and comments as a full pass, in less time (warehouse/refresh.py)."""

from __future__ import annotations

from marts_ward import TODAY, read, resend

from warehouse.refresh import refresh_marts

CLOCKED = {"refresh_state", "settings_source"}  # they hold the time of the refresh itself


def catalog(warehouse) -> dict:
    """Every mart table's and analysts' view's columns (name, type, comment), own comment and rows."""
    with warehouse.reading() as con:
        objects = con.sql(
            "SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts' "
            "AND NOT temporary UNION ALL SELECT schema_name, view_name, comment FROM duckdb_views() "
            "WHERE NOT internal AND NOT temporary AND schema_name IN ('main', 'marts') ORDER BY ALL"
        ).fetchall()
        out = {}
        for schema, name, comment in objects:
            columns = con.sql(
                "SELECT column_name, data_type, comment FROM duckdb_columns() "
                "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
                params=[schema, name],
            ).fetchall()
            rows = (
                [] if name in CLOCKED else con.sql(f'SELECT * FROM {schema}."{name}" ORDER BY ALL').fetchall()
            )
            out[f"{schema}.{name}"] = (comment, columns, rows)
    return out


def league_comment(warehouse) -> str:
    return read(warehouse, "SELECT comment FROM duckdb_views() WHERE view_name = 'league_table'")["comment"][
        0
    ]


def test_a_refill_gives_what_a_full_pass_gives_and_keeps_the_views(marts_ward_copy):
    warehouse = marts_ward_copy()
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)  # the copy's marts now carry their shape
        own = con.sql("SELECT comment FROM duckdb_views() WHERE view_name = 'league_table'").fetchall()[0][0]
        con.execute("COMMENT ON VIEW league_table IS 'đánh dấu'")  # tells a kept view from a rebuilt one
    # A correction arrives: the load's refresh has the same shape, so it refills.
    resend(warehouse, "sorting_inspections", "S04", households_compliant="25")
    assert league_comment(warehouse) == "đánh dấu"  # views kept, not replaced
    refilled = catalog(warehouse)
    value = read(
        warehouse,
        "SELECT numerator, value FROM indicator_values WHERE period_key = 'conference-2026' "
        "AND indicator_id = 'sorting_compliance_rate' AND group_code = 'TDP02'",
    ).row(0)
    assert value == (35.0, 70.0)  # the correction counts: (10 + 25) / 50

    with warehouse.writing() as con:
        con.execute("UPDATE marts.refresh_state SET shape_sha256 = NULL")  # as after an upgrade
        refresh_marts(con, warehouse.home, today=TODAY)
    assert league_comment(warehouse) == own  # this one was a full pass
    full = catalog(warehouse)
    assert full.keys() == refilled.keys()
    for name in full:
        if name != "main.league_table":
            assert refilled[name] == full[name], name
    assert refilled["main.league_table"][1:] == full["main.league_table"][1:]
    # Every analysts' view still carries the ward's code, with its comment, after a refill.
    assert all(any(column[0] == "ward_code" and column[2] for column in full[name][1]) for name in full)


def test_a_missing_view_or_changed_settings_take_the_full_pass(marts_ward_copy):
    warehouse = marts_ward_copy()
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)
        con.execute("DROP VIEW league_table")  # an analyst's view gone (an older release, a hand edit)
    resend(warehouse, "sorting_inspections", "S04", households_compliant="25")
    assert read(warehouse, "SELECT count(*) AS n FROM league_table")["n"][0] > 0
    with warehouse.writing() as con:
        con.execute("COMMENT ON VIEW league_table IS 'đánh dấu'")
    settings = warehouse.home / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n# đổi\n", encoding="utf-8")
    with warehouse.writing() as con:
        refresh_marts(con, warehouse.home, today=TODAY)
    assert league_comment(warehouse) != "đánh dấu"  # rebuilt: the settings are part of the shape
