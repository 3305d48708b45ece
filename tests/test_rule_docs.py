"""Every rule's docstring is complete, and its examples are true: the Example fails, the fix passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.registry import load_rules
from stagelint.rule_api import code_blocks

RULES = load_rules(use_cache=False).rules
SUFFIX = {"yaml": ".yaml", "json": ".json", "hcl": ".tf", "terraform": ".tf"}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_docstring_sections(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.doc
    assert doc.title and doc.title.endswith(".")
    for section in ("What it does", "Why is this bad?", "Example"):
        assert doc.section(section), f"{rule.id} lacks ## {section}"
    assert "Use instead:" in doc.section("Example"), f"{rule.id}: the Example has no 'Use instead:' block"
    if rule.module.__name__.startswith("stagelint.rules."):
        assert doc.section("References"), f"{rule.id}: cite the AWS source in ## References"
    if getattr(rule.module, "OPTIONS", None) is not None:
        assert doc.section("Options"), f"{rule.id} has options but no ## Options section"


def _examples(rule):  # type: ignore[no-untyped-def]
    example = rule.doc.section("Example")
    before, _, after = example.partition("Use instead:")
    return code_blocks(before), code_blocks(after)


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.module.__name__.startswith("stagelint.rules.")],
                         ids=lambda rule: rule.id)
def test_example_fails_and_fix_passes(rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    bad_blocks, good_blocks = _examples(rule)
    assert bad_blocks and good_blocks
    for index, (language, code) in enumerate(bad_blocks + good_blocks):
        path = tmp_path / f"example{index}{SUFFIX.get(language, '.yaml')}"
        path.write_text(code, encoding="utf-8")
        report = lint([path.name], Config(select=(rule.id,)))
        result = report.files[0]
        if result.format is None and not result.failed:
            pytest.skip(f"{rule.id}: {language} example is in a format this build does not read yet")
        rule_ids = {finding.rule_id for finding in report.findings}
        should_fail = index < len(bad_blocks)
        assert (rule.id in rule_ids) == should_fail, (
            f"{rule.id}: {'Example' if should_fail else 'Use instead'} block {index} gave {rule_ids}")
        if rule.id != "SL000":
            assert "SL000" not in rule_ids
