"""The locked-down worker that runs one analyst query: `python -m warehouse.query_worker`.

Reads a JSON request on stdin ({path, query, max_rows, memory_limit, threads}),
writes one JSON line (status, message) and, when the query succeeded, the rows
as an Arrow IPC stream on stdout. It is its own process because DuckDB's
lockdown settings hold for a whole process and cannot be undone.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    request = json.loads(sys.stdin.readline())
    out = sys.stdout.buffer
    try:
        import duckdb

        con = duckdb.connect(request["path"], read_only=True)
        con.execute(f"SET memory_limit = '{request['memory_limit']}'")
        con.execute(f"SET threads = {int(request['threads'])}")
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET lock_configuration = true")
        frame = con.sql(request["query"]).limit(request["max_rows"] + 1).pl()
    except Exception as exc:  # every failure is reported to the parent, in one line
        out.write(
            (json.dumps({"status": "error", "message": f"{exc.__class__.__name__}: {exc}"}) + "\n").encode()
        )
        out.flush()
        return
    out.write((json.dumps({"status": "ok"}) + "\n").encode())
    frame.write_ipc_stream(out)
    out.flush()


if __name__ == "__main__":
    main()
