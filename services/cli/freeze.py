"""`dothixanh evaluate --freeze` (who may) and `dothixanh evaluate --verify N` (recompute and compare)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from warehouse.evaluation import FREEZE_ROLES


def freezer_role(home: Path, username: str | None) -> tuple[str | None, str | None]:
    """The role of the account freezing (from the accounts), or a Vietnamese refusal."""
    from warehouse.accounts import Accounts

    if not username:
        return None, (
            "Chốt kỳ đánh giá cần tên tài khoản của người chốt: --user TÊN (tài khoản lãnh đạo hoặc quản trị)."
        )
    user = Accounts(home).get(username)
    if user is None:
        return None, f"Không có tài khoản «{username}». Tạo bằng 'dothixanh user add'."
    if user.role not in FREEZE_ROLES:
        return None, (
            f"Tài khoản «{username}» ({user.role_label}) không được chốt kỳ đánh giá: chỉ lãnh đạo phường "
            "hoặc quản trị viên được chốt."
        )
    return user.role, None


def run_verify(warehouse, snapshot_id: int, *, as_json: bool = False) -> int:
    """Print whether snapshot N recomputes to what was frozen; 0 when it does, 1 when not, 2 if unknown."""
    from warehouse.evaluation import UnknownSnapshot
    from warehouse.verification import verify_snapshot

    with warehouse.reading() as con:
        try:
            result = verify_snapshot(con, snapshot_id)
        except UnknownSnapshot as exc:
            print(str(exc), file=sys.stderr)
            return 2
    if as_json:
        print(
            json.dumps(
                {
                    "snapshot_id": snapshot_id,
                    "matches": result.matches,
                    "stored_rows_intact": result.stored_rows_intact,
                    "inputs_match": result.inputs_match,
                    "recomputed_match": result.recomputed_match,
                    "messages": result.messages,
                },
                ensure_ascii=False,
            )
        )
    else:
        for line in result.messages:
            print(f"- {line}")
        print(
            f"Bản chốt số {snapshot_id}: KHỚP."
            if result.matches
            else f"Bản chốt số {snapshot_id}: KHÔNG KHỚP."
        )
    return 0 if result.matches else 1
