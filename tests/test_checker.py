"""One unit's check: file names through the format table, and a rule that raises."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from stagelint import checker, registry
from stagelint.api import Config, lint
from stagelint.findings import INTERNAL_ERROR, PARSE_ERROR
from stagelint.formatters import FormatContext, render
from tests.conftest import MACHINERY_RULES

STAGE_TF = 'resource "aws_api_gateway_stage" "prod" {\n  stage_name = "prod v2"\n  rest_api_id = "abc"\n}\n'


@pytest.mark.parametrize("name", ["MAIN.TF", "Main.Tf", "main.TF.JSON"])
def test_suffixes_match_whatever_their_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A file counted as checked is decoded: `MAIN.TF` was counted and silently not read."""
    monkeypatch.chdir(tmp_path)
    text = STAGE_TF if not name.lower().endswith(".json") else json.dumps(
        {"resource": {"aws_api_gateway_stage": {"prod": {"stage_name": "prod v2", "rest_api_id": "abc"}}}})
    (tmp_path / name).write_text(text, encoding="utf-8")
    report = lint(["."], Config(select=("SL001",), jobs=1))
    assert [result.path for result in report.files] == [name]
    assert report.files[0].format in ("terraform", "terraform-json")
    assert [finding.rule_id for finding in report.findings] == ["SL001"]
    assert len(report.stages) == 1


def _crashing_rule() -> types.ModuleType:
    module = types.ModuleType("acme_rules.crash")
    module.__doc__ = ("A rule that raises.\n\n## What it does\nRaises.\n\n## Why is this bad?\nIt is a test.\n\n"
                      "## Example\n```yaml\nstages: []\n```\n\nUse instead:\n```yaml\nstages: []\n```\n")
    module.ID = "ACME001"  # type: ignore[attr-defined]
    module.NAME = "acme-crash"  # type: ignore[attr-defined]
    module.DEFAULT_SEVERITY = "warning"  # type: ignore[attr-defined]

    def check(stage: object, options: object) -> object:
        raise KeyError("owner")

    module.check = check  # type: ignore[attr-defined]
    return module


def test_a_crashing_rule_is_an_internal_error_not_a_parse_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              request: pytest.FixtureRequest) -> None:
    """SL009 names the rule and its plugin; the file's other rules still run; exit 2; the file is not
    reported as unreadable (not in `errors`, not a SARIF tool notification)."""
    builtin = registry.load_rules(use_cache=False)
    crashing = registry.validate_rule(_crashing_rule(), "acme")
    monkeypatch.setitem(registry._loaded, True, registry.RuleSet([*builtin.rules, crashing]))
    # Prepared rules are cached per Config value for the life of the process: start and end clean.
    checker.prepare.cache_clear()
    request.addfinalizer(checker.prepare.cache_clear)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stages.yaml").write_text('stages:\n  - name: test\n    cache_cluster_size: "6.2"\n', encoding="utf-8")
    report = lint(["stages.yaml"], Config(jobs=1, select=(*MACHINERY_RULES, "ACME001")))
    rules = sorted(finding.rule_id for finding in report.findings)
    assert rules == sorted(["SL003", INTERNAL_ERROR, "SL102"])  # the other rules still ran
    (internal,) = (finding for finding in report.findings if finding.rule_id == INTERNAL_ERROR)
    assert "ACME001" in internal.message and "'acme'" in internal.message and "KeyError" in internal.message
    assert report.errors == () and not report.has_input_errors and not report.files[0].failed
    assert report.internal_errors == (internal,)
    assert report.exit_code == 2
    assert PARSE_ERROR not in rules
    context = FormatContext(registry.load_rules(), "test")
    document = json.loads(render("json", report, context))
    assert document["errors"] == [] and document["summary"]["exit_code"] == 2
    sarif = json.loads(render("sarif", report, context))
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False  # a stage was not fully checked
    assert any(result["ruleId"] == INTERNAL_ERROR for result in sarif["runs"][0]["results"])
