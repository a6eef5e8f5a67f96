"""The ward's own feed on the pages: an admin adds a declaration, a unit then finds and sends it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from dash_app import open_app

from pipelines.ingest import save_reference_lists
from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "advertising_removals.toml"
MARTS = ROOT / "tests" / "fixtures" / "marts"
FILLED = (
    "Mã đợt xóa,Ngày thực hiện,Mã tổ dân phố,Vị trí,Số mẩu đã xóa,Số thuê bao đề nghị cắt,Số thuê bao đã cắt\n"
    "QC-1,14/11/2026,TDP01,Bờ tường,35,4,3\n"
    "QC-2,20/11/2026,TDP02,Cột điện,12,2,1\n"
)


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in (at.success, at.error, at.text, at.caption) for e in kind)


def _admin_adds(home, monkeypatch, name: str, content: bytes):
    at = open_app(home, monkeypatch, role="admin").run()
    at.switch_page("views/admin.py").run()
    assert not at.exception, at.exception
    at.file_uploader(key="feed_declaration").set_value((name, content, "application/toml")).run()
    assert not at.exception, at.exception
    return at


def test_an_admin_sees_the_checks_of_a_bad_declaration_and_nothing_is_added(ward, monkeypatch):
    broken = EXAMPLE.read_text(encoding="utf-8").replace('type = "integer"', 'type = "so"', 1)
    at = _admin_adds(ward, monkeypatch, "quang-cao.toml", broken.encode("utf-8"))
    text = _texts(at)
    assert "Tệp khai báo có 1 lỗi; chưa thêm gì." in text
    assert "feeds/quang-cao.toml: cột «items_removed» có kiểu «so» không hợp lệ" in text
    assert not [b for b in at.button if b.key == "add_feed"]
    assert not (ward / "feeds").exists()


def test_an_admin_adds_a_feed_and_its_unit_sends_a_file_of_it(ward, monkeypatch):
    at = _admin_adds(ward, monkeypatch, EXAMPLE.name, EXAMPLE.read_bytes())
    assert "Tệp khai báo hợp lệ: «Xóa quảng cáo, rao vặt trái quy định», 10 cột." in _texts(at)
    at.button(key="add_feed").click().run()
    assert not at.exception, at.exception
    assert "Đã thêm «Xóa quảng cáo, rao vặt trái quy định»." in _texts(at)

    units = (
        (MARTS / "units.csv")
        .read_text(encoding="utf-8")
        .replace(
            "DTN,Đoàn Thanh niên phường,cleanups",
            "DTN,Đoàn Thanh niên phường,cleanups;advertising_removals",
        )
    )
    save_reference_lists(
        Warehouse(ward),
        ((MARTS / "groups.csv").read_bytes(), "groups.csv"),
        (units.encode(), "units.csv"),
        valid_from=dt.date(2026, 11, 1),  # the list applies to the records' months, whatever the real date
    )
    at = open_app(ward, monkeypatch, role="unit", unit="DTN").run()
    assert not at.exception, at.exception
    assert "Xóa quảng cáo, rao vặt trái quy định" in at.selectbox(key="upload_feed").options
    at.selectbox(key="upload_feed").set_value("advertising_removals").run()
    assert "Số mẩu đã xóa" in "\n".join(m.value for m in at.markdown)  # the feed's help, from its declaration
    at.file_uploader(key="upload_file_0").set_value(("qc.csv", FILLED.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    at.button(key="confirm_upload").click().run()
    assert not at.exception, at.exception
    con = duckdb.connect(str((ward / "snapshot.duckdb").resolve()), read_only=True)
    try:
        rows = con.sql(
            "SELECT removal_id, unit_code, surface FROM advertising_removals ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("QC-1", "DTN", "wall"), ("QC-2", "DTN", "pole")]


def test_every_page_runs_with_a_ward_feed_and_its_rows(ward, monkeypatch):
    from pipelines.ingest import ingest
    from services.ward_feeds import add_feed

    add_feed(EXAMPLE.read_bytes(), EXAMPLE.name, home=ward, by="quantri", role="admin")
    units = (MARTS / "units.csv").read_text(encoding="utf-8") + "QC,Tổ quảng cáo,advertising_removals\n"
    save_reference_lists(
        Warehouse(ward),
        ((MARTS / "groups.csv").read_bytes(), "groups.csv"),
        (units.encode(), "units.csv"),
        valid_from=dt.date(2026, 11, 1),  # the list applies to the records' months, whatever the real date
    )
    loaded = ingest(
        Warehouse(ward), FILLED.encode(), feed="advertising_removals", unit_code="QC", file_name="qc.csv"
    )
    assert loaded.rows_accepted == 2, loaded.reason
    at = _admin_adds(ward, monkeypatch, EXAMPLE.name, EXAMPLE.read_bytes())  # a second add: refused
    assert "phường đã có loại dữ liệu tên «advertising_removals»" in _texts(at)
    for page in sorted(p.name for p in (ROOT / "dashboard" / "views").glob("*.py")):
        at.switch_page(f"views/{page}").run()
        assert not at.exception, (page, at.exception)
