"""Local module calls: the child module's stages evaluated with the caller's arguments.

The two-directory case is fixtures/_modules (findings in the expected.json beside it, .tf and .tf.json);
here: addresses and module chains, what is said about sources that are not followed, and that a
module's own defaults stay findings when no caller in the run sets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.config import DecodeOptions
from stagelint.decoders.terraform import decode_module
from tests.conftest import COMPLETENESS_RULES, FIXTURES

STAGE = '''variable "name" {
  default = "dev"
}
variable "size" {
  default = "0.5"
}
resource "aws_api_gateway_stage" "this" {
  rest_api_id           = "abc123"
  deployment_id         = "d1"
  stage_name            = var.name
  cache_cluster_enabled = true
  cache_cluster_size    = var.size
}
'''


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
             directory: str = "root") -> tuple[list[str], list[str]]:
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    (decoded,) = decode_module(directory, (f"{directory}/main.tf",), DecodeOptions())
    assert not decoded.failures, decoded.failures
    return [stage.address for stage in decoded.stages], [note.message for note in decoded.notes]


@pytest.mark.parametrize("syntax", ["terraform", "terraform-json"])
def test_the_fixture_stage_is_named_by_its_module_chain(syntax: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = FIXTURES / "_modules" / syntax / "local-call"
    monkeypatch.chdir(case)
    name = "main.tf" if syntax == "terraform" else "main.tf.json"
    (decoded,) = decode_module("envs/prod", (f"envs/prod/{name}",), DecodeOptions())
    (stage,) = decoded.stages
    assert stage.address == "module.api.aws_api_gateway_stage.this"
    assert (stage.name.value, stage.name.position.path, stage.name.position.line) == ("prod.v2", f"envs/prod/{name}",
                                                                                      4 if name == "main.tf" else 5)
    assert stage.name.origin is not None and stage.name.origin.position.path == f"modules/stage/{name}"
    assert "in module.api" in stage.name.origin.expression
    assert any("module.remote: source 'terraform-aws-modules/apigateway-v2/aws' is a remote module" in note.message
               for note in decoded.notes)


def test_nested_calls_name_the_whole_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "root/main.tf": 'variable "size" {\n  default = "6.2"\n}\nmodule "outer" {\n  source = "../middle"\n'
                        '  size   = var.size\n}\n',
        "middle/main.tf": 'variable "size" {}\nmodule "inner" {\n  source = "../stage"\n  size   = var.size\n'
                          '  name   = "prod"\n}\n',
        "stage/main.tf": STAGE,
    }
    addresses, _ = _decoded(tmp_path, monkeypatch, files)
    assert addresses == ["module.outer.module.inner.aws_api_gateway_stage.this"]
    report = lint(["root"], Config(jobs=1, select=("SL102",)))
    # The value is passed down from the root's call: reported at that argument, naming the chain.
    assert [(f.position.path, f.position.line, f.position.column) for f in report.findings] == [("root/main.tf", 6, 12)]
    assert "in module.outer.module.inner" in report.findings[0].message


@pytest.mark.parametrize(("call", "note"), [
    ('source = "git::https://example.com/stage.git"', "is a remote module (registry, git, …), not read"),
    ('source = "../../../../../../../../../../../../x"', "is outside the working directory and the paths given"),
    ('source = "./"', "is a module that calls itself (a cycle)"),
    ('source = "../missing"', "../missing is not a directory"),
    ('source = var.where', "its source is not a literal string"),
    ('source = "../stage"\n  count = 2', "count and for_each on a module call are not expanded"),
])
def test_sources_that_are_not_followed_are_unknown_with_a_note(call: str, note: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"root/main.tf": f'module "x" {{\n  {call}\n  size = "6.2"\n}}\n', "stage/main.tf": STAGE}
    addresses, notes = _decoded(tmp_path, monkeypatch, files)
    assert addresses == []
    assert any(message.startswith("module.x") and note in message for message in notes), notes


def test_a_cycle_between_two_modules_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"root/main.tf": 'module "a" {\n  source = "../a"\n}\n',
             "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + STAGE,
             "b/main.tf": 'module "a" {\n  source = "../a"\n}\n'}
    addresses, notes = _decoded(tmp_path, monkeypatch, files)
    assert addresses == ["module.a.aws_api_gateway_stage.this"]
    assert any("../a is a module that calls itself (a cycle)" in message for message in notes)


def test_a_module_default_stays_a_finding_unless_a_caller_in_the_run_sets_it(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"root/main.tf": 'module "x" {\n  source = "../stage"\n  name = "prod"\n}\n',
             "stage/main.tf": STAGE.replace('default = "0.5"', 'default = "9"')}
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    config = Config(jobs=1, select=("SL102",), ignore=COMPLETENESS_RULES)
    alone = lint(["stage"], config)
    assert [(f.position.path, f.position.line) for f in alone.findings] == [("stage/main.tf", 12)]
    # The caller leaves size to the default: the finding stays, once, in the module.
    both = lint(["."], config)
    assert [(f.position.path, f.position.line) for f in both.findings] == [("stage/main.tf", 12)]
    (tmp_path / "root/main.tf").write_text('module "x" {\n  source = "../stage"\n  size = "0.5"\n}\n', encoding="utf-8")
    overridden = lint(["."], config)
    assert overridden.findings == ()
    # The same when the run is given an absolute path outside the working directory (its files are then
    # named absolutely, the called module's as `../…`).
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert lint([str(tmp_path)], config).findings == ()
    assert any("a module call in this run sets the variable whose default it comes from" in note.message
               for note in overridden.notes)


def test_an_argument_from_the_callers_tfvars_is_reported_at_the_call(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"root/main.tf": 'variable "name" {}\nmodule "x" {\n  source = "../stage"\n  name   = var.name\n}\n',
             "root/terraform.tfvars": 'name = "prod.v2"\n', "stage/main.tf": STAGE}
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    report = lint(["root/main.tf"], Config(jobs=1, select=("SL001",)))
    assert [(f.position.path, f.position.line, f.position.column) for f in report.findings] == [("root/main.tf", 4, 12)]
