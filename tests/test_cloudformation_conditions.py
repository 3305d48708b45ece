"""Conditional resources are linted, not dropped (issue 11).

A stage whose `Condition` is false with the parameters' defaults is still linted, and its findings
say under which condition it exists; only a condition false for every allowed value, or made false
by `--parameter`, removes it (and the summary counts it as skipped).
"""

from __future__ import annotations

from stagelint.api import Config, lint
from stagelint.config import DecodeOptions
from tests.conftest import FIXTURES

CASES = FIXTURES / "SL102-cache-size-invalid"
CONDITIONAL = str(CASES / "cloudformation" / "fail-conditional.yaml")
NEVER = str(CASES / "cloudformation" / "pass-condition-never-true.yaml")


def _lint(path: str, *parameters: tuple[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    report = lint([path], Config(select=("SL102",), jobs=1, decode=DecodeOptions(cloudformation_parameters=parameters)))
    return {str(finding.stage): finding.message for finding in report.findings}, report.skipped_stages


def test_a_stage_false_with_the_defaults_is_linted_and_the_message_names_its_condition() -> None:
    messages, skipped = _lint(CONDITIONAL)
    assert set(messages) == {"prod", "feature"}
    assert messages["prod"].endswith("(the stage exists only when condition IsProd is true)")
    assert messages["feature"].endswith("(the stage exists only when condition FeatureOn is true)")
    assert skipped == ()


def test_a_parameter_that_makes_the_condition_true_drops_the_qualifier() -> None:
    messages, _ = _lint(CONDITIONAL, ("Env", "prod"))
    assert "condition" not in messages["prod"]


def test_a_parameter_that_makes_the_condition_false_removes_the_stage() -> None:
    messages, skipped = _lint(CONDITIONAL, ("Env", "dev"), ("Feature", "off"))
    assert messages == {}
    assert len(skipped) == 2 and all("is false with the parameters given" in reason for reason in skipped)


def test_a_condition_false_for_every_allowed_value_removes_the_stage() -> None:
    report = lint([NEVER], Config(jobs=1))
    assert report.findings == () or not report.findings
    assert report.stages == ()
    assert report.skipped_stages == (
        "Resources.LegacyStage is not created: condition LegacyProd is false for every allowed value of Env",)


def test_the_sam_extra_stage_inherits_its_api_condition(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters: {Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}}\n"
        "Conditions: {IsProd: !Equals [!Ref Env, prod]}\n"
        "Resources:\n"
        "  Api:\n"
        "    Type: AWS::Serverless::Api\n"
        "    Condition: IsProd\n"
        "    Properties: {StageName: prod}\n", encoding="utf-8")
    report = lint([str(template)], Config(select=("SL405",), jobs=1))
    assert [finding.message.endswith("(the stage exists only when condition IsProd is true)")
            for finding in report.findings] == [True]
