"""Feeds declared as data: the built-in declarations, refused declarations, and a ward's own feed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kernel import contracts as c
from kernel.feed_format import DeclarationError, parse_declaration, read_declaration
from pipelines import templates
from pipelines.ingest import ingest, save_reference_lists
from services import cli
from services.ward_feeds import FeedNotAllowed, add_feed

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "advertising_removals.toml"
TODAY = dt.date(2026, 11, 29)
UNITS = (
    "unit_code,unit_name,feeds\n"
    "CAP,Công an phường Lê Chân,violations\n"
    "MTDT,Ủy ban MTTQ phường,cleanups;sorting_inspections\n"
    "TTBT,Đội quản lý trật tự đô thị - chiếu sáng,lighting_repairs\n"
    "DTN,Đoàn Thanh niên phường,advertising_removals\n"
)


# The plan's other fronts, in the order the built-ins list them.
FRONTS = (
    "cultural_evaluations street_models ad_removals infrastructure_works safety_inspections propaganda_events"
)
FRONTS = tuple(FRONTS.split())


def test_the_built_in_feeds_and_the_two_lists_are_read_from_their_declarations():
    assert list(c.BUILTIN_FEEDS) == [
        "violations",
        "cleanups",
        "sorting_inspections",
        "lighting_repairs",
        *FRONTS,
    ]
    assert list(c.REFERENCES) == ["groups", "units"]
    for name, contract in c.BUILTIN_CONTRACTS.items():
        assert read_declaration(c.BUILTIN_DIR / f"{name}.toml", source=c.BUILT_IN) == contract
        assert contract.source == c.BUILT_IN
    fine = c.VIOLATIONS.column("fine_vnd")
    assert (fine.type, fine.minimum, fine.label_vi) == (c.INTEGER, 0, "Số tiền phạt")
    assert c.Rule(c.REQUIRED_WHEN, "fine_vnd", when_column="action", when_value="fine") in c.VIOLATIONS.rules


def test_feeds_list_json_shows_the_plans_fronts_each_with_its_plan_section(ward, capsys):
    code, out, err = _cli(capsys, "feeds", "list", "--format", "json")
    assert code == 0, err
    listed = {row["name"]: row for row in json.loads(out)}
    assert len(listed) >= 10
    assert set(FRONTS) <= set(listed)
    assert listed["cultural_evaluations"]["label_vi"] == "Bình xét gia đình văn hóa, tổ dân phố văn hóa"
    assert {listed[name]["source"] for name in FRONTS} == {"built-in"}
    for name in FRONTS:  # every front says which part of the ward's plan it serves
        assert c.BUILTIN_FEEDS[name].plan_section.startswith(("II.", "III.")), name
    infrastructure = c.BUILTIN_FEEDS["infrastructure_works"].column("kind")
    assert [ch.code for ch in infrastructure.choices] == [
        "cable_bundling",
        "drainage",
        "tree_pruning",
        "signs",
        "new_lights",
    ]


def _minimal(**changes) -> str:
    """A small valid declaration as TOML text, with some top-level lines replaced."""
    lines = {
        "name": '"street_status"',
        "label_vi": '"Tuyến phố văn minh"',
        "label_en": '"Civilised streets"',
        "description": '"Mỗi dòng là một lần đánh giá một tuyến phố."',
        "key": '["unit_code", "check_id"]',
        "date_column": '"checked_on"',
    }
    lines.update(changes)
    head = "\n".join(f"{k} = {v}" for k, v in lines.items() if v is not None)
    return head + (
        '\n[[columns]]\nname = "check_id"\nlabel_vi = "Mã đánh giá"\nlabel_en = "Check id"\ntype = "text"\n'
        "required = true\n"
        '[[columns]]\nname = "unit_code"\nlabel_vi = "Mã đơn vị"\nlabel_en = "Unit"\ntype = "text"\n'
        "required = true\n"
        '[[columns]]\nname = "group_code"\nlabel_vi = "Mã tổ dân phố"\nlabel_en = "Group"\ntype = "text"\n'
        "required = true\n"
        '[[columns]]\nname = "checked_on"\nlabel_vi = "Ngày đánh giá"\nlabel_en = "Date"\ntype = "date"\n'
        "required = true\n"
        '[[columns]]\nname = "status"\nlabel_vi = "Kết quả"\nlabel_en = "Status"\ntype = "enum"\n'
        'choices = [{ code = "met", label_vi = "Đạt", label_en = "Met" }]\n'
        '[[rules]]\nkind = "uploading_unit"\ncolumn = "unit_code"\n'
        '[[rules]]\nkind = "known_group"\ncolumn = "group_code"\n'
    )


def test_a_small_declaration_is_accepted():
    contract = parse_declaration(_minimal(), "feeds/street_status.toml")
    assert contract.name == "street_status"
    assert contract.source == c.WARD
    assert contract.column("status").choices[0].label_vi == "Đạt"


def _refusal(text: str) -> str:
    with pytest.raises(DeclarationError) as caught:
        parse_declaration(text, "feeds/x.toml")
    return "\n".join(caught.value.errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            _minimal().replace('type = "date"', 'type = "ngayy"'),
            "feeds/x.toml: cột «checked_on» có kiểu «ngayy» không hợp lệ; kiểu hợp lệ: text, date,",
        ),
        (
            _minimal() + '[[rules]]\nkind = "lon_hon"\ncolumn = "check_id"\n',
            "feeds/x.toml: quy tắc thứ 3 có loại «lon_hon» không hợp lệ; loại hợp lệ: required_when,",
        ),
        (_minimal(colour='"xanh"'), "feeds/x.toml: khai báo: khóa «colour» không được hỗ trợ"),
        (_minimal(key='["unit_code", "ma"]'), "khóa «key» nêu cột «ma» không có trong các cột"),
        (_minimal(name='"Tuyến phố"'), "tên chuẩn (khóa «name») «Tuyến phố» không hợp lệ"),
        (_minimal(date_column='"status"'), "khóa «date_column»: cột «status» có kiểu «enum»; phải là «date»"),
        (_minimal(label_vi=None), "feeds/x.toml: khai báo thiếu khóa «label_vi»."),
        (_minimal().replace("choices = [", "#"), "cột «status» có kiểu «enum» nhưng thiếu danh mục"),
        (
            _minimal()
            + '[[rules]]\nkind = "required_when"\ncolumn = "check_id"\nwhen_column = "status"\nwhen_value = "dat"\n',
            "khóa «when_value» có giá trị «dat» không có trong danh mục của «status»; mã hợp lệ: met.",
        ),
        (_minimal(version='"một"'), "khóa «version» phải là một số nguyên, đang là «một»"),
        (
            _minimal().replace('name = "group_code"', 'name = "to_dan_pho"'),
            "thiếu cột «group_code» (mã tổ dân phố)",
        ),
        ('name = "x"\nlabel_vi = "X\n', "feeds/x.toml: sai cú pháp TOML ở dòng 2, cột"),
    ],
    ids=[
        "column-type",
        "rule-kind",
        "unknown-key",
        "key-column",
        "name",
        "date-column",
        "missing-label",
        "enum-without-choices",
        "when-value",
        "version",
        "no-group",
        "toml-syntax",
    ],
)
def test_a_bad_declaration_is_refused_naming_the_key_and_the_value(text, expected):
    assert expected in _refusal(text)


@pytest.fixture
def ward(warehouse, monkeypatch):
    """The fixture ward in use as DOTHIXANH_HOME (the ward's own feeds are read from there)."""
    monkeypatch.setenv("DOTHIXANH_HOME", str(warehouse.home))
    return warehouse


def _cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_ward_adds_its_own_feed_lists_it_and_loads_a_filled_template(ward, capsys, query, tmp_path):
    code, out, err = _cli(capsys, "feeds", "add", str(EXAMPLE))
    assert code == 0, err
    assert "Đã thêm loại dữ liệu «Xóa quảng cáo, rao vặt trái quy định» (advertising_removals)" in out
    assert (ward.home / "feeds" / "advertising_removals.toml").read_bytes() == EXAMPLE.read_bytes()
    assert (ward.home / "feeds" / "suites" / "advertising_removals.json").exists()

    code, out, _ = _cli(capsys, "feeds", "list", "--format", "json")
    listed = {row["name"]: row for row in json.loads(out)}
    assert listed["advertising_removals"]["source"] == "ward"
    assert listed["advertising_removals"]["label_vi"] == "Xóa quảng cáo, rao vặt trái quy định"
    assert listed["violations"]["source"] == "built-in"
    code, out, _ = _cli(capsys, "feeds", "list")
    assert "advertising_removals" in out and "của phường" in out

    template = tmp_path / "mau.csv"
    code, _, err = _cli(capsys, "template", "--feed", "advertising_removals", "--output", str(template))
    assert code == 0, err
    header, example = template.read_text(encoding="utf-8-sig").splitlines()
    assert header.startswith("Mã đợt xóa (removal_id),Mã đơn vị (unit_code),Ngày thực hiện (removed_on)")
    assert "Bờ tường" in example  # the example row shows the label a clerk writes

    save_reference_lists(
        ward,
        ((ROOT / "tests/fixtures/ward/groups.csv").read_bytes(), "groups.csv"),
        (UNITS.encode(), "units.csv"),
        valid_from=dt.date(2026, 11, 1),  # the list applies to the records' months, whatever the real date
    )
    filled = [
        header,
        "QC-1,DTN,14/11/2026,TDP01,Bờ tường,35,4,3,Tô Hiệu,",
        "QC-2,DTN,20/11/2026,TDP02,Cột điện,12,2,5,,",  # more cut off than reported
        "QC-3,DTN,21/11/2026,TDP01,gốc cây,7,,,,",
    ]
    data = ("\n".join(filled) + "\n").encode("utf-8")
    result = ingest(ward, data, feed="advertising_removals", unit_code="DTN", file_name="qc.csv", today=TODAY)
    assert (result.rows_accepted, result.rows_rejected) == (2, 1), result.reason
    assert "lớn hơn «Số thuê bao đề nghị cắt»" in result.errors["message"][0]
    rows = query(ward, "SELECT removal_id, surface, items_removed FROM advertising_removals ORDER BY 1")
    assert rows == [
        {"removal_id": "QC-1", "surface": "wall", "items_removed": 35},
        {"removal_id": "QC-3", "surface": "tree", "items_removed": 7},
    ]
    comment = query(ward, "SELECT comment FROM duckdb_views() WHERE view_name = 'advertising_removals'")
    assert comment[0]["comment"].startswith("Xóa quảng cáo, rao vặt trái quy định:")

    code, _, err = _cli(capsys, "feeds", "add", str(EXAMPLE))
    assert code == 1
    assert "phường đã có loại dữ liệu tên «advertising_removals»" in err


def test_a_ward_feed_may_not_take_a_built_in_name_and_only_an_admin_adds(ward, capsys, tmp_path):
    clash = tmp_path / "vi_pham.toml"
    clash.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"advertising_removals"', '"violations"', 1))
    code, _, err = _cli(capsys, "feeds", "check", str(clash))
    assert code == 1
    assert "tên «violations» trùng với loại dữ liệu có sẵn «Vi phạm»" in err
    with pytest.raises(FeedNotAllowed, match="Chỉ quản trị viên"):
        add_feed(EXAMPLE.read_bytes(), EXAMPLE.name, home=ward.home, by="cap", role="unit")
    assert "advertising_removals" not in c.FEEDS


def test_feeds_check_reports_a_broken_declaration_left_in_the_ward_folder(ward, capsys):
    code, out, _ = _cli(capsys, "feeds", "check")
    assert code == 0 and "đều hợp lệ (0 loại dữ liệu)" in out
    folder = ward.home / "feeds"
    folder.mkdir()
    (folder / "hong.toml").write_text(_minimal().replace('type = "date"', 'type = "ngayy"'), encoding="utf-8")
    code, _, err = _cli(capsys, "feeds", "check")
    assert code == 1
    assert "feeds/hong.toml: cột «checked_on» có kiểu «ngayy» không hợp lệ" in err
    assert "street_status" not in c.FEEDS  # a broken declaration is left out, never half used


def test_a_feed_declared_in_a_fixture_file_alone_is_added_filled_and_loaded(ward, query):
    """Issue 12, item 5 (the feed half): declaration → add → template → fill → ingest → its view."""
    declaration = ROOT / "tests" / "fixtures" / "ward_feed" / "civilised_streets.toml"
    added = add_feed(declaration.read_bytes(), declaration.name, home=ward.home, by="quantri", role="admin")
    contract = added.contract
    header = templates.template_csv(contract).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã đánh giá (check_id),Mã đơn vị (unit_code),Ngày đánh giá (checked_on)")
    save_reference_lists(
        ward,
        ((ROOT / "tests/fixtures/ward/groups.csv").read_bytes(), "groups.csv"),
        (UNITS.replace("advertising_removals", "civilised_streets").encode(), "units.csv"),
        valid_from=dt.date(2026, 6, 1),  # the list applies to the records' months, whatever the real date
    )
    rows = [
        "TP-1,DTN,30/06/2026,TDP01,Tô Hiệu,Tuyến phố văn minh,Đạt,40,",
        "TP-2,DTN,30/06/2026,TDP02,Cầu Đất,youth_self_managed,Chưa đạt,20,",  # no reason given
        "TP-3,DTN,30/06/2026,TDP02,Lạch Tray,Tuyến phố văn minh,Chưa đạt,5000,Vỉa hè lấn chiếm",  # > households
        "TP-4,DTN,01/07/2026,TDP02,Lạch Tray,Tuyến phố văn minh,Chưa đạt,30,Vỉa hè lấn chiếm",
    ]
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8")
    result = ingest(ward, data, feed="civilised_streets", unit_code="DTN", file_name="tp.csv", today=TODAY)
    assert (result.rows_accepted, result.rows_rejected) == (2, 2), result.reason
    assert query(ward, "SELECT check_id, kind, status FROM civilised_streets ORDER BY 1") == [
        {"check_id": "TP-1", "kind": "civilised_street", "status": "met"},
        {"check_id": "TP-4", "kind": "civilised_street", "status": "not_met"},
    ]


def test_senders_unit_codes_narrow_who_may_send_a_ward_feed(tmp_path, monkeypatch):
    from pipelines.ingest import check_unit
    from pipelines.messages import Reference
    from pipelines.reading import FileRefused

    monkeypatch.setenv("DOTHIXANH_HOME", str(tmp_path))
    (tmp_path / "feeds").mkdir()
    declared = _minimal() + '[senders]\nrule = "units_list"\nunit_codes = ["DTN"]\n'
    (tmp_path / "feeds" / "street_status.toml").write_text(declared, encoding="utf-8")
    both = ["street_status"]
    reference = Reference(units={"DTN": ("Đoàn Thanh niên", both), "CAP": ("Công an phường", both)})
    check_unit(reference, "street_status", "DTN")
    with pytest.raises(FileRefused, match="không được gửi loại dữ liệu «Tuyến phố văn minh»"):
        check_unit(reference, "street_status", "CAP")


def test_any_shape_of_declaration_is_refused_in_words_never_with_a_traceback():
    import tomllib

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kernel.feed_format import COLUMN_KEYS, RULE_KEYS, TOP_KEYS, _Checker

    scalars = st.one_of(
        st.text(max_size=8), st.integers(), st.booleans(), st.dates(), st.floats(allow_nan=False)
    )
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from([*COLUMN_KEYS, *RULE_KEYS, "code"]), inner, max_size=4)
        ),
        max_leaves=12,
    )
    docs = st.dictionaries(st.sampled_from(list(TOP_KEYS)), values, max_size=10)
    base = tomllib.loads(_minimal())

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(docs, st.booleans())
    def check(doc, over_valid):
        try:
            _Checker("feeds/x.toml", c.WARD).contract({**base, **doc} if over_valid else doc)
        except (
            TypeError,
            ValueError,
            AttributeError,
            KeyError,
        ) as exc:  # parse_declaration says these in words
            raise AssertionError(f"{doc!r}: {exc!r}") from exc

    check()
