"""A big Terraform module stays linear: the work per stage must not grow with the module (issue 15).

No timings here: what made 5,000 stages superlinear is asserted structurally (how many resource
indexes the builder makes), and the results are checked to be those of the small case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.config import DecodeOptions
from stagelint.decoders.terraform.evaluate import Evaluator
from stagelint.decoders.terraform.module import ModuleSource
from stagelint.decoders.terraform.stages import _Builder


def _module(count: int, for_each: bool = False) -> str:
    blocks = []
    for number in range(count):
        each = 'for_each = { a = "a", b = "b" }\n  ' if for_each else ""
        index = "[each.key]" if for_each else ""
        name = '"${each.key}"' if for_each else f'"prod{number}"'
        blocks.append(f'''resource "aws_api_gateway_rest_api" "api{number}" {{
  name = "api-{number}"
}}

resource "aws_api_gateway_stage" "prod{number}" {{
  {each}stage_name    = {name}
  rest_api_id   = aws_api_gateway_rest_api.api{number}.id
  deployment_id = "abc123"
}}

resource "aws_api_gateway_method_settings" "all{number}" {{
  {each}rest_api_id = aws_api_gateway_rest_api.api{number}.id
  stage_name  = aws_api_gateway_stage.prod{number}{index}.stage_name
  method_path = "*/*"
  settings {{
    cache_ttl_in_seconds = {number}
  }}
}}
''')
    return "\n".join(blocks)


@pytest.mark.parametrize("for_each", [False, True])
def test_method_settings_join_through_a_fixed_number_of_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, for_each: bool
) -> None:
    # Each method setting used to index a fresh copy of the stage list: one index (and one list kept
    # alive) per setting, quadratic in time and memory.
    count = 40
    (tmp_path / "main.tf").write_text(_module(count, for_each), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    builder = _Builder(Evaluator(ModuleSource(".", ("main.tf",), DecodeOptions())))
    stages = builder.build()["main.tf"]
    assert len(builder.addresses.indexes) <= 2
    assert len(stages) == count * (2 if for_each else 1)
    for stage in stages:
        number = int(stage.address.split(".")[1].split("[")[0].removeprefix("prod"))
        assert [setting.cache_ttl_in_seconds.value for setting in stage.method_settings] == [number]
    if for_each:  # each instance's setting joins to that instance only
        assert {stage.address for stage in stages if stage.address.startswith("aws_api_gateway_stage.prod3[")} == {
            'aws_api_gateway_stage.prod3["a"]', 'aws_api_gateway_stage.prod3["b"]'}


def test_a_large_module_is_decoded_checked_and_reported_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its tree has millions of objects and no cycles: collections while it lives only traverse it.
    import gc
    import sys

    from stagelint.checker import WorkUnit, process_unit
    from stagelint.config import Config
    from stagelint.decoders.collector import LARGE_DOCUMENT_BYTES

    text = _module(600)
    assert len(text.encode()) >= LARGE_DOCUMENT_BYTES
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        # Only collections while the module is decoded, checked and its results made, until the
        # decoded module is released (the stack names the phase).
        frame = sys._getframe(0)
        while frame is not None and frame.f_code.co_name != "_process_module":
            frame = frame.f_back  # type: ignore[assignment]
        if phase == "start" and frame is not None:
            collections.append(info["generation"])

    assert gc.isenabled()
    gc.callbacks.append(count)
    try:
        gc.collect()
        collections.clear()
        results = process_unit(WorkUnit("terraform", ".", ("main.tf",)), Config())
    finally:
        gc.callbacks.remove(count)
    assert gc.isenabled()
    assert len(results[0].stages) == 600 and results[0].findings
    assert collections == []


def test_unknown_leaves_are_iter_tracked_filtered(monkeypatch: pytest.MonkeyPatch) -> None:
    # The notes of every module (decoder and checker) come from `unknown_leaves`, a faster walk.
    from stagelint.decoders.terraform import decode_module
    from tests.conftest import FIXTURES

    compared = unknown = in_settings = 0
    for main in sorted(FIXTURES.glob("**/terraform/**/main.tf")):
        monkeypatch.chdir(main.parent)
        for decoded in decode_module(".", ("main.tf",), DecodeOptions()):
            for stage in decoded.stages:
                expected = [(name, tracked) for name, tracked in stage.iter_tracked() if tracked.is_unknown]
                assert stage.unknown_leaves() == expected
                compared += 1
                unknown += len(expected)
                in_settings += sum(name.startswith("method_settings[") for name, _ in expected)
    assert compared > 20 and unknown > 20 and in_settings > 0


def test_the_joined_fields_are_set_in_one_copy_per_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Method settings, deployments, endpoint type and the logging role used to be set by one copy of
    # the 30-field Stage each (~5 copies a stage); all of them now arrive in one, in the module's order.
    from stagelint import records
    from stagelint.decoders.terraform import stages as stages_module
    from stagelint.model import Stage

    (tmp_path / "main.tf").write_text('''resource "aws_api_gateway_rest_api" "api" {
  name = "api"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
}

resource "aws_api_gateway_stage" "prod" {
  stage_name    = "prod"
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
}

resource "aws_api_gateway_method_settings" "first" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    cache_ttl_in_seconds = 1
  }
}

resource "aws_api_gateway_method_settings" "second" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "a/GET"
  settings {
    cache_ttl_in_seconds = 2
  }
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/logs"
}
''', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    copies: list[str] = []
    replace = records.replace

    def counting(obj: object, /, **changes: object) -> object:
        if isinstance(obj, Stage):
            copies.append(obj.address)
        return replace(obj, **changes)

    monkeypatch.setattr(stages_module.dataclasses, "replace", counting)
    built = _Builder(Evaluator(ModuleSource(".", ("main.tf",), DecodeOptions()))).build()["main.tf"]
    stage = next(stage for stage in built if stage.address == "aws_api_gateway_stage.prod")
    assert [setting.cache_ttl_in_seconds.value for setting in stage.method_settings] == [1, 2]
    assert stage.deployment_api is not None and stage.deployment_api.value == "aws_api_gateway_rest_api.api.id"
    assert [name.value for name in stage.created_by_deployments] == ["prod"]
    assert stage.endpoint_type is not None and stage.endpoint_type.value == "PRIVATE"
    assert stage.account_logging_role is True
    assert sorted(copies) == sorted(stage.address for stage in built)  # one copy a stage


def test_comments_anywhere_convert_as_without_them() -> None:
    # `_named` copies a node's children only when a comment is among them: both paths must agree.
    from stagelint.decoders.terraform.hcl import parse_hcl

    plain = '''resource "aws_api_gateway_stage" "prod" {
  stage_name = "prod"
  variables  = { a = "x", b = [1, 2] }
  xray_tracing_enabled = var.on ? true : false
}
'''
    commented = '''# a stage
resource "aws_api_gateway_stage" "prod" { // the block
  stage_name = /* inline */ "prod"
  variables  = {
    a = "x" # first
    /* between */
    b = [1, /* in a tuple */ 2]
  }
  # before
  xray_tracing_enabled = var.on ? true : /* no */ false
}
'''
    (plain_body, plain_failure), (body, failure) = parse_hcl(plain, "a.tf"), parse_hcl(commented, "a.tf")
    assert plain_failure is None and failure is None
    stage = body.blocks[0]
    assert stage.labels == plain_body.blocks[0].labels
    assert [attribute.name for attribute in stage.body.attributes] == ["stage_name", "variables",
                                                                       "xray_tracing_enabled"]
    for attribute, expected in zip(stage.body.attributes, plain_body.blocks[0].body.attributes, strict=True):
        assert type(attribute.value) is type(expected.value)
    variables = stage.body.attribute("variables")
    assert variables is not None and [key for key, _, _ in variables.value.pairs] == ["a", "b"]  # type: ignore[attr-defined]
    assert [item.value for item in variables.value.pairs[1][2].items] == [1, 2]  # type: ignore[attr-defined]
