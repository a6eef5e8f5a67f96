"""`dothixanh evaluate`: the league table of an evaluation period, freezing and verifying it."""

from __future__ import annotations

import json
import sys

from services.cli.common import text, ward_warehouse


def register(sub) -> None:
    p = sub.add_parser("evaluate", help=text("evaluate", "help"), description=text("evaluate", "description"))
    p.add_argument("--evaluation", metavar="TÊN_KỲ", help=text("evaluate", "--evaluation"))
    p.add_argument("--json", action="store_true", help=text("evaluate", "--json"))
    p.add_argument("--freeze", action="store_true", help=text("evaluate", "--freeze"))
    p.add_argument("--note", metavar="GHI_CHÚ", help=text("evaluate", "--note"))
    p.add_argument("--user", metavar="TÊN", help=text("evaluate", "--user"))
    p.add_argument("--verify", type=int, metavar="SỐ", help=text("evaluate", "--verify"))
    p.add_argument("--snapshot", type=int, metavar="SỐ", help=text("evaluate", "--snapshot"))
    p.add_argument("--refresh", action="store_true", help=text("evaluate", "--refresh"))
    p.set_defaults(handler=cmd_evaluate)


def fmt_number(value: float | None, decimals: int = 1) -> str:
    """1234.5 → "1.234,5" (Vietnamese separators); None → "—"."""
    from kernel.formats import number

    return number(value, decimals)


def cmd_evaluate(args) -> int:
    from services.cli.freeze import freezer_role, run_verify
    from services.evaluation import evaluate
    from warehouse import evaluation as ev
    from warehouse.settings import SettingsError, load_settings

    warehouse = ward_warehouse()
    if warehouse is None:
        return 2
    if args.verify is not None:
        return run_verify(warehouse, args.verify, as_json=args.json)
    if not args.evaluation:
        print("Hãy ghi kỳ đánh giá: --evaluation TÊN_KỲ (ví dụ conference-2026).", file=sys.stderr)
        return 2
    role = None
    if args.freeze:
        role, refusal = freezer_role(warehouse.home, args.user)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
    try:
        settings = load_settings(warehouse.home)
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        snap = evaluate(
            warehouse,
            settings,
            args.evaluation,
            refresh=args.refresh,
            freeze=args.freeze,
            user=args.user,
            role=role,
            note=args.note,
        )
    except ev.UnknownEvaluation as exc:
        print(str(exc), file=sys.stderr)
        return 2
    with warehouse.reading() as con:
        try:
            info = ev.evaluation_info(con, args.evaluation)
            if args.json:
                rows = ev.league_json(con, args.evaluation, args.snapshot)
                print(json.dumps(rows, ensure_ascii=False, default=str))
            else:
                print(format_league(con, info, args.snapshot))
        except (ev.UnknownEvaluation, ev.UnknownSnapshot) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    if snap is not None:
        print(
            f"Đã chốt kỳ «{args.evaluation}»: bản chốt số {snap.snapshot_id}, lúc "
            f"{snap.frozen_at:%d/%m/%Y %H:%M}, mã băm nội dung {snap.content_sha256}.",
            file=sys.stderr if args.json else sys.stdout,
        )
    return 0


def format_league(con, info, snapshot_id: int | None = None) -> str:
    """The league table of an evaluation, for people: ranks, scores, tiers and the components behind them."""
    from warehouse import evaluation as ev

    table = ev.league_table(con, info.name, snapshot_id)
    components = ev.league_components(con, info.name, snapshot_id)
    lines = [f"Bảng xếp hạng thi đua: {info.label_vi} [{info.name}]"]
    as_of = info.as_of
    if snapshot_id is not None:
        snap = ev.snapshot(con, info.name, snapshot_id)
        as_of = snap.as_of
        lines.append(
            f"BẢN ĐÃ CHỐT số {snap.snapshot_id}, lúc {snap.frozen_at:%d/%m/%Y %H:%M}; "
            f"mã băm nội dung {snap.content_sha256[:16]}…"
        )
    lines.append(
        f"Kỳ đánh giá {info.start:%d/%m/%Y} - {info.end:%d/%m/%Y}; số liệu tính đến {as_of:%d/%m/%Y}."
    )
    if snapshot_id is None:
        from warehouse.completeness import window_note_vi

        if note := window_note_vi(con, info.name):
            lines.append(f"LƯU Ý: {note}")
    lines.append("")
    width = max([len("Tổ dân phố"), *(len(n) for n in table["group_name"])])
    lines.append(f"{'Hạng':>4}  {'Mã':<8} {'Tổ dân phố':<{width}}  {'Điểm':>6}  Xếp loại")
    for row in table.iter_rows(named=True):
        rank = str(row["rank"]) if row["rank"] is not None else "-"
        if row["rank"] is None and "ranked" in row:
            continue  # listed under the table, with the reason
        lines.append(
            f"{rank:>4}  {row['group_code']:<8} {row['group_name']:<{width}}  "
            f"{fmt_number(row['score']):>6}  {row['tier']}"
        )
    unranked = [r for r in table.iter_rows(named=True) if r["rank"] is None]
    if len(unranked) == table.height:
        lines.append("   -  (chưa có tổ nào đủ điều kiện xếp hạng)")
    if unranked:
        from warehouse.completeness import split_reasons

        common, own = split_reasons([r.get("unranked_reason_vi") or r.get("note_vi") for r in unranked])
        lines.append("")
        lines.append(f"Chưa xếp hạng ({len(unranked)} tổ):")
        if common:
            lines.append(f"  Lý do chung: {common}.")
        for row, reason in zip(unranked, own, strict=True):
            lines.append(f"  - {row['group_code']} {row['group_name']}" + (f": {reason}" if reason else ""))
    lines.append("")
    lines.append(
        "Điểm thành phần (0 - 100: đạt chỉ tiêu = 50, tổ tốt nhất = 100, tổ kém nhất = 0; "
        "điểm tổng hợp = trung bình theo trọng số của các chỉ tiêu đã chấm):"
    )
    for row in table.iter_rows(named=True):
        lines.append(f"{row['group_code']} {row['group_name']}: {fmt_number(row['score'])} điểm")
        if row["note_vi"]:
            lines.append(f"  ({row['note_vi']})")
        for comp in components.filter(c_group(row["group_code"])).iter_rows(named=True):
            head = f"  · {comp['indicator_name_vi']} (trọng số {fmt_number(comp['weight'], 0)}): "
            if comp.get("data_status") == "provisional":
                head += f"[{comp['data_status_vi']}] "
            if comp["status"] == "scored":
                lines.append(
                    head + f"{_with_unit(comp['raw_value'], comp['unit_vi'])}, chỉ tiêu "
                    f"{_with_unit(comp['target'], comp['unit_vi'])} → {fmt_number(comp['component_score'])} điểm"
                )
            else:
                value = (
                    "" if comp["raw_value"] is None else _with_unit(comp["raw_value"], comp["unit_vi"]) + "; "
                )
                lines.append(head + value + comp["status_vi"])
    from services.cli.settings import sample_targets_line

    sample = sample_targets_line(con, info.name)
    if sample:
        lines += ["", sample]
    if snapshot_id is None:
        snaps = ev.snapshots(con, info.name)
        if snaps:
            last = snaps[-1]
            changed = ev.changes_since(con, info.name)
            if changed.is_empty():
                lines.append("")
                lines.append(
                    f"Không có thay đổi kể từ bản chốt số {last.snapshot_id} ({last.frozen_at:%d/%m/%Y %H:%M})."
                )
            else:
                lines.append("")
                lines.append(
                    f"Thay đổi kể từ bản chốt số {last.snapshot_id} ({last.frozen_at:%d/%m/%Y %H:%M}):"
                )
                for ch in changed.iter_rows(named=True):
                    lines.append(
                        f"  · {ch['group_code']}: hạng {ch['frozen_rank'] or '-'} → {ch['live_rank'] or '-'}, "
                        f"điểm {fmt_number(ch['frozen_score'])} → {fmt_number(ch['live_score'])}, "
                        f"xếp loại {ch['frozen_tier'] or '-'} → {ch['live_tier'] or '-'}"
                    )
    return "\n".join(lines)


def _with_unit(value: float | None, unit: str) -> str:
    return fmt_number(value) + ("" if unit == "%" else " ") + unit


def c_group(code: str):
    import polars as pl

    return pl.col("group_code") == code
