"""Tables formatted in several sessions at once never wedge the server.

Polars runs a `map_elements` callback on its own thread pool, which needs the GIL; a
`to_pandas()` in another thread (Streamlit's st.dataframe does one per table) holds the GIL
while it waits for that same pool. Together they deadlocked the whole dashboard process:
every session froze and SIGTERM was never handled. Formatting now runs in the page's thread.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    import threading

    import polars as pl

    from dashboard import tables

    frame = pl.DataFrame({
        "value": [i * 1.5 for i in range(5_000)],
        "count": list(range(5_000)),
        "day": [dt.date(2026, 6, 1)] * 5_000,
    })
    done = []

    def session():
        for _ in range(20):
            shown = tables.for_display(frame)
            shown.to_pandas()
            frame.to_pandas()
        done.append(1)

    threads = [threading.Thread(target=session, daemon=True) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(done))
    """
)


def test_tables_formatted_in_six_sessions_at_once_finish():
    # Before the fix this deadlocked on the first round (no CPU used, never finishing); it takes
    # seconds now, so the time limit only turns a hang into a failure.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == "6", result.stderr[-2000:]


def test_no_python_callbacks_on_polars_thread_pool_in_the_dashboard():
    # The same deadlock comes back with any map_elements / map_batches in code the server runs.
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "dashboard").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".map_elements(" in line or ".map_batches(" in line
    ]
    assert offenders == []
