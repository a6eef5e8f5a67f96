"""The demo ward: a deterministic, believable Lê Chân ward, loaded through the units' own upload path.

`build_demo` (the `dothixanh demo` command) writes the ward's reference files
and one file per unit, feed and month, the way the units' clerks would send
them, then loads every file with `pipelines.ingest` in order of simulated
arrival. Nothing reaches the warehouse by any other way.

What makes the ward believable:

- 40 residential groups of 150–600 households, each with a hidden quality
  factor that acts consistently on every feed (fewer violations per resident,
  more "Ngày thứ 7 cùng dân", better sorting compliance, faster repairs), so
  league tables mean something;
- the nine units of the plan, each with its own file habits: UTF-8 with BOM,
  UTF-16 "Unicode text" from Excel, Windows-1258, Excel workbooks; comma,
  semicolon or tab; Vietnamese headers with or without diacritics or the
  canonical English names; dd/mm/yyyy, d/m/yyyy or ISO dates; 1.500.000;
- seasons and habits: storms in July–September break street lights; files
  arrive a few days after the month ends, some units habitually late, a
  couple of month-files arrive only weeks late (24/11/2026); violations resolved and lights repaired
  after a file was sent are re-sent in the next file as corrections;
- about 0.5 % dirty rows (impossible dates, "Tổ 5" for TDP05, a fine without
  its amount, the same row pasted twice) that the upload path must reject
  with a Vietnamese reason.

Everything comes from `random.Random` instances seeded from `seed` (one
stream per concern, so a change in one generator does not reshuffle the
others): the same seed and `until` give byte-identical files.

One module per concern: `ward` (groups, units, helpers), `records` (the generators), `styles` (how
each unit writes and sends its files), `loading` (the upload path and `build_demo`), `accounts`,
`approvals` (the approval story) and `reference` (a later version of the groups list).
"""

from pipelines.demo.accounts import create_demo_accounts
from pipelines.demo.loading import build_demo, load_files
from pipelines.demo.records import GENERATORS, generate_records
from pipelines.demo.styles import (
    STYLES,
    DemoFile,
    Style,
    _serialise,
    _table,
    encode_cp1258,
    generate_files,
    nothing_to_report,
    write_reference,
)
from pipelines.demo.ward import START, UNITS, make_groups
from warehouse.accounts import DEMO_MARKER, DEMO_PASSWORD, is_demo

__all__ = [
    "DEMO_MARKER",
    "DEMO_PASSWORD",
    "GENERATORS",
    "START",
    "STYLES",
    "UNITS",
    "DemoFile",
    "Style",
    "_serialise",
    "_table",
    "build_demo",
    "create_demo_accounts",
    "encode_cp1258",
    "generate_files",
    "generate_records",
    "is_demo",
    "load_files",
    "make_groups",
    "nothing_to_report",
    "write_reference",
]
