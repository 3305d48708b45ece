"""Plan JSON (`terraform show -json`): values, after_unknown, child modules, method settings."""

from __future__ import annotations

import json

from stagelint.config import DecodeOptions
from stagelint.decoders import json_tree
from stagelint.decoders.terraform import plan as terraform_plan
from stagelint.decoders.tree import MappingNode


def _decode(document: dict[str, object]):
    root = json_tree.parse(json.dumps(document, indent=2), "plan.json")
    assert isinstance(root, MappingNode) and terraform_plan.is_plan(root)
    return terraform_plan.decode(root, "plan.json", DecodeOptions())


def _resource(address: str, kind: str, values: dict[str, object]) -> dict[str, object]:
    return {"address": address, "mode": "managed", "type": kind, "name": address.rsplit(".", 1)[-1], "values": values}


def test_child_modules_after_unknown_and_method_settings() -> None:
    stage = _resource("module.api.aws_api_gateway_stage.prod", "aws_api_gateway_stage",
                      {"stage_name": "prod", "cache_cluster_enabled": True, "cache_cluster_size": "5"})
    settings = _resource("module.api.aws_api_gateway_method_settings.all", "aws_api_gateway_method_settings",
                         {"stage_name": "prod", "method_path": "*/*",
                          "settings": [{"throttling_rate_limit": -1, "cache_ttl_in_seconds": 9000}]})
    document = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"child_modules": [
            {"address": "module.api", "resources": [stage, settings]}]}},
        "resource_changes": [{"address": "module.api.aws_api_gateway_stage.prod",
                              "change": {"actions": ["create"], "after_unknown": {"rest_api_id": True}}}],
    }
    decoded = _decode(document)
    assert decoded.format == "terraform-plan"
    [found] = decoded.stages
    assert found.address == "module.api.aws_api_gateway_stage.prod"
    assert found.cache_cluster_size.get() == "5"
    assert found.api.is_unknown and found.api.reason == "known after apply"
    size = found.cache_cluster_size.position
    text = json.dumps(document, indent=2).splitlines()
    line = next(number for number, content in enumerate(text, 1) if '"cache_cluster_size"' in content)
    assert (size.path, size.line, size.column) == ("plan.json", line, text[line - 1].index('"5"') + 1)
    [setting] = found.method_settings
    assert setting.throttling_rate_limit.is_absent
    assert setting.cache_ttl_in_seconds.get() == 9000
    assert any("api skipped: known after apply" in note.message for note in decoded.notes)


def test_deployment_without_stage_name_is_no_stage() -> None:
    document = {"format_version": "0.2", "planned_values": {"root_module": {"resources": [
        _resource("aws_api_gateway_deployment.a", "aws_api_gateway_deployment", {"stage_name": None}),
        _resource("aws_api_gateway_deployment.b", "aws_api_gateway_deployment", {"stage_name": "dev"}),
    ]}}}
    assert [stage.address for stage in _decode(document).stages] == ["aws_api_gateway_deployment.b"]
