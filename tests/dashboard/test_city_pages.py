"""The city's view (issue 13 item 4) on the three-ward fixture city: the wards ranked with why, one
indicator across the wards (the city's count = the sum of its wards'), a ward down to its groups; only
city accounts open it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from dash_app import PATIENCE, app_session

from warehouse.accounts import User

CITY_APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "city" / "app.py")


def open_city(city: dict, monkeypatch, *, role: str | None = "city", **query_params):
    """The city app as `dothixanh city serve` runs it, signed in with an account of `role`."""
    monkeypatch.setenv("DOTHIXANH_HOME", str(city["marts"]))
    monkeypatch.setenv("DOTHIXANH_CITY", str(city["marts"]))
    monkeypatch.setenv("DOTHIXANH_CITY_STORE", str(city["store"]))
    return app_session(CITY_APP, role=role, **query_params)


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [e.value for e in at.info] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_the_wards_ranked_with_components_and_why(city_view, monkeypatch):
    at = open_city(city_view, monkeypatch, period="conference-2026").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = _text(at)
    assert "Bảng xếp hạng các phường" in text
    # Every ward, with one «Điểm …» column (0–100) per weighted indicator; none is ranked yet in the
    # fixture city (a clean-up report is missing everywhere), so all three stand with provisional scores.
    shown = at.dataframe[0].value
    assert set(shown["ward_name"]) == {"Phường Lê Chân", "Phường Hồng Bàng", "Phường Ngô Quyền"}
    assert any(c.startswith("Điểm ") for c in shown.columns)
    assert "Thiếu 1 báo cáo «Ra quân vệ sinh môi trường»" in text
    # Why this rank: plain sentences for the chosen ward.
    assert "Tóm tắt" in text and ("Điểm mạnh" in text and "Điểm yếu" in text)
    at.selectbox(key="city_why_ward").select("11311").run()
    assert not at.exception
    assert [m.value for m in at.metric][1] == "20"  # Hồng Bàng's provisional score, as 1.234,5
    components = at.dataframe[-1].value
    assert "city_raw_value" in components.columns and components.shape[0] == 7


def test_ranked_wards_in_rank_order_with_their_reasons(city_view, tmp_path, monkeypatch):
    from warehouse.city.refresh import refresh_city
    from warehouse.settings import load_settings

    # A city that ranks without waiting for every report due: the three wards are ranked.
    settings = tmp_path / "city.toml"
    settings.write_text('[league]\nrank_requires_reports = "none"\n', encoding="utf-8")
    marts = tmp_path / "marts"
    refresh_city(city_view["store"], marts, settings=load_settings(path=settings))
    at = open_city({**city_view, "marts": marts}, monkeypatch, period="conference-2026").run()
    assert not at.exception and not at.error
    league = at.dataframe[0].value
    assert list(league["rank"]) == ["1", "2", "3"]
    assert list(league["ward_name"]) == ["Phường Ngô Quyền", "Phường Lê Chân", "Phường Hồng Bàng"]
    assert "ward_code" not in league.columns  # the name says it; the CSV keeps the code
    # The reasons are one block of text; its first paragraph is the summary.
    paragraphs = [p for m in at.markdown for p in m.value.split("\n\n")]
    assert "**Tóm tắt:** Xếp thứ 1/3 với 61,6 điểm (xếp loại Khá)." in paragraphs


def test_one_indicator_across_the_wards_adds_up_to_the_city(city_view, monkeypatch):
    at = open_city(city_view, monkeypatch, indicator="cleanup_events", period="2026-10").run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = _text(at)
    table = pl.from_pandas(at.dataframe[0].value)
    assert set(table["_group"].to_list()) == {
        "Phường Hồng Bàng",
        "Phường Ngô Quyền",
        "Phường Lê Chân",
    }
    wards = sum(float(v) for v in table["Giá trị"].to_list())
    # The city's figure in the headline line equals the sum of its wards' (Ngô Quyền has two more).
    line = next(m.value for m in at.markdown if m.value.startswith("**Toàn thành phố:"))
    city = float(line.split(":")[1].split("·")[0].strip("* ").split()[0].replace(".", "").replace(",", "."))
    assert city == wards == 14
    assert "phường chưa đạt" in text
    assert at.query_params["indicator"] == "cleanup_events"  # kept in the address


def test_a_ward_opened_down_to_its_groups(city_view, monkeypatch):
    at = open_city(city_view, monkeypatch, ward="11341", indicator="cleanup_events", period="2026-10").run()
    at.switch_page("pages/ward.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Phường Ngô Quyền"
    indicators = at.dataframe[0].value
    assert "Số đợt ra quân vệ sinh môi trường" in set(indicators["pick_indicator"])
    # Its groups, as the ward published them: the three groups' clean-ups add up to the ward's 6.
    groups = pl.from_pandas(at.dataframe[1].value)
    assert sorted(g.split(" · ")[0] for g in groups["_group"].to_list()) == ["TDP01", "TDP02", "TDP03"]
    assert sum(float(v) for v in groups["Giá trị"].to_list()) == 6


PAGES = Path(CITY_APP).parent / "pages"


@pytest.mark.parametrize("role", ["leader", "admin", "analyst", "unit"])
def test_a_ward_account_opens_no_city_page(city_view, monkeypatch, role):
    # Through the app: no city page is even registered for it, only the refusal.
    at = open_city(city_view, monkeypatch, role=role, period="2026-10").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Trang này chỉ dành cho tài khoản của thành phố."]
    assert not at.dataframe and not at.metric and not at.selectbox
    # And each page checks the role itself, whoever runs it.
    for page in sorted(PAGES.glob("*.py")):
        at = open_city(city_view, monkeypatch, role=role)
        at = type(at).from_file(str(page), default_timeout=PATIENCE)
        at.session_state["user"] = User(f"test-{role}", role, None, None)
        at.run()
        assert not at.exception, page.name
        assert [e.value for e in at.error] == ["Trang này chỉ dành cho tài khoản của thành phố."], page.name
        assert not at.dataframe, page.name


def test_signed_out_sees_only_the_login(city_view, monkeypatch):
    at = open_city(city_view, monkeypatch, role=None).run()
    assert not at.exception
    # No table but the empty, hidden one that has the browser load a table's code (dashboard/preload.py).
    assert [list(d.value.columns) for d in at.dataframe] == [["·"]]
    assert at.text_input(key="login_username") is not None


def test_city_accounts_and_serve_from_the_command_line(city_view, tmp_path, monkeypatch, capsys):
    import io

    from services.cli import main
    from warehouse.accounts import Accounts

    folder = tmp_path / "city"
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-thanh-pho\n"))
    assert main(["city", "account", "add", "canbo.tk", "--city", str(folder), "--password-stdin"]) == 0
    assert "Đã thêm tài khoản thành phố «canbo.tk» (Cán bộ thành phố)" in capsys.readouterr().out
    assert Accounts(folder).login("canbo.tk", "mat-khau-thanh-pho").role == "city"
    assert main(["city", "account", "list", "--city", str(folder)]) == 0
    assert "canbo.tk" in capsys.readouterr().out
    # Serving a folder `city refresh` never wrote says what to run, in Vietnamese, and starts nothing.
    assert main(["city", "serve", "--city", str(folder), "--store", str(city_view["store"])]) == 2
    assert "dothixanh city refresh --store" in capsys.readouterr().err
    assert main(["city", "account", "remove", "canbo.tk", "--city", str(folder)]) == 0
    assert Accounts(folder).get("canbo.tk") is None


def test_why_a_ward_ranks_speaks_of_the_best_ward_not_the_best_group():
    """«What would lift it» names the peers that are ranked: wards in the city, groups in a ward."""
    import polars as pl

    from dashboard import standing

    components = pl.DataFrame(
        {
            "indicator_id": ["cleanup_events"],
            "indicator_name_vi": ["Số đợt ra quân vệ sinh môi trường"],
            "name_en": ["Cleanup events"],
            "status": ["scored"],
            "component_score": [70.0],
            "weight": [10.0],
            "raw_value": [629.0],
            "target": [500.0],
            "unit_vi": ["đợt"],
            "unit_en": ["events"],
        }
    )
    row = {"rank": 2, "score": 70.0, "tier": "Khá"}
    ward = standing.rank_reasons(row, components, 3, "vi", peers="ward")["lift"]
    group = standing.rank_reasons(row, components, 3, "vi")["lift"]
    assert ward.startswith("Bằng phường tốt nhất ở «Số đợt ra quân vệ sinh môi trường»"), ward
    assert group.startswith("Bằng tổ tốt nhất"), group
