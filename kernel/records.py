"""What travels between the stages with a unit's records: the line column and what the ward knows.

The pipelines fill these, the warehouse stores and reads them back; neither calls into the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The column that carries each record's line in the file it came from (lineage: upload id + line).
LINE = "_line"


@dataclass
class Reference:
    """What the ward knows: its groups and units (for suggestions and messages)."""

    groups: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, households)
    units: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # code → (name, feeds)
    # (feed, yyyy-mm) → (locked_by, locked_at ISO): months closed to new rows (pipelines/locks.py)
    locks: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
