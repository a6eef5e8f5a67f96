"""The `dothixanh` command line, as a clerk or an analyst uses it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kernel import contracts as c
from pipelines.ingest import init_ward
from services.cli import main
from warehouse.store import Warehouse

GROUPS = "group_code,group_name,households,population\nTDP01,Tổ 1,300,1100\nTDP05,Tổ dân phố số 5,150,520\n"
UNITS = "unit_code,unit_name,feeds\nCAP,Công an phường Lê Chân,violations\nTTBT,Trung tâm bảo trì,lighting_repairs\n"
GOOD_AND_BAD = (
    "Số hồ sơ,Mã đơn vị,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý,Số tiền phạt,Địa chỉ\n"
    'A1,CAP,01/06/2026,TDP01,Lấn chiếm vỉa hè,Xử phạt,1.500.000,=HYPERLINK("x")\n'
    "A2,CAP,02/06/2026,Tổ 5,other,reminder,,\n"
)


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    init_ward(Warehouse(home), (GROUPS.encode(), "groups.csv"), (UNITS.encode(), "units.csv"))
    return home


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_json_reports_counts_and_each_rejected_row(home, tmp_path, capsys):
    f = tmp_path / "vp.csv"
    f.write_text(GOOD_AND_BAD, encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "CAP", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["status"] == "loaded"
    assert (report["rows_total"], report["rows_accepted"], report["rows_rejected"]) == (2, 1, 1)
    [error] = report["errors"]
    assert {k: error[k] for k in ("line", "column", "value", "rule")} == {
        "line": 3,
        "column": "group_code",
        "value": "Tổ 5",
        "rule": "known_group",
    }
    assert "Dòng 3" in error["message"] and "TDP05" in error["message"]
    assert "reason" not in report


def test_ingest_twice_says_duplicate_and_exits_zero(home, tmp_path, capsys):
    f = tmp_path / "vp.csv"
    f.write_text(GOOD_AND_BAD, encoding="utf-8")
    run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "CAP", "--json")
    code, out, _ = run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "CAP", "--json")
    assert code == 0
    assert json.loads(out)["status"] == "duplicate"


def test_refused_file_exits_non_zero_with_a_vietnamese_reason(home, tmp_path, capsys):
    f = tmp_path / "vp.csv"
    f.write_text(GOOD_AND_BAD, encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "TTBT", "--json")
    report = json.loads(out)
    assert code != 0
    assert report["status"] == "refused"
    assert "không được gửi loại dữ liệu «Vi phạm»" in report["reason"]
    assert report["rows_accepted"] == 0


@pytest.mark.parametrize(
    ("name", "said"),
    [("khong-co.csv", "không có tệp này"), (".", "đây là một thư mục")],
)
def test_a_file_that_cannot_be_opened_is_said_in_vietnamese(home, tmp_path, name, said):
    from services.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["ingest", str(tmp_path / name), "--feed", "violations", "--unit", "CAP"])
    message = str(stopped.value.code)
    assert said in message and str(tmp_path) in message
    assert "No such file" not in message and "directory" not in message


def test_ingest_without_json_prints_a_readable_vietnamese_report(home, tmp_path, capsys):
    f = tmp_path / "vp.csv"
    f.write_text(GOOD_AND_BAD, encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "CAP")
    assert code == 0
    assert "nhận 1 dòng" in out and "loại 1 dòng" in out
    assert "Dòng 3, cột «Mã tổ dân phố»" in out


# Each query runs in a worker process: room for a busy machine to start it (the limit is tested elsewhere).
ROOMY = ("--timeout", "300")


def test_sql_reads_views_in_three_formats(home, tmp_path, capsys):
    f = tmp_path / "vp.csv"
    f.write_text(GOOD_AND_BAD, encoding="utf-8")
    run(capsys, "ingest", str(f), "--feed", "violations", "--unit", "CAP", "--json")
    query = "SELECT record_id, fine_vnd, address FROM violations ORDER BY record_id"
    code, out, _ = run(capsys, "sql", query, *ROOMY, "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"record_id": "A1", "fine_vnd": 1500000, "address": '=HYPERLINK("x")'}]
    code, out, _ = run(capsys, "sql", query, *ROOMY, "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1] == ["A1", "1500000", '=HYPERLINK("x")']
    code, out, _ = run(capsys, "sql", "SELECT count(*) AS n FROM rejected_rows", *ROOMY, "--format", "table")
    assert code == 0 and "1" in out
    # A list or struct column (e.g. a mart's monthly values) is written as its JSON, not an error.
    code, out, err = run(
        capsys, "sql", "SELECT [1, 2] AS months, {'a': 'ă'} AS pair", *ROOMY, "--format", "csv"
    )
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out)))[1] == ["[1, 2]", '{"a": "ă"}']


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM core.violations",
        "CREATE TABLE x AS SELECT 1",
        "SELECT 1; DROP TABLE core.violations",
        "COPY (SELECT 1) TO '/tmp/x.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
    ],
)
def test_sql_never_writes_nor_reads_files(home, capsys, query):
    code, _, err = run(capsys, "sql", query, *ROOMY)
    assert code != 0
    assert "Lỗi truy vấn" in err
    code, out, _ = run(
        capsys, "sql", "SELECT count(*) AS n FROM residential_groups", *ROOMY, "--format", "json"
    )
    assert json.loads(out) == [{"n": 2}]


def test_init_refuses_a_bad_groups_file_and_names_the_row(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DOTHIXANH_HOME", str(tmp_path / "new"))
    groups = tmp_path / "groups.csv"
    groups.write_text(
        "Mã tổ dân phố,Tên tổ dân phố,Số hộ,Số nhân khẩu\nTDP01,Tổ 1,300,200\n", encoding="utf-8"
    )
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    code, _, err = run(capsys, "init", "--groups", str(groups), "--units", str(units))
    assert code == 1
    assert "Dòng 2, cột «Số nhân khẩu»" in err
    assert not Warehouse(tmp_path / "new").exists()


def test_help_is_in_plain_vietnamese(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ingest", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "nạp một tệp số liệu" in out.lower() or "Đọc, kiểm tra và nạp" in out
    assert "tùy chọn" in out and "in hướng dẫn này rồi thoát" in out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_templates_read_back_through_the_same_reader(home, tmp_path, capsys, suffix):
    from pipelines.parsing import map_headers
    from pipelines.reading import read_table

    out = tmp_path / f"mau{suffix}"
    code, _, _ = run(capsys, "template", "--feed", "cleanups", "--output", str(out))
    assert code == 0
    table = read_table(out.read_bytes(), out.name)
    mapped = map_headers(table.header, c.CLEANUPS)
    assert sorted(mapped.columns.values()) == sorted(c.CLEANUPS.column_names)
    assert table.rows.height == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sql", "SELECT 1", "--bogus"], "không hiểu tham số: --bogus"),
        (["ingest"], "thiếu tham số bắt buộc: --feed, --unit"),
        (["demo", "--scale", "x"], "tham số --scale: giá trị 'x' không hợp lệ (cần một số nguyên)"),
        (["khong-co-lenh"], "tham số LỆNH: giá trị 'khong-co-lenh' không có; chọn một trong: 'init'"),
    ],
)
def test_a_mistyped_command_is_explained_in_vietnamese(capsys, args, said):
    with pytest.raises(SystemExit) as stopped:
        main(args)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert said in err and "cách dùng: dothixanh" in err
    for english in ("usage:", "unrecognized", "required", "invalid", "choose from", "argument"):
        assert english not in err, (english, err)
