"""The stored Great Expectations suites are the contracts' derivation, complete and up to date."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from expectations import suites
from kernel import contracts as c
from pipelines.messages import RULE_LABELS_VI, RULE_ORDER

CONTRACTS = list(c.ALL_CONTRACTS.values())
IDS = [contract.name for contract in CONTRACTS]


def expected_checks(contract: c.Contract) -> dict[tuple[str, str], dict]:
    """(rule, column) → the expectation kwargs every contract promise must turn into."""
    checks: dict[tuple[str, str], dict] = {}
    for col in contract.columns:
        if col.required:
            checks["required", col.name] = {"column": col.name}
        if col.type == c.ENUM:
            checks["enum", col.name] = {"column": col.name, "value_set": [ch.code for ch in col.choices]}
        if col.type == c.DATE:
            checks["date_range", col.name] = {
                "column": col.name,
                "min_value": suites.date_number(c.EARLIEST_DATE),
                "max_value": {"$PARAMETER": "today"},
            }
        if col.minimum is not None:
            checks["minimum", col.name] = {"column": col.name, "min_value": col.minimum}
        if col.type == c.FEED_LIST:
            checks["feed_list", col.name] = {"column": col.name}
    for rule in contract.rules:
        checks[rule.kind, rule.column] = {}
    return checks


def missing_checks(contract: c.Contract, suite: dict) -> list[tuple[str, str]]:
    """Contract promises with no expectation (matched by meta rule/column and kwargs) in the suite."""
    missing = []
    for (rule, column), kwargs in expected_checks(contract).items():
        found = [
            item
            for item in suite["expectations"]
            if item["meta"]["rule"] == rule
            and item["meta"]["column"] == column
            and all(item["kwargs"].get(k) == v for k, v in kwargs.items())
        ]
        if len(found) != 1:
            missing.append((rule, column))
    return missing


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_stored_suite_equals_what_the_contract_generates(contract):
    path = suites.suite_path(contract.name)
    assert path.exists(), f"{path} missing: run `dothixanh expectations --write`"
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == suites.build_suite(contract), (
        f"{path.name} is out of date with kernel/contracts.py: run `dothixanh expectations --write`"
    )
    assert path.read_text(encoding="utf-8") == suites.render(suites.build_suite(contract))


def test_no_stored_suite_is_stale_and_none_is_orphaned():
    assert suites.stale_suites() == []
    stored = {path.stem for path in suites.SUITES_DIR.glob("*.json")}
    assert stored == set(c.ALL_CONTRACTS)


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_every_contract_promise_is_an_expectation_of_its_stored_suite(contract):
    suite = suites.load_suite(contract.name)
    assert missing_checks(contract, suite) == []
    # Nothing in the suite that the contract does not ask for.
    assert {(i["meta"]["rule"], i["meta"]["column"]) for i in suite["expectations"]} == set(
        expected_checks(contract)
    )


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_cross_column_rules_compare_the_right_columns(contract):
    by_rule = {
        (i["meta"]["rule"], i["meta"]["column"]): i for i in suites.load_suite(contract.name)["expectations"]
    }
    for rule in contract.rules:
        item = by_rule[rule.kind, rule.column]
        kwargs = item["kwargs"]
        if rule.kind in (c.NOT_BEFORE, c.AT_LEAST_COLUMN):  # column >= other
            assert (kwargs["column_A"], kwargs["column_B"], kwargs["or_equal"]) == (
                rule.column,
                rule.other,
                True,
            )
        elif rule.kind == c.NOT_MORE_THAN:  # other >= column
            assert (kwargs["column_A"], kwargs["column_B"], kwargs["or_equal"]) == (
                rule.other,
                rule.column,
                True,
            )
        elif rule.kind == c.NOT_MORE_THAN_GROUP_HOUSEHOLDS:
            assert (kwargs["column_A"], kwargs["column_B"]) == (suites.GROUP_HOUSEHOLDS, rule.column)
        elif rule.kind == c.REQUIRED_WHEN:
            assert item["type"] == "expect_column_values_to_not_be_null"
            assert kwargs["row_condition"] == f'{rule.when_column}=="{rule.when_value}"'
        elif rule.kind == c.ZERO_UNLESS:
            assert kwargs["value_set"] == [0]
            assert kwargs["row_condition"] == f'{rule.when_column}!="{rule.when_value}"'
        elif rule.kind == c.KNOWN_GROUP:
            assert kwargs["value_set"] == {"$PARAMETER": "group_codes"}
        elif rule.kind == c.UPLOADING_UNIT:
            assert kwargs["value_set"] == {"$PARAMETER": "unit_codes"}
        else:
            pytest.fail(f"rule kind {rule.kind} has no check here")


def test_every_rule_kind_has_a_vietnamese_message_and_a_rank():
    kinds = {rule.kind for contract in CONTRACTS for rule in contract.rules}
    kinds |= {"required", "enum", "date_range", "minimum", "feed_list", "duplicate_key"}
    kinds |= {f"type_{t}" for t in (c.DATE, c.INTEGER, c.DECIMAL)}
    assert kinds <= set(RULE_ORDER)
    assert kinds <= set(RULE_LABELS_VI)


# -- the checks above really catch a suite that lost a rule -------------------------------------


@pytest.mark.parametrize("contract", [c.VIOLATIONS, c.LIGHTING_REPAIRS, c.GROUPS], ids=lambda ct: ct.name)
def test_a_suite_missing_any_one_rule_is_caught(contract):
    suite = suites.load_suite(contract.name)
    for position, item in enumerate(suite["expectations"]):
        damaged = copy.deepcopy(suite)
        del damaged["expectations"][position]
        assert missing_checks(contract, damaged) == [(item["meta"]["rule"], item["meta"]["column"])]


def test_a_new_contract_rule_makes_the_stored_suite_stale():
    extended = dataclasses.replace(
        c.CLEANUPS, rules=(*c.CLEANUPS.rules, c.Rule(c.NOT_MORE_THAN, "trees_planted", other="participants"))
    )
    assert suites.build_suite(extended) != suites.load_suite("cleanups")
    assert missing_checks(extended, suites.load_suite("cleanups")) == [(c.NOT_MORE_THAN, "trees_planted")]
