"""Issue 12, item 5: a front of the plan added by the ward from declaration files alone, no code.

The ward's analyst adds the feed (`dothixanh feeds add`), puts its indicator declaration in the
ward's folder, lets the unit send it (units list), downloads the template, fills it, sends it; the
indicator is then in `indicator_values` with the hand-worked numbers, and on the dashboard.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

from pipelines.ingest import save_reference_lists
from services import cli

ROOT = Path(__file__).resolve().parents[2]
FRONT = ROOT / "tests" / "fixtures" / "ward_feed"
INDICATOR = "civilised_streets_met_share"


def _cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_front_declared_in_files_alone_reaches_the_indicators_and_the_dashboard(
    warehouse, monkeypatch, capsys, query, tmp_path
):
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    code, out, err = _cli(capsys, "feeds", "add", str(FRONT / "civilised_streets.toml"))
    assert code == 0, err
    (warehouse.home / "indicators").mkdir(exist_ok=True)
    shutil.copy(FRONT / "civilised_streets_indicators.toml", warehouse.home / "indicators")
    code, out, err = _cli(capsys, "indicators", "check")
    assert code == 0, err
    # The Youth Union (DTN) joins the units list, sending the new feed.
    units = (ROOT / "tests/fixtures/ward/units.csv").read_text(encoding="utf-8-sig").splitlines()
    units.append("DTN,Đoàn Thanh niên phường,civilised_streets")
    save_reference_lists(
        warehouse,
        ((ROOT / "tests/fixtures/ward/groups.csv").read_bytes(), "groups.csv"),
        (("\n".join(units) + "\n").encode("utf-8"), "units.csv"),
        valid_from=dt.date(2026, 10, 1),  # the list the October file is checked against
    )

    template = tmp_path / "mau.csv"
    code, _, err = _cli(capsys, "template", "--feed", "civilised_streets", "--output", str(template))
    assert code == 0, err
    header = template.read_text(encoding="utf-8-sig").splitlines()[0]
    filled = tmp_path / "tuyen-pho-10-2026.csv"
    filled.write_text(
        "\n".join(
            [
                header,
                "TP-1,DTN,05/10/2026,TDP01,Tô Hiệu,Tuyến phố văn minh,Đạt,40,",
                "TP-2,DTN,12/10/2026,TDP01,Cầu Đất,Tuyến đường thanh niên tự quản,Đạt,20,",
                "TP-3,DTN,19/10/2026,TDP02,Lạch Tray,Tuyến phố văn minh,Chưa đạt,30,Vỉa hè lấn chiếm",
                "TP-4,DTN,26/10/2026,TDP02,Lạch Tray,Tuyến phố văn minh,Đạt,30,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = _cli(
        capsys,
        "ingest",
        str(filled),
        "--feed",
        "civilised_streets",
        "--unit",
        "DTN",
        "--json",
    )
    assert code == 0, err + out
    assert json.loads(out)["status"] == "loaded"

    values = {
        (r["scope"], r["group_code"]): r["value"]
        for r in query(
            warehouse,
            "SELECT scope, group_code, value FROM indicator_values WHERE indicator_id = ? AND period_key = '2026-10'",
            [INDICATOR],
        )
    }
    # TDP01: 2 of 2 met; TDP02: 1 of 2; the ward: 3 of 4 (its totals, not the mean of the groups).
    assert values[("group", "TDP01")] == 100
    assert values[("group", "TDP02")] == 50
    assert values[("ward", None)] == 75
    weight = query(warehouse, "SELECT weight FROM marts.indicators WHERE indicator_id = ?", [INDICATOR])
    assert weight == [{"weight": 0}]  # in the league only once the ward gives it a weight

    # Each figure traces to exactly the lines of the file it counts (indicator_contributions).
    traced = query(
        warehouse,
        "SELECT c.part, c.record_id, c.source_line, u.file_name FROM indicator_contributions AS c "
        "JOIN uploads AS u USING (upload_id) WHERE c.indicator_id = ? AND c.period_key = '2026-10' "
        "AND c.scope = 'group' AND c.group_code = 'TDP02' ORDER BY c.part DESC, c.record_id",
        [INDICATOR],
    )
    assert [tuple(r.values()) for r in traced] == [
        ("numerator", "TP-4", 5, "tuyen-pho-10-2026.csv"),
        ("denominator", "TP-3", 4, "tuyen-pho-10-2026.csv"),
        ("denominator", "TP-4", 5, "tuyen-pho-10-2026.csv"),
    ]

    sys.path.insert(0, str(ROOT / "tests" / "dashboard"))
    from dash_app import open_app

    # Run once first: before its first run AppTest finds a page by file name, not by its address, and
    # this test then read the overview instead of the indicator's page.
    at = open_app(warehouse.home, monkeypatch, role="leader", indicator=INDICATOR, period="2026-10").run()
    at.switch_page("views/indicator.py").run()
    assert at.title[0].value == "Một chỉ tiêu, mọi tổ"
    assert not at.exception, at.exception
    shown = "\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader])
    assert "Tỷ lệ lượt đánh giá tuyến phố đạt tiêu chí văn minh" in shown
    assert "75" in shown  # the ward's figure
