"""What a figure stands on: the words shown beside an evaluation whose window or reports are not complete."""

from __future__ import annotations

from pathlib import Path

import duckdb

NOTE = (Path(__file__).parent / "queries" / "window_note.sql").read_text(encoding="utf-8")


def window_note_vi(con: duckdb.DuckDBPyConnection, evaluation: str) -> str | None:
    """«Kỳ đánh giá đang diễn ra …; số liệu đủ báo cáo đến hết tháng …» when it applies, else None."""
    rows = con.sql(NOTE, params={"evaluation": evaluation}).fetchall()
    if not rows:
        return None
    start, end, as_of, received, expected, through = rows[0]
    parts = []
    if as_of < end:
        parts.append(
            f"Kỳ đánh giá {start:%d/%m/%Y} - {end:%d/%m/%Y} đang diễn ra: số liệu mới tính đến {as_of:%d/%m/%Y}."
        )
    if expected and received < expected:
        last = f"hết tháng {through[5:]}/{through[:4]}" if through else "chưa có tháng nào"
        parts.append(
            f"Mới nhận {received}/{expected} báo cáo của các đơn vị cho kỳ này: các con số còn tạm tính; "
            f"số liệu đủ báo cáo đến {last}."
        )
    return " ".join(parts) or None
