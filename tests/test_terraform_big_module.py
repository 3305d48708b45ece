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


def test_a_large_module_is_decoded_and_checked_with_the_collector_paused(
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
        # Only collections while the module is decoded or checked (the stack names the phase).
        frame = sys._getframe(0)
        while frame is not None and frame.f_code.co_name not in ("decode_unit", "_checked"):
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
