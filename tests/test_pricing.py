"""Cache cost: the price table is data with a source and date per Region; unknown is never zero."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.inventory import render_json, totals
from stagelint.pricing import monthly_cost, price_table, regions

US_EAST_1_HOURLY = {"0.5": 0.020, "1.6": 0.038, "6.1": 0.200, "13.5": 0.250, "28.4": 0.500,
                    "58.2": 1.000, "118": 1.900, "237": 3.800}


def test_every_region_has_a_source_and_a_date() -> None:
    assert "us-east-1" in regions()
    for region in regions():
        table = price_table(region)
        assert table is not None and table.source and table.as_of and table.hours_per_month == 730
        assert {size for size, _ in table.hourly} == set(US_EAST_1_HOURLY)


@pytest.mark.parametrize(("size", "hourly"), sorted(US_EAST_1_HOURLY.items()))
def test_cost_per_size_matches_the_table(size: str, hourly: float) -> None:
    assert monthly_cost(size) == round(hourly * 730, 2)
    assert monthly_cost(f"{float(size):.2f}") == round(hourly * 730, 2)  # "0.50" is "0.5"


def test_unknown_size_or_region_is_unknown_not_zero() -> None:
    assert monthly_cost("3") is None
    assert monthly_cost("0.5", "xx-nowhere-1") is None  # never a us-east-1 guess
    assert price_table("xx-nowhere-1") is None


def test_stage_costs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(
        'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "0.5"\n'
        '  - name: big\n    cache_cluster_enabled: true\n    cache_cluster_size: "237"\n'
        "  - name: dev\n  - name: qa\n    cache_cluster_enabled: true\n", encoding="utf-8")
    report = lint(["stages.yaml"], Config())
    by_name = {stage.name: stage for stage in report.stages}
    assert by_name["prod"].estimated_monthly_cost == 14.6
    assert by_name["dev"].estimated_monthly_cost is None and by_name["dev"].cost_reason == "no cache cluster"
    assert by_name["qa"].estimated_monthly_cost is None and by_name["qa"].cost_reason == "cache size not set"
    assert totals(report) == {
        "dev": {"stages": 1, "monthly_cost": 0.0, "unpriced": 0},
        "prod": {"stages": 1, "monthly_cost": 14.6, "unpriced": 0},
        "staging": {"stages": 1, "monthly_cost": 0.0, "unpriced": 1},
        "unknown": {"stages": 1, "monthly_cost": 2774.0, "unpriced": 0},
        "all": {"stages": 4, "monthly_cost": 2788.6, "unpriced": 1},
    }
    document = json.loads(render_json(report))
    assert document["prices"]["as_of"] and document["prices"]["source"] and document["region"] == "us-east-1"
    elsewhere = lint(["stages.yaml"], Config(region="xx-nowhere-1"))
    priced = {stage.name: (stage.estimated_monthly_cost, stage.cost_reason) for stage in elsewhere.stages}
    assert priced["prod"] == (None, "no prices for Region xx-nowhere-1")
    assert json.loads(render_json(elsewhere, "xx-nowhere-1"))["prices"] is None


def test_model_property_keeps_its_meaning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stagelint.checker import decode_document_file

    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text('stages:\n  - name: a\n    cache_cluster_enabled: true\n'
                                   '    cache_cluster_size: "6.1"\n  - name: b\n', encoding="utf-8")
    cached, plain = decode_document_file("stages.yaml", Config()).stages
    assert cached.estimated_monthly_cost == 146.0 and cached.cost_in("xx-nowhere-1") is None
    assert plain.estimated_monthly_cost == 0.0  # API users: 0.0 still means "no cache cluster"


def test_region_option(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "stages.yaml").write_text('stages:\n  - name: prod\n    cache_cluster_enabled: true\n'
                                          '    cache_cluster_size: "0.5"\n', encoding="utf-8")
    result = run_cli("inventory", "--region", "eu-west-3", "stages.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no eu-west-3 prices: cache costs unknown" in result.stdout
    bad = run_cli("inventory", "--region", "Virginia", "stages.yaml", cwd=tmp_path)
    assert bad.returncode == 3 and "not an AWS Region name" in bad.stderr


def test_a_stage_in_an_unpriced_region_costs_unknown_not_us_east_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only us-east-1 prices could be sourced (the pricing page's rate tables carry no numbers in its
    text): a stage whose Terraform provider names another Region has an unknown cost, never a guess."""
    monkeypatch.chdir(tmp_path)
    Path("main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id = "a"\n  deployment_id = "d"\n'
        '  stage_name = "prod"\n  cache_cluster_enabled = true\n  cache_cluster_size = "0.5"\n}\n',
        encoding="utf-8")
    (stage,) = lint(["main.tf"], Config()).stages
    assert (stage.region, stage.estimated_monthly_cost) == ("eu-west-1", None)
    assert stage.cost_reason == "no prices for Region eu-west-1"
    (record,) = json.loads(render_json(lint(["main.tf"], Config())))["stages"]
    assert record["region"] == "eu-west-1" and record["estimated_monthly_cost"] is None
