"""SL203's account throttling quota: data with its source, per Region, from the file or --region."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.quotas import account_quota, lower_quota_regions, quota_source

# The Regions the AWS quotas page lists with a 2,500 RPS / 1,250 burst default.
LOWER = ("af-south-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
         "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1")


def test_the_table_names_its_source() -> None:
    assert "docs.aws.amazon.com/apigateway/latest/developerguide/limits.html" in quota_source()
    assert lower_quota_regions() == LOWER


@pytest.mark.parametrize("region", LOWER)
def test_lower_regions(region: str) -> None:
    quota = account_quota(region)
    assert (quota.rate_limit, quota.burst_limit) == (2500, 1250)


@pytest.mark.parametrize("region", [None, "us-east-1", "eu-west-1", "xx-nowhere-1"])
def test_default_quota(region: str | None) -> None:
    quota = account_quota(region)
    assert (quota.region, quota.rate_limit, quota.burst_limit) == (None, 10000, 5000)


def _lines(paths: list[str], config: Config) -> list[tuple[str, int]]:
    report = lint(paths, config)
    return [(finding.rule_id, finding.position.line) for finding in report.findings]


def test_region_option_lowers_the_ceiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text("stages:\n  - name: prod\n    throttling_rate_limit: 3000\n"
                                   "    throttling_burst_limit: 1200\n", encoding="utf-8")
    assert _lines(["stages.yaml"], Config(select=("SL203",))) == []
    assert _lines(["stages.yaml"], Config(select=("SL203",), region="eu-south-1")) == [("SL203", 3)]


def test_the_providers_region_beats_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id = "a"\n  deployment_id = "d"\n'
        '  stage_name = "prod"\n}\n'
        'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a"\n  stage_name = "prod"\n'
        '  method_path = "*/*"\n  settings {\n    throttling_rate_limit = 3000\n  }\n}\n', encoding="utf-8")
    assert _lines(["main.tf"], Config(select=("SL203",), region="eu-south-1")) == []
    report = lint(["main.tf"], Config(select=("SL203",)))
    assert [stage.region for result in report.files for stage in result.stages] == ["us-east-1"]
