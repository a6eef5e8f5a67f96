"""The feed document is derived from the contracts; a stale copy fails."""

from kernel import contracts as c
from pipelines import docs


def test_committed_feed_document_matches_the_contracts():
    assert not docs.is_stale(), "docs/feeds.md is out of date: run `dothixanh docs --write`"


def test_document_names_every_column_and_enum_value():
    text = docs.render()
    for contract in c.ALL_CONTRACTS.values():
        for col in contract.columns:
            assert f"`{col.name}`" in text and col.label_vi in text
            for choice in col.choices:
                assert f"`{choice.code}` — {choice.label_vi}" in text
