"""SAM's extra stage `Stage` is modelled, and reported by SL405 only (issue 11)."""

from __future__ import annotations

from stagelint.api import Config, lint
from tests.conftest import FIXTURES

CASES = FIXTURES / "SL405-sam-extra-stage" / "sam"


def test_the_extra_stage_is_a_stage_and_only_sl405_reports_it() -> None:
    report = lint([str(CASES / "fail.yaml")], Config(select=("ALL",), jobs=1))
    names = sorted(str(stage.name) for stage in report.stages)
    assert names == ["Stage", "Stage", "live", "prod"]
    on_extra = sorted({finding.rule_id for finding in report.findings if finding.stage == "Stage"})
    assert on_extra == ["SL405"]
    # The configured stages are still judged by every rule.
    assert {"SL501", "SL704"} <= {finding.rule_id for finding in report.findings if finding.stage == "prod"}


def test_the_implicit_api_gets_an_extra_stage_unless_globals_set_openapiversion() -> None:
    implicit = lint([str(CASES / "fail-implicit.yaml")], Config(select=("SL405",), jobs=1))
    assert sorted(str(stage.name) for stage in implicit.stages) == ["Prod", "Stage"]
    assert [finding.rule_id for finding in implicit.findings] == ["SL405"]
    assert "ServerlessRestApi" in implicit.findings[0].message
    assert "OpenApiVersion: 3.0.1" in implicit.findings[0].message
    removed = lint([str(CASES / "pass-globals.yaml")], Config(jobs=1))
    assert sorted(str(stage.name) for stage in removed.stages) == ["Prod", "prod"]


def test_a_waf_association_naming_stage_attaches_to_the_extra_stage(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Api:\n"
        "    Type: AWS::Serverless::Api\n"
        "    Properties: {StageName: prod}\n"
        "  Waf:\n"
        "    Type: AWS::WAFv2::WebACLAssociation\n"
        "    Properties:\n"
        "      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/Stage\n"
        "      WebACLArn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1\n", encoding="utf-8")
    report = lint([str(template)], Config(jobs=1))
    protected = {str(stage.name): stage.waf for stage in report.stages}
    assert protected == {"prod": False, "Stage": True}


def test_the_extra_stage_is_in_its_api_stage_environment_not_staging() -> None:
    report = lint([str(CASES / "fail.yaml")], Config(jobs=1))
    environments = {(stage.address, stage.environment) for stage in report.stages}
    assert ("Resources.ApiDeployment", "prod") in environments  # with `prod`, not `staging` for `Stage`
    assert ("Resources.OtherApiDeployment", "prod") in environments  # `live` is prod
