"""The peer-tool mapping (`stagelint/data/peer_ids.json`) names real rules, and
`stagelint rules --format markdown` renders it (issue 10)."""

from __future__ import annotations

from stagelint.cli.catalogue import markdown_catalogue, peer_ids
from stagelint.registry import load_rules
from tests.conftest import run_cli

RULES = load_rules(use_cache=False)


def test_every_rule_id_in_the_mapping_is_a_real_rule_and_every_tool_a_column() -> None:
    tools, equivalents = peer_ids()
    assert tools[:5] == ("checkov", "KICS", "trivy", "cfn-lint", "cdk-nag")
    for rule_id, by_tool in equivalents.items():
        assert RULES.get(rule_id) is not None and RULES.get(rule_id).id == rule_id, f"{rule_id} is not a rule"  # type: ignore[union-attr]
        assert by_tool and set(by_tool) <= set(tools), f"{rule_id}: unknown tool in {sorted(by_tool)}"
        assert all(isinstance(check, str) and check.strip() for checks in by_tool.values() for check in checks)


def test_the_markdown_catalogue_has_a_row_per_rule_with_its_equivalents() -> None:
    completed = run_cli("rules", "--format", "markdown")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == ("| ID | name | severity | what it checks | checkov | KICS | trivy | cfn-lint | cdk-nag "
                        "| tflint |")
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in lines[2:]}
    assert set(rows) == {rule.id for rule in RULES.rules}
    assert all(line.count(" | ") == lines[0].count(" | ") for line in lines[2:])  # no cell breaks the table
    assert "CKV2_AWS_29" in rows["SL704"] and "AwsSolutions-APIG3" in rows["SL704"]
    assert "AVD-AWS-0001" in rows["SL501"] and "E3698" in rows["SL403"]
    assert rows["SL701"].endswith("| - | - | - | - | - | - |")  # no static peer checks secrets in variables
    assert completed.stdout == markdown_catalogue(RULES.rules)
