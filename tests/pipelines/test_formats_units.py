"""One way to write a share, a value with its unit and a target (issue 10, item 8)."""

from kernel.formats import percent, target, with_unit


def test_percent_has_no_space_and_a_missing_share_is_a_dash():
    assert percent(76.6) == "76,6%"
    assert percent(97.56) == "97,6%"
    assert percent(None) == "—"  # not "—%"


def test_value_with_unit():
    assert with_unit(72.2, "%") == "72,2%"
    assert with_unit(9, "vụ/1.000 dân") == "9 vụ/1.000 dân"
    assert with_unit(1234.4, "kg") == "1.234 kg"
    assert with_unit(None, "%") == "—"


def test_a_count_target_is_a_whole_number():
    assert target(565.5, "count") == "566"
    assert target(14.1, "count") == "14"
    assert target(94.2, "count", lang="en") == "94"
    assert target(80, "ratio") == "80"
    assert target(5.4, "median") == "5,4"
