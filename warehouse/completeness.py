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
        last = (
            f"số liệu đủ báo cáo đến hết tháng {through[5:]}/{through[:4]}"
            if through
            else "chưa có tháng nào đủ báo cáo"
        )
        parts.append(
            f"Mới nhận {received}/{expected} báo cáo của các đơn vị cho kỳ này: các con số còn tạm tính; {last}."
        )
    return " ".join(parts) or None


def split_reasons(reasons: list[str | None]) -> tuple[str, list[str]]:
    """The parts («; »-separated) of unranked reasons that every group shares, and each group's own rest.

    With a single group nothing is «shared»: its whole reason stays its own.
    """

    def parts(reason: str | None) -> list[str]:
        return [p.strip() for p in (reason or "").split("; ") if p.strip()]

    def key(part: str) -> str:
        return part[:1].lower() + part[1:]

    def sentence(items: list[str]) -> str:
        text = "; ".join(items)
        return text[:1].upper() + text[1:]

    split = [parts(r) for r in reasons]
    if len(split) < 2:
        return "", [sentence(p) for p in split]
    shared = set.intersection(*({key(p) for p in ps} for ps in split))
    common = [p for p in split[0] if key(p) in shared]
    return sentence(common), [sentence([p for p in ps if key(p) not in shared]) for ps in split]
