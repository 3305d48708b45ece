"""`count` and `for_each` expanded into one stage per instance, and `optional()` defaults applied.

The cases are the fixtures under fixtures/_expansion and fixtures/_optional-defaults (their findings
are in the expected.json beside them); here: each instance's address, name and value, and the notes
of what could not be expanded, in both syntaxes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.config import DecodeOptions
from stagelint.decoders.terraform import decode_module
from tests.conftest import FIXTURES, MACHINERY_RULES, run_cli

# case → {address: (stage name, cache_cluster_size)}; None: unknown.
EXPECTED_STAGES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "_expansion/for-each-map": {
        'aws_api_gateway_stage.s["dev"]': ("dev", "0.5"),
        'aws_api_gateway_stage.s["prod"]': ("prod", "6.2"),
    },
    "_expansion/count": {
        "aws_api_gateway_stage.v[0]": ("v0.beta", None),
        "aws_api_gateway_stage.v[1]": ("v1.beta", None),
    },
    "_expansion/toset": {
        'aws_api_gateway_stage.s["prod"]': ("prod", None),
        'aws_api_gateway_stage.s["prod.v2"]': ("prod.v2", None),
        "aws_api_gateway_stage.r[0]": ("r.0", None),
        "aws_api_gateway_stage.r[1]": ("r.1", None),
    },
    "_expansion/unknown": {
        "aws_api_gateway_stage.s": (None, "6.2"),
        "aws_api_gateway_stage.big": (None, None),
    },
    "_optional-defaults/object-default": {"aws_api_gateway_stage.s": ("prod", "6.2")},
    "_optional-defaults/tfvars-partial": {
        'aws_api_gateway_stage.s["dev"]': ("dev", "0.5"),
        'aws_api_gateway_stage.s["prod"]': ("prod", "6.2"),
    },
}
EXPECTED_NOTES = {
    "_expansion/unknown": [
        "aws_api_gateway_stage.s: for_each not expanded (data.aws_ssm_parameter.stages.insecure_value is read "
        "from a data source at plan time); linted as one stage",
        "aws_api_gateway_stage.big: count not expanded (count = 100, more than 64 instances); linted as one stage",
    ],
}


def _decode(case: str, syntax: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str | None, str | None]]:
    group, name = case.split("/")
    directory = FIXTURES / group / syntax / name
    monkeypatch.chdir(directory)
    suffix = ".tf" if syntax == "terraform" else ".tf.json"
    reported = tuple(sorted(path.name for path in directory.iterdir() if path.name.endswith(suffix)))
    stages = {}
    for decoded in decode_module(".", reported, DecodeOptions()):
        assert not decoded.failures, decoded.failures
        for stage in decoded.stages:
            size = stage.cache_cluster_size
            stages[stage.address] = (stage.name.value if stage.name.is_known else None,
                                     str(size.value) if size.is_known else None)
    return stages


@pytest.mark.parametrize("syntax", ["terraform", "terraform-json"])
@pytest.mark.parametrize("case", sorted(EXPECTED_STAGES))
def test_instances_have_their_own_address_and_values(case: str, syntax: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _decode(case, syntax, monkeypatch) == EXPECTED_STAGES[case]


@pytest.mark.parametrize("syntax", ["terraform", "terraform-json"])
def test_unknown_and_oversized_collections_stay_one_stage_with_a_note(syntax: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    directory = FIXTURES / "_expansion" / syntax / "unknown"
    monkeypatch.chdir(directory)
    (decoded,) = decode_module(".", (next(path.name for path in directory.iterdir()
                                          if path.name.startswith("main")),), DecodeOptions())
    messages = [note.message for note in decoded.notes]
    for expected in EXPECTED_NOTES["_expansion/unknown"]:
        assert expected in messages
    assert any("name skipped: each.key and each.value differ per instance" in message for message in messages)


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (decoded,) = decode_module(".", ("main.tf",), DecodeOptions())
    return [stage.address for stage in decoded.stages] + [note.message for note in decoded.notes]


STAGE = '''resource "aws_api_gateway_stage" "s" {
  %s
  rest_api_id   = "abc123"
  deployment_id = "d1"
  stage_name    = "s"
}
'''


def test_a_set_typed_variable_default_is_a_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'variable "names" {\n  type = set(string)\n  default = ["b", "a", "b"]\n}\n' + STAGE % "for_each = var.names"
    assert _module(tmp_path, monkeypatch, text) == ['aws_api_gateway_stage.s["a"]', 'aws_api_gateway_stage.s["b"]']


def test_a_list_for_each_is_what_terraform_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _module(tmp_path, monkeypatch, STAGE % 'for_each = ["a", "b"]')
    assert found[0] == "aws_api_gateway_stage.s"
    assert ("aws_api_gateway_stage.s: for_each not expanded (a list or tuple: Terraform requires a map or a set of "
            "strings (toset())); linted as one stage") in found


def test_count_one_is_instance_zero_and_empty_collections_create_nothing(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _module(tmp_path, monkeypatch, STAGE % "count = 1") == ["aws_api_gateway_stage.s[0]"]
    assert _module(tmp_path, monkeypatch, STAGE % "for_each = toset([])") == [
        "aws_api_gateway_stage.s: for_each is empty, not created"]
    assert _module(tmp_path, monkeypatch, STAGE % "count = length(range(0))") == [
        "aws_api_gateway_stage.s: count = 0, not created"]


def test_an_optional_default_that_is_unknown_makes_the_value_unknown(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    text = ('variable "c" {\n  type = object({ size = optional(string, var.x) })\n  default = {}\n}\n'
            'variable "x" {}\n' + (STAGE % "cache_cluster_size = var.c.size").replace('"s"\n}', '"s"\n}'))
    found = _module(tmp_path, monkeypatch, text)
    assert any("cache_cluster_size skipped: an optional() default of var.c: var.x has no default" in message
               for message in found)


def test_the_summary_counts_instances_found_and_stages_skipped(tmp_path: Path) -> None:
    text = (STAGE % 'for_each = toset(["dev", "prod"])') + (STAGE % "count = 0").replace('"s"', '"off"', 1)
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = run_cli("check", "--isolated", "--verbose", "--select", ",".join(MACHINERY_RULES), ".", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == "All clear: 1 file checked, 2 stages found, 1 skipped (not created)."
    assert "aws_api_gateway_stage.off: count = 0, not created" in result.stderr
