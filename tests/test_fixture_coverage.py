"""Every built-in rule has fixtures: a passing and a failing case in each format its property exists in.

A rule added without fixtures fails here. Formats are the dialects of the format table
(`stagelint.decoders.FORMATS`); a rule narrows them with `FORMATS` in its module, saying why.
"""

from __future__ import annotations

import json

import pytest

from stagelint.decoders import FORMATS
from stagelint.registry import load_rules
from tests.conftest import FIXTURES

DIALECTS = tuple(sorted(dialect for input_format in FORMATS for dialect in input_format.dialects
                        if dialect != "cdk"))  # CDK output is CloudFormation JSON: cloudformation-json covers it
BUILTIN = [rule for rule in load_rules(use_cache=False).rules if rule.module.__name__.startswith("stagelint.rules.")]


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda rule: rule.id)
def test_rule_has_a_passing_and_a_failing_fixture_per_format(rule) -> None:  # type: ignore[no-untyped-def]
    formats = tuple(getattr(rule.module, "FORMATS", DIALECTS))
    assert set(formats) <= set(DIALECTS), f"{rule.id}: FORMATS names unknown formats"
    if not formats:
        return
    folder = FIXTURES / f"{rule.id}-{rule.name}"
    assert folder.is_dir(), f"{rule.id}: no fixtures/{folder.name}/"
    for dialect in formats:
        expected_file = folder / dialect / "expected.json"
        assert expected_file.is_file(), f"{rule.id}: no {dialect} fixtures ({expected_file} is missing)"
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        failing = [case for case, found in expected.items() if case.split("/")[0].startswith("fail")
                   and any(item["rule"] == rule.id for item in found)]
        passing = [case for case, found in expected.items() if case.split("/")[0].startswith("pass")]
        assert failing, f"{rule.id}/{dialect}: no failing case with a {rule.id} finding"
        assert passing and all(not expected[case] for case in passing), f"{rule.id}/{dialect}: no clean passing case"


def test_parse_errors_have_a_case_per_format() -> None:
    assert {"plain", "terraform", "cloudformation", "cloudformation-json"} <= {
        path.name for path in (FIXTURES / "_parse").iterdir() if path.is_dir()}
