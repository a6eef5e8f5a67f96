"""Great Expectations suites, generated from the feed contracts and stored as JSON.

`build_suite(contract)` is the derivation; `expectations/suites/<name>.json` is
its stored copy (regenerate with `dothixanh expectations --write`; a test fails
when a stored suite is out of date). Values known only at run time (the ward's
group codes, the uploading unit, today's date) are suite parameters, so one
stored suite serves every ward. Dates are compared as yyyymmdd integers (see
pipelines/validation.py): GX's pandas `between` refuses strings mixed with nulls.
"""

from __future__ import annotations

import json
from pathlib import Path

from kernel import contracts as c

SUITES_DIR = Path(__file__).parent / "suites"
WARD_SUITES = "suites"  # a ward's own feeds: DOTHIXANH_HOME/feeds/suites/<name>.json
GROUP_HOUSEHOLDS = "_group_households"


def date_number(value) -> int:
    """A date as the yyyymmdd integer the suites compare."""
    return value.year * 10000 + value.month * 100 + value.day


def _expectation(type_: str, rule: str, meta_column: str, other: str | None = None, **kwargs) -> dict:
    meta = {"rule": rule, "column": meta_column}
    if other:
        meta["other"] = other
    return {"type": type_, "kwargs": kwargs, "meta": meta}


def build_suite(contract: c.Contract, feeds=None) -> dict:
    """The suite of one contract, as the JSON-ready dict stored under expectations/suites/.

    `feeds`: the feed names a units list may name (default: the built-in and the ward's feeds).
    """
    items: list[dict] = []
    for col in contract.columns:
        if col.required:
            items.append(
                _expectation("expect_column_values_to_not_be_null", "required", col.name, column=col.name)
            )
        if col.type == c.ENUM:
            items.append(
                _expectation(
                    "expect_column_values_to_be_in_set",
                    "enum",
                    col.name,
                    column=col.name,
                    value_set=[choice.code for choice in col.choices],
                )
            )
        if col.type == c.DATE:
            items.append(
                _expectation(
                    "expect_column_values_to_be_between",
                    "date_range",
                    col.name,
                    column=col.name,
                    min_value=date_number(contract.earliest_date),
                    **({} if contract.future_dates else {"max_value": {"$PARAMETER": "today"}}),
                )
            )
        if col.minimum is not None:
            items.append(
                _expectation(
                    "expect_column_values_to_be_between",
                    "minimum",
                    col.name,
                    column=col.name,
                    min_value=col.minimum,
                )
            )
        if col.type == c.FEED_LIST:
            names = "|".join(c.FEEDS if feeds is None else feeds)
            items.append(
                _expectation(
                    "expect_column_values_to_match_regex",
                    "feed_list",
                    col.name,
                    column=col.name,
                    regex=f"^({names})(;({names}))*$",
                )
            )
    for rule in contract.rules:
        items.append(_rule_expectation(rule))
    return {
        "name": contract.name,
        "expectations": items,
        "meta": {
            "generated_from": f"kernel/contracts.py:{contract.name}"
            if contract.source == c.BUILT_IN
            else f"feeds/{contract.name}.toml",
            "contract_version": contract.version,
            "parameters": _parameters(contract),
        },
    }


def _parameters(contract: c.Contract) -> list[str]:
    params = []
    if not contract.future_dates and any(col.type == c.DATE for col in contract.columns):
        params.append("today")
    kinds = {r.kind for r in contract.rules}
    if c.KNOWN_GROUP in kinds:
        params.append("group_codes")
    if c.UPLOADING_UNIT in kinds:
        params.append("unit_codes")
    return params


def _at_least(rule: c.Rule, column_a: str, column_b: str, other: str) -> dict:
    """column_a >= column_b on every row where both are given."""
    return _expectation(
        "expect_column_pair_values_a_to_be_greater_than_b",
        rule.kind,
        rule.column,
        other=other,
        column_A=column_a,
        column_B=column_b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def _in_set(rule: c.Rule, value_set, other: str | None = None, **condition) -> dict:
    """The rule's column within `value_set` (on the rows `condition` selects, if any)."""
    return _expectation(
        "expect_column_values_to_be_in_set",
        rule.kind,
        rule.column,
        other=other,
        column=rule.column,
        value_set=value_set,
        **condition,
    )


def _rule_expectation(rule: c.Rule) -> dict:
    if rule.kind == c.REQUIRED_WHEN:
        return _expectation(
            "expect_column_values_to_not_be_null",
            rule.kind,
            rule.column,
            other=rule.when_column,
            column=rule.column,
            row_condition=f'{rule.when_column}=="{rule.when_value}"',
            condition_parser="pandas",
        )
    if rule.kind == c.ZERO_UNLESS:
        condition = f'{rule.when_column}!="{rule.when_value}"'
        return _in_set(rule, [0], rule.when_column, row_condition=condition, condition_parser="pandas")
    if rule.kind in (c.NOT_BEFORE, c.AT_LEAST_COLUMN):
        return _at_least(rule, rule.column, rule.other, rule.other)
    if rule.kind == c.NOT_MORE_THAN:
        return _at_least(rule, rule.other, rule.column, rule.other)
    if rule.kind == c.NOT_MORE_THAN_GROUP_HOUSEHOLDS:
        return _at_least(rule, GROUP_HOUSEHOLDS, rule.column, GROUP_HOUSEHOLDS)
    if rule.kind == c.KNOWN_GROUP:
        return _in_set(rule, {"$PARAMETER": "group_codes"})
    if rule.kind == c.UPLOADING_UNIT:
        return _in_set(rule, {"$PARAMETER": "unit_codes"})
    raise ValueError(f"unknown rule kind {rule.kind}")


def suite_path(name: str) -> Path:
    """Where a contract's suite is stored: in the package, or in the ward's home for its own feeds."""
    contract = c.ALL_CONTRACTS.get(name)
    if contract is not None and contract.source == c.WARD:
        return c.ward_feeds_dir() / WARD_SUITES / f"{name}.json"
    return SUITES_DIR / f"{name}.json"


def render(suite: dict) -> str:
    return json.dumps(suite, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load_suite(name: str) -> dict:
    """The stored suite of a contract (a ward's units list may also name the ward's own feeds)."""
    if name == c.UNITS.name and c.ward_feeds():
        return build_suite(c.UNITS)
    path = suite_path(name)
    if not path.exists() and name in c.ward_feeds():  # declaration copied by hand: derive it
        return build_suite(c.ward_feeds()[name])
    return json.loads(path.read_text(encoding="utf-8"))


def suite_version(name: str) -> str:
    """Empty for a shipped suite; for one derived from the ward's own feeds, a mark that changes with them."""
    if name == c.UNITS.name:
        ward = c.ward_feeds()
        return "@" + "|".join(ward) if ward else ""
    contract = c.ward_feeds().get(name)
    if contract is None:
        return ""
    path = suite_path(name)
    return f"@{path.stat().st_mtime_ns}" if path.exists() else f"@{hash(contract)}"


def write_ward_suite(contract: c.Contract, home: Path) -> Path:
    """Generate and store the suite of a ward's own feed under its home."""
    path = c.ward_feeds_dir(home) / WARD_SUITES / f"{contract.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(build_suite(contract)), encoding="utf-8")
    return path


def write_all() -> list[Path]:
    """Regenerate every stored suite from the contracts; return the paths written."""
    SUITES_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for contract in c.BUILTIN_CONTRACTS.values():
        path = SUITES_DIR / f"{contract.name}.json"
        path.write_text(render(build_suite(contract, c.BUILTIN_FEEDS)), encoding="utf-8")
        written.append(path)
    return written


def stale_suites() -> list[str]:
    """Names of contracts whose stored suite differs from what the contract generates."""
    stale = []
    for contract in c.BUILTIN_CONTRACTS.values():
        path = SUITES_DIR / f"{contract.name}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(
            build_suite(contract, c.BUILTIN_FEEDS)
        ):
            stale.append(contract.name)
    return stale
