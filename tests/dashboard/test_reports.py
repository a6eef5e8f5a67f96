"""Evaluation reports as leadership receives them: Excel and PDF files read back, and CSV downloads.

The ward: three residential groups (one of them named like a spreadsheet
formula, as a careless or malicious clerk might), a police unit sending
violations and the environment company sending cleanups and sorting
inspections from May to November 2026, loaded through the real ingest path.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from pypdf import PdfReader

from pipelines.ingest import ingest, init_ward
from services import reports
from services.cli import main
from warehouse import evaluation as ev
from warehouse.store import Warehouse

TODAY = dt.date(2026, 11, 29)
RECEIVED = dt.datetime(2026, 11, 20, 9, 0)
EVALUATION = "conference-2026"
LABEL = "Hội nghị đánh giá kết quả năm 2026 (tháng 12/2026)"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
SHEETS = ["Tổng hợp", "Chỉ tiêu phường", "Xếp hạng", "Điểm thành phần", "Báo cáo đơn vị"]

GROUPS = (
    "group_code,group_name,households,population\n"
    "TDP01,Tổ dân phố số 1,150,500\n"
    "TDP02,Tổ dân phố số 2,250,1000\n"
    'TDP03,"=HYPERLINK(""http://x"",""y"")",120,400\n'
)
UNITS = (
    "unit_code,unit_name,feeds\n"
    "CAP,Công an phường Lê Chân,violations\n"
    "MTDT,Công ty TNHH MTV Môi trường đô thị Hải Phòng,cleanups;sorting_inspections\n"
)
# Per group: violations (and how many resolved), every n-th Saturday a cleanup, participants, compliant of 30.
PROFILE = {
    "TDP01": {"violations": 5, "resolved": 4, "every": 1, "participants": 30, "compliant": 24},
    "TDP02": {"violations": 20, "resolved": 10, "every": 2, "participants": 12, "compliant": 15},
    "TDP03": {"violations": 8, "resolved": 8, "every": 3, "participants": 20, "compliant": 20},
}


def _saturdays() -> list[dt.date]:
    day = dt.date(2026, 5, 2)
    out = []
    while day <= TODAY:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def violations_csv() -> bytes:
    lines = ["record_id,unit_code,detected_on,group_code,category,action,fine_vnd,resolved_on,address,note"]
    for group, p in PROFILE.items():
        for i in range(p["violations"]):
            day = dt.date(2026, 5 + i % 7, 3 + i)
            resolved = (day + dt.timedelta(days=2)).isoformat() if i < p["resolved"] else ""
            lines.append(
                f"{group}-V{i:02d},CAP,{day.isoformat()},{group},sidewalk_encroachment,reminder,,"
                f"{resolved},{i} Tô Hiệu,"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def cleanups_csv() -> bytes:
    lines = ["event_id,unit_code,held_on,group_code,kind,participants,waste_kg,trees_planted,location"]
    for group, p in PROFILE.items():
        for i, day in enumerate(_saturdays()):
            if i % p["every"] == 0:
                lines.append(
                    f"{group}-C{i:02d},MTDT,{day.isoformat()},{group},saturday_with_people,"
                    f"{p['participants']},50,,"
                )
    return ("\n".join(lines) + "\n").encode("utf-8")


def sorting_csv() -> bytes:
    lines = ["inspection_id,unit_code,inspected_on,group_code,households_checked,households_compliant,note"]
    for group, p in PROFILE.items():
        for month in range(5, 12):
            lines.append(f"{group}-S{month:02d},MTDT,2026-{month:02d}-14,{group},30,{p['compliant']},")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def ward_home(tmp_path_factory) -> Path:
    """The small ward, fully loaded once for the module (tests that write work on a copy)."""
    home = tmp_path_factory.mktemp("report-ward") / "home"
    warehouse = Warehouse(home)
    init_ward(warehouse, (GROUPS.encode(), "groups.csv"), (UNITS.encode(), "units.csv"))
    for feed, unit, data in (
        ("violations", "CAP", violations_csv()),
        ("cleanups", "MTDT", cleanups_csv()),
        ("sorting_inspections", "MTDT", sorting_csv()),
    ):
        result = ingest(
            warehouse,
            data,
            feed=feed,
            unit_code=unit,
            file_name=f"{feed}.csv",
            received_at=RECEIVED,
            today=TODAY,
        )
        assert result.status == "loaded" and result.rows_rejected == 0, result.to_json()
    return home


@pytest.fixture
def home(ward_home, monkeypatch) -> Path:
    monkeypatch.setenv("DOTHIXANH_HOME", str(ward_home))
    return ward_home


@pytest.fixture(scope="module")
def data(ward_home) -> reports.ReportData:
    with Warehouse(ward_home).reading() as con:
        return reports.evaluation_report_data(con, EVALUATION, issued_on=TODAY)


@pytest.fixture(scope="module")
def league(ward_home) -> pl.DataFrame:
    """marts.league_table of the evaluation, straight from the warehouse (what the report must show)."""
    with Warehouse(ward_home).reading() as con:
        return con.sql(
            "SELECT rank, group_code, group_name, score, tier, ranked FROM marts.league_table "
            "WHERE evaluation = ? ORDER BY group_code",
            params=[EVALUATION],
        ).pl()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- the data --------------------------------------------------------------------------------------


def test_report_data_holds_the_window_the_ward_figures_and_the_whole_league(data, league):
    assert (data.label_vi, data.window_start, data.window_end) == (
        LABEL,
        dt.date(2026, 5, 1),
        dt.date(2026, 12, 31),
    )
    assert data.data_end == TODAY and data.period_status == "in_progress"
    assert data.ward_indicators.height > 10
    assert data.ward_indicators["indicator_id"][0] == "violations_per_1000_residents"
    # Every group is in the report once, with the marts' rank, score and tier.
    got = data.league.select(league.columns).sort("group_code")
    assert got.to_dicts() == league.to_dicts()
    assert league["ranked"].all(), "the fixture ward is meant to rank every group"
    ward = data.completeness.filter(pl.col("level") == "ward").row(0, named=True)
    assert ward["expected"] > 0 and ward["received"] > 0
    assert "50" in data.scoring_vi and "100" in data.scoring_vi  # the marts' own scoring formula


# -- Excel -----------------------------------------------------------------------------------------


def test_cli_writes_an_excel_report_whose_league_sheet_matches_the_marts(home, tmp_path, capsys, league):
    out = tmp_path / "bao-cao.xlsx"
    code, stdout, _ = run(
        capsys, "report", "--evaluation", EVALUATION, "--format", "xlsx", "--output", str(out)
    )
    assert code == 0
    assert LABEL in stdout and str(out) in stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS

    sheet = book["Xếp hạng"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Hạng", "Mã tổ", "Tổ dân phố", "Điểm thi đua", "Xếp loại"]
    rows = sorted(([c.value for c in row[:5]] for row in sheet.iter_rows(min_row=2)), key=lambda r: r[1])
    assert [r[1] for r in rows] == league["group_code"].to_list()
    for (rank, _code, name, score, tier), expected in zip(rows, league.iter_rows(named=True), strict=True):
        assert (rank, name, tier) == (expected["rank"], expected["group_name"], expected["tier"])
        assert score == pytest.approx(expected["score"], rel=1e-12)

    # Formatted for reading: bold filled header that stays on screen, scores with one decimal.
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBDD")
    assert sheet.freeze_panes == "A2"
    assert sheet["D2"].number_format == "0.0" and isinstance(sheet["D2"].value, float)
    assert sheet.column_dimensions["C"].width >= len("Tổ dân phố số 1")


def test_a_group_named_like_a_formula_comes_back_from_excel_as_literal_text(home, tmp_path, capsys, data):
    out = tmp_path / "bao-cao.xlsx"
    assert run(capsys, "report", "--evaluation", EVALUATION, "--output", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    cells = [
        cell
        for name in ("Xếp hạng", "Điểm thành phần")
        for row in book[name].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    weighted = data.components.filter(pl.col("group_code") == "TDP03").height
    assert weighted > 0 and len(cells) == 1 + weighted  # its league row and one per weighted indicator
    for cell in cells:
        assert cell.value == FORMULA_NAME
        assert cell.data_type == "s", f"{cell.coordinate} was stored as a formula"
    # And nowhere in the workbook is there a formula at all.
    assert not [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_excel_summary_sheet_has_the_ward_header_and_real_dates(data):
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(data)))
    sheet = book["Tổng hợp"]
    texts = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert texts[0] == "ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN"
    assert any("Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh - Hiện đại" in t for t in texts)
    assert LABEL in texts
    assert "Kỳ đánh giá: 01/05/2026 – 31/12/2026" in texts
    values = {row[0].value: row[1] for row in sheet.iter_rows(min_row=8) if row[0].value}
    for name, day in (
        ("Ngày bắt đầu", dt.datetime(2026, 5, 1)),
        ("Ngày kết thúc", dt.datetime(2026, 12, 31)),
        ("Ngày lập báo cáo", dt.datetime(2026, 11, 29)),
    ):
        assert values[name].value == day
        assert values[name].number_format == "dd/mm/yyyy"
    assert values["Mã băm tệp thiết lập (SHA-256)"].value == data.settings_sha256
    assert len(data.settings_sha256) == 64
    assert values["Số tổ được xếp hạng"].value == 3


def test_a_running_window_says_so_with_its_dates_in_the_pdf_and_the_workbook(data):
    # The window runs to 31/12/2026; the figures are computed on 29/11/2026 (TODAY).
    running = "Kỳ đánh giá 01/05/2026 - 31/12/2026 đang diễn ra: số liệu mới tính đến 29/11/2026."
    assert data.window_note and data.window_note.startswith(running)
    assert f"Lưu ý: {running}" in pdf_text(reports.to_pdf(data))
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(data)))
    values = {row[0].value: row[1].value for row in book["Tổng hợp"].iter_rows(min_row=8) if row[0].value}
    assert values["Lưu ý về số liệu"].startswith(running)


def test_excel_ward_indicators_keep_numbers_as_numbers_with_their_status(data):
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(data)))
    sheet = book["Chỉ tiêu phường"]
    header = [c.value for c in sheet[1]]
    rows = {
        row[1].value: dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    }
    assert len(rows) == data.ward_indicators.height
    violations = rows["Vi phạm trên 1.000 dân"]
    ward = data.ward_indicators.row(0, named=True)
    assert violations["Giá trị"].value == pytest.approx(ward["value"])
    assert violations["Công thức"].value == "1.000 × số vụ vi phạm phát hiện trong kỳ / số nhân khẩu"
    assert violations["Đánh giá"].value == ("Đạt" if ward["on_track"] else "Chưa đạt")
    waste = rows["Khối lượng rác thu gom qua các đợt ra quân"]["Giá trị"]
    ward_waste = data.ward_indicators.filter(pl.col("indicator_id") == "waste_collected_kg")["value"][0]
    assert waste.data_type == "n" and waste.value == ward_waste and waste.number_format == "#,##0"


# -- PDF -------------------------------------------------------------------------------------------


def test_cli_writes_a_pdf_with_vietnamese_text_vietnamese_numbers_and_charts(home, tmp_path, capsys, league):
    out = tmp_path / "bao-cao.pdf"
    code, _, _ = run(capsys, "report", "--evaluation", EVALUATION, "--format", "pdf", "--output", str(out))
    assert code == 0
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "ỦY BAN NHÂN DÂN" in text and "PHƯỜNG LÊ CHÂN" in text
    assert "Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh - Hiện đại" in text
    assert LABEL in text
    assert "01/05/2026 – 31/12/2026" in text
    assert "Tổ dân phố số 1" in text and FORMULA_NAME in text
    first = league.filter(pl.col("group_code") == "TDP01").row(0, named=True)
    vietnamese_score = f"{first['score']:.1f}".replace(".", ",")
    assert vietnamese_score in text and "," in vietnamese_score
    # The ward's waste total is in the thousands: a dot groups them, as Vietnamese readers expect.
    waste = sum(50 * len(_saturdays()[:: p["every"]]) for p in PROFILE.values())
    assert waste > 1000 and f"{waste:,}".replace(",", ".") in text
    assert "50 điểm tại chỉ tiêu" in text
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert f"Trang 1/{pages}" in text and f"Trang {pages}/{pages}" in text
    assert sum(len(page.images) for page in reader.pages) == 2  # indicators vs target, league scores
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    assert all("DejaVuSans" in name for name in fonts), fonts


def test_pdf_in_english_keeps_group_names_and_uses_english_numbers(data):
    text = pdf_text(reports.to_pdf(data, lang="en"))
    assert "EVALUATION REPORT" in text and "Ward indicators" in text
    assert "Tổ dân phố số 1" in text
    score = data.league.filter(pl.col("group_code") == "TDP01")["score"][0]
    assert f"{score:.1f}" in text
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(data, lang="en")))
    assert book.sheetnames == [
        "Summary",
        "Ward indicators",
        "League table",
        "Component scores",
        "Unit reporting",
    ]


def test_unknown_evaluation_is_refused_in_vietnamese_with_the_valid_names(home, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, "report", "--evaluation", "hoi-nghi", "--format", "pdf", "--output", str(out))
    assert code == 1
    assert "Không có kỳ đánh giá «hoi-nghi»" in err
    assert "conference-2026, one-year, end-of-period" in err
    assert not out.exists()


def test_format_follows_the_file_name_when_not_given(home, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert run(capsys, "report", "--evaluation", "one-year", "--output", str(out))[0] == 0
    assert out.read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "report", "--evaluation", "one-year", "--output", str(tmp_path / "report.doc"))
    assert code == 2 and "--format" in err


def test_frozen_snapshot_is_reported_as_frozen(ward_home, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    shutil.copytree(ward_home, home, symlinks=True)
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    warehouse = Warehouse(home)
    with warehouse.writing() as con:
        snap = ev.freeze(con, EVALUATION, frozen_by="Văn phòng", role="leader", note="Số liệu trình hội nghị")
    out = tmp_path / "chot.pdf"
    code, stdout, _ = run(
        capsys,
        "report",
        "--evaluation",
        EVALUATION,
        "--snapshot",
        str(snap.snapshot_id),
        "--output",
        str(out),
    )
    assert code == 0 and f"bản chốt số {snap.snapshot_id}" in stdout
    assert f"Số liệu theo bản chốt số {snap.snapshot_id}" in pdf_text(out.read_bytes())
    assert "Lưu ý: Kỳ đánh giá" not in pdf_text(out.read_bytes())  # a snapshot's figures are fixed
    # The live report says the evaluation was frozen, and the workbook lists the snapshot.
    with warehouse.reading() as con:
        live = reports.evaluation_report_data(con, EVALUATION)
    assert "Kỳ này đã chốt 1 lần" in pdf_text(reports.to_pdf(live))
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(live)))
    values = [c.value for row in book["Tổng hợp"].iter_rows() for c in row]
    assert snap.content_sha256 in values and "Số liệu trình hội nghị" in values
    code, _, err = run(capsys, "report", "--evaluation", EVALUATION, "--snapshot", "99", "--output", str(out))
    assert code == 1 and "không có lần chốt số 99" in err


def test_a_ward_without_any_data_still_gets_both_reports(warehouse):
    with warehouse.reading() as con:
        empty = reports.evaluation_report_data(con, EVALUATION)
    assert not empty.league["ranked"].any()
    text = pdf_text(reports.to_pdf(empty))
    assert "Chưa có tổ dân phố nào đủ dữ liệu để xếp hạng" in text
    assert "Chưa có số liệu để vẽ biểu đồ" in text
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(empty)))
    assert book.sheetnames == SHEETS
    assert book["Xếp hạng"].max_row == 1 + empty.league.height


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_has_a_bom_keeps_vietnamese_and_headers_and_neutralises_formulas():
    frame = pl.DataFrame(
        {
            "Tổ dân phố": [
                "Tổ dân phố số 1",
                FORMULA_NAME,
                "+84 912",
                "-x",
                "@SUM(A1)",
                "\tTab",
                "bình thường",
            ],
            "Điểm": [72.5, -1.5, 0.0, 1.0, 2.0, 3.0, 4.0],
            "Ngày": [dt.date(2026, 11, 29)] * 7,
        }
    )
    data = reports.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "Tổ dân phố,Điểm,Ngày"
    assert lines[1] == "Tổ dân phố số 1,72.5,2026-11-29"
    assert lines[2] == '"\'=HYPERLINK(""http://x"",""y"")",-1.5,2026-11-29'  # numbers are not text
    back = pl.read_csv(io.BytesIO(data))
    assert back["Tổ dân phố"].to_list() == [
        "Tổ dân phố số 1",
        "'" + FORMULA_NAME,
        "'+84 912",
        "'-x",
        "'@SUM(A1)",
        "'\tTab",
        "bình thường",
    ]
    assert back["Điểm"].to_list() == frame["Điểm"].to_list()


def test_csv_of_a_report_table_round_trips(data):
    back = pl.read_csv(io.BytesIO(reports.csv_bytes(data.league)))
    assert back.columns == data.league.columns
    assert back["group_name"].to_list() == [
        reports.neutralise(name) for name in data.league["group_name"].to_list()
    ]


# -- the ward's identity in every export (issue 13, item 1) ----------------------------------------


def test_every_excel_table_ends_with_the_ward_code_and_the_summary_names_the_ward(data):
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(data)))
    summary = {row[0].value: row[1].value for row in book["Tổng hợp"].iter_rows(min_row=8) if row[0].value}
    assert summary["Phường"] == "Phường Lê Chân" and summary["Mã phường"] == "11383"
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        assert header[-1] == "Mã phường", sheet.title
        cells = {row[-1].value for row in sheet.iter_rows(min_row=2)}
        assert cells <= {"11383"} and (sheet.max_row == 1 or cells == {"11383"}), sheet.title


def test_another_ward_s_reports_carry_its_own_name_and_code(data):
    import dataclasses

    other = dataclasses.replace(data, ward_code="11311", ward_name="Phường Hồng Bàng")
    book = openpyxl.load_workbook(io.BytesIO(reports.to_xlsx(other)))
    assert book["Tổng hợp"]["A1"].value == "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG"
    assert {row[-1].value for row in book.worksheets[1].iter_rows(min_row=2)} == {"11311"}
    text = pdf_text(reports.to_pdf(other))
    assert "PHƯỜNG HỒNG BÀNG" in text and "Hồng Bàng, ngày 29 tháng 11 năm 2026" in text
    # Lê Chân stays only where the data says it (the fixture's unit «Công an phường Lê Chân»).
    assert "LÊ CHÂN" not in text and "Lê Chân, ngày" not in text and "UBND phường Lê Chân" not in text
    from services.reports import onepage

    assert "PHƯỜNG HỒNG BÀNG" in pdf_text(onepage.to_pdf(other))


def test_a_table_s_csv_download_ends_with_the_ward_code(home):
    from dashboard import tables

    frame = pl.DataFrame({"group_code": ["TDP01", "TDP02"], "score": [81.5, 62.0]})
    content = reports.csv_bytes(tables._downloadable(tables.with_ward(frame), True, {}))
    rows = pl.read_csv(content[len(reports.BOM) :], infer_schema=False)
    assert rows.columns[-1] == "Mã phường" and rows["Mã phường"].to_list() == ["11383", "11383"]
    # A frame that carries the column (a view's rows) keeps its own, moved last, never twice.
    shown = tables.with_ward(
        frame.with_columns(pl.lit("11383").alias("ward_code")).select("ward_code", "score")
    )
    assert shown.columns == ["score", "ward_code"]
