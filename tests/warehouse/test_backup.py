"""`dothixanh backup` and `dothixanh restore`: a ward comes back whole, and nothing else gets in."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from services import cli
from warehouse.accounts import Accounts
from warehouse.admin import save_settings, settings_text
from warehouse.backup import BackupError, create_backup, read_manifest, restore_backup
from warehouse.store import Warehouse

FEED_FILES = {
    "violations": ("violations/utf8_comma.csv", "CAP"),
    "cleanups": ("cleanups/rules.csv", "MTDT"),
    "sorting_inspections": ("sorting_inspections/rules.txt", "MTDT"),
    "lighting_repairs": ("lighting_repairs/rules.csv", "TTBT"),
}
FIGURES = "SELECT * FROM indicator_values ORDER BY ALL"


@pytest.fixture(scope="module")
def ward(new_ward, tmp_path_factory, ingest_fixture):
    """A small ward with a file of every feed, an account, a saved query and an edited settings file."""
    warehouse = new_ward(tmp_path_factory.mktemp("backup") / "home")
    for feed, (relative, unit) in FEED_FILES.items():
        assert ingest_fixture(warehouse, relative, feed=feed, unit_code=unit).ok
    accounts = Accounts(warehouse.home)
    accounts.add_user("van.thu.cap", "mat-khau-cap-1", "unit", unit_code="CAP", full_name="Văn thư")
    accounts.save_query(
        "van.thu.cap", "Vi phạm theo tổ", "SELECT group_code, count(*) FROM violations GROUP BY 1", True
    )
    text = settings_text(warehouse.home).replace("report_due_day = 5", "report_due_day = 6")
    save_settings(warehouse, text, "quan.tri")
    return warehouse


@pytest.fixture(scope="module")
def archive(ward, tmp_path_factory) -> Path:
    return create_backup(ward, tmp_path_factory.mktemp("archives") / "sao-luu.tar.gz").path


def _rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    with warehouse.reading() as con:
        return con.sql(sql).fetchall()


def test_round_trip_brings_back_every_figure_account_file_and_setting(ward, archive, tmp_path):
    restored = Warehouse(tmp_path / "restored")
    assert cli.main(["restore", str(archive), "--home", str(restored.home)]) == 0
    # Every figure, record and upload.
    assert _rows(restored, FIGURES) == _rows(ward, FIGURES) and _rows(ward, FIGURES)
    for sql in ("SELECT * FROM uploads ORDER BY ALL", "SELECT * FROM rejected_rows ORDER BY ALL"):
        assert _rows(restored, sql) == _rows(ward, sql)
    for feed in FEED_FILES:
        assert _rows(restored, f"SELECT * FROM {feed} ORDER BY ALL") == _rows(
            ward, f"SELECT * FROM {feed} ORDER BY ALL"
        )
    # Every account can log in, with its saved queries.
    accounts = Accounts(restored.home)
    assert accounts.login("van.thu.cap", "mat-khau-cap-1").unit_code == "CAP"
    assert [q["name"] for q in accounts.saved_queries("van.thu.cap")] == ["Vi phạm theo tổ"]
    # Every original file, byte for byte.
    for (stored_path,) in _rows(ward, "SELECT stored_path FROM uploads"):
        assert restored.original_file(stored_path) == ward.original_file(stored_path)
    originals = sorted(p.relative_to(ward.home) for p in (ward.home / "files").rglob("*") if p.is_file())
    assert (
        sorted(p.relative_to(restored.home) for p in (restored.home / "files").rglob("*") if p.is_file())
        == originals
    )
    # The settings file, its history and the logs.
    assert (restored.home / "settings.toml").read_bytes() == (ward.home / "settings.toml").read_bytes()
    history = sorted(p.name for p in (ward.home / "settings-history").iterdir())
    assert sorted(p.name for p in (restored.home / "settings-history").iterdir()) == history and history
    assert (
        (restored.home / "logs" / "events.jsonl")
        .read_text(encoding="utf-8")
        .startswith((ward.home / "logs" / "events.jsonl").read_text(encoding="utf-8"))
    )


def test_manifest_names_tool_versions_counts_and_hashes(archive):
    manifest = read_manifest(archive)
    assert (manifest["tool"], manifest["format_version"]) == ("dothixanh", 1)
    assert manifest["schema"]["version"] == sorted(manifest["schema"]["migrations"])[-1]
    counts = manifest["counts"]
    assert counts["uploads"] == 4 and counts["accounts"] == 1 and counts["saved_queries"] == 1
    assert counts["files"] == 6 and counts["indicator_values"] > 0
    assert all(len(m["sha256"]) == 64 for m in manifest["members"].values())
    assert {"home/warehouse.duckdb", "home/accounts.duckdb", "home/settings.toml"} <= set(manifest["members"])


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with its members passed through `change(name, bytes) -> [(name, bytes)]`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            for name, content in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                out.addfile(info, io.BytesIO(content))
    return target


def _refused(archive: Path, home: Path, capsys) -> str:
    assert cli.main(["restore", str(archive), "--home", str(home)]) == 1
    assert not home.exists() or not any(p for p in home.iterdir() if not p.name.startswith(".restore"))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_tampered_member_is_refused_and_nothing_is_restored(archive, tmp_path, capsys):
    def tamper(name, data):
        if name == "home/settings.toml":
            data = data.replace(b"report_due_day = 6", b"report_due_day = 9")
        return [(name, data)]

    err = _refused(_rewrite(archive, tmp_path / "sua.tar.gz", tamper), tmp_path / "home", capsys)
    assert "home/settings.toml" in err and "đã bị sửa" in err and "SHA-256" in err


def test_path_traversal_in_a_member_name_is_refused(archive, tmp_path, capsys):
    def escape(name, data):
        return [(name, data)] + ([("home/../../thoat-ra.txt", b"x")] if name == "manifest.json" else [])

    err = _refused(_rewrite(archive, tmp_path / "thoat.tar.gz", escape), tmp_path / "home", capsys)
    assert "không hợp lệ" in err and "../" in err
    assert not (tmp_path / "thoat-ra.txt").exists()


def test_a_member_missing_from_the_manifest_is_refused(archive, tmp_path, capsys):
    def extra(name, data):
        return [(name, data)] + ([("home/la.txt", b"x")] if name == "home/settings.toml" else [])

    err = _refused(_rewrite(archive, tmp_path / "them.tar.gz", extra), tmp_path / "home", capsys)
    assert "home/la.txt" in err and "không có trong danh mục" in err


def test_a_manifest_that_lies_about_paths_is_refused(archive, tmp_path, capsys):
    def lie(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"]["/etc/cron.d/x"] = {"sha256": "0" * 64, "size": 1}
            data = json.dumps(manifest).encode()
        return [(name, data)]

    err = _refused(_rewrite(archive, tmp_path / "doi.tar.gz", lie), tmp_path / "home", capsys)
    assert "/etc/cron.d/x" in err


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"PK\x03\x04 khong phai tar", "không đọc được dạng tar"),
        (b"", "không đọc được dạng tar"),
    ],
)
def test_files_that_are_not_backups_are_refused(tmp_path, capsys, content, why):
    path = tmp_path / "tep.tar.gz"
    path.write_bytes(content)
    err = _refused(path, tmp_path / "home", capsys)
    assert "không phải bản sao lưu của dothixanh" in err and why in err


def test_another_tool_s_tar_is_refused(tmp_path, capsys):
    path = tmp_path / "khac.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        data = b'{"tool": "khac"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert "không phải bản sao lưu của dothixanh" in _refused(path, tmp_path / "home", capsys)


def test_a_truncated_backup_is_refused(archive, tmp_path, capsys):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    err = _refused(cut, tmp_path / "home", capsys)
    assert "bị hỏng hoặc không đầy đủ" in err or "thiếu" in err


def test_a_backup_from_a_newer_schema_is_refused(archive, tmp_path):
    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["schema"]["migrations"].append("9999_future.sql")
            data = json.dumps(manifest).encode()
        return [(name, data)]

    with pytest.raises(BackupError, match="phiên bản dothixanh mới hơn"):
        restore_backup(_rewrite(archive, tmp_path / "moi.tar.gz", newer), tmp_path / "home")


def test_a_home_with_data_is_refused_unless_forced_and_then_kept_aside(archive, ward, tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    (home / "ghi-chu.txt").write_text("dữ liệu đang có")
    assert cli.main(["restore", str(archive), "--home", str(home)]) == 1
    assert "đã có dữ liệu" in capsys.readouterr().err
    assert cli.main(["restore", str(archive), "--home", str(home), "--force"]) == 0
    (aside,) = home.glob("truoc-khoi-phuc-*")
    assert (aside / "ghi-chu.txt").read_text() == "dữ liệu đang có"
    assert _rows(Warehouse(home), FIGURES) == _rows(ward, FIGURES)


def test_backup_of_a_home_without_warehouse_is_refused(tmp_path, capsys):
    assert (
        cli.main(["--home", str(tmp_path / "trong"), "backup", "--output", str(tmp_path / "b.tar.gz")]) == 1
    )
    assert "không có gì để sao lưu" in capsys.readouterr().err
    assert not (tmp_path / "b.tar.gz").exists()
