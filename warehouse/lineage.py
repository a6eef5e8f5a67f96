"""Lineage queries: the records behind a figure, each with the file and line it came from."""

from __future__ import annotations

from kernel import contracts as c


def records_sql(feed: str, limit: bool = False) -> str:
    """The records of one feed for a group (or all groups) between two dates, with their upload and line.

    Parameters: $group (NULL for the ward), $start, $end, and $limit when `limit`. Table and
    column names come from the feed contract, never from the user; values are bound.
    """
    contract = c.feed(feed)
    columns = ", ".join(f"r.{name}" for name in contract.column_names)
    return (
        f"SELECT {columns}, r.upload_id, r.source_line, u.file_name, u.unit_code AS sent_by, "
        f"u.received_at, u.sha256 "
        f"FROM {contract.name} AS r JOIN uploads AS u USING (upload_id) "
        f"WHERE ($group IS NULL OR r.group_code = $group) "
        f"AND r.{contract.date_column} BETWEEN $start AND $end "
        f"ORDER BY r.{contract.date_column} DESC, r.upload_id DESC, r.source_line"
        + (" LIMIT $limit" if limit else "")
    )


def existing_keys_sql(feed: str) -> str:
    """How many of the given record ids of one unit are already in the warehouse (corrections, not new)."""
    contract = c.feed(feed)
    return (
        f"SELECT count(*) AS existing FROM {contract.name} "
        f"WHERE unit_code = $unit AND {contract.id_column} IN (SELECT unnest($ids))"
    )
