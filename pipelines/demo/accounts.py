"""The demo ward's accounts: one per role and one per unit, all with the demo password."""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.ward import (
    UNITS,
)
from warehouse.accounts import DEMO_MARKER, DEMO_PASSWORD


def create_demo_accounts(home: Path) -> list[str]:
    """One account per role (leader, analyst, admin) and one per unit (its code in lower case), password 'demo'."""
    from warehouse.accounts import Accounts

    accounts = Accounts(home)
    made = []
    for username, role, unit, name in [
        ("leader", "leader", None, "Lãnh đạo UBND phường (demo)"),
        ("analyst", "analyst", None, "Chuyên viên Phòng KT-HT-ĐT (demo)"),
        ("admin", "admin", None, "Quản trị hệ thống (demo)"),
        *[(unit.code.lower(), "unit", unit.code, f"Văn thư {unit.name} (demo)") for unit in UNITS],
    ]:
        accounts.add_user(
            username, DEMO_PASSWORD, role, unit_code=unit, full_name=name, replace=True, allow_weak=True
        )
        made.append(username)
    (home / DEMO_MARKER).write_text(
        "Phường mẫu: mọi tài khoản demo có mật khẩu 'demo'.\n" + "\n".join(made) + "\n", encoding="utf-8"
    )
    return made
