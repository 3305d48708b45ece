"""Issue 11: a run that checks nothing says so, and never reads as a silent "All clear"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MACHINERY_RULES, run_cli

CONDITIONAL_STAGE = """\
Conditions:
  Never: !Equals [a, b]
Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Condition: Never
    Properties:
      StageName: prod
      RestApiId: abc
"""

NOT_A_STAGE_FILE = "name: ci\non: push\n"

# (files written, extra options, exit code, stderr warning or None, summary line)
CASES = [
    ({}, (), 0, "no file was checked", "All clear: 0 files checked, 0 stages found."),
    ({}, ("--fail-on-empty",), 1, "no file was checked", "All clear: 0 files checked, 0 stages found."),
    ({"ci.yaml": NOT_A_STAGE_FILE}, (), 0, "no stage was found", "All clear: 1 file checked, 0 stages found."),
    ({"ci.yaml": NOT_A_STAGE_FILE}, ("--fail-on-empty",), 1, "no stage was found",
     "All clear: 1 file checked, 0 stages found."),
    ({"template.yaml": CONDITIONAL_STAGE}, (), 0, "no stage was found",
     "All clear: 1 file checked, 0 stages found, 1 skipped (not created)."),
    ({"template.yaml": CONDITIONAL_STAGE}, ("--exit-zero", "--fail-on-empty"), 1, "no stage was found",
     "All clear: 1 file checked, 0 stages found, 1 skipped (not created)."),
    ({"stages.yaml": "stages:\n  - name: prod\n"}, ("--fail-on-empty",), 0, None,
     "All clear: 1 file checked, 1 stage found."),
]


@pytest.mark.parametrize(("files", "options", "code", "warning", "summary"), CASES)
def test_empty_run_warns(tmp_path: Path, files: dict[str, str], options: tuple[str, ...], code: int,
                         warning: str | None, summary: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("check", "--isolated", "--select", ",".join(MACHINERY_RULES), *options, ".", cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == summary
    if warning is None:
        assert "warning" not in result.stderr
    else:
        assert f"stagelint: warning: {warning}: nothing was linted" in result.stderr


def test_quiet_empty_run_is_silent_unless_it_fails(tmp_path: Path) -> None:
    quiet = run_cli("check", "--isolated", "--quiet", ".", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    gate = run_cli("check", "--isolated", "--quiet", "--fail-on-empty", ".", cwd=tmp_path)
    assert gate.returncode == 1
    assert "no file was checked" in gate.stderr


def test_verbose_says_why_a_stage_was_skipped(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(CONDITIONAL_STAGE, encoding="utf-8")
    result = run_cli("check", "--isolated", "--verbose", ".", cwd=tmp_path)
    assert "Resources.Prod is not created: condition Never is false" in result.stderr


BAD_STAGE = """\
Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: prod
      RestApiId: abc
      CacheClusterEnabled: true
      CacheClusterSize: "6.2"
"""


def _git(directory: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(directory), *args], check=True, capture_output=True)


@pytest.mark.parametrize("build_directory", ["cdk.out", ".aws-sam/build"])
@pytest.mark.parametrize("in_git", [True, False])
def test_named_build_output_is_linted(tmp_path: Path, build_directory: str, in_git: bool) -> None:
    if in_git:
        _git(tmp_path, "init", "-q")
        (tmp_path / ".gitignore").write_text("cdk.out\n.aws-sam/\n", encoding="utf-8")
    build = tmp_path / build_directory
    build.mkdir(parents=True)
    (build / "template.yaml").write_text(BAD_STAGE, encoding="utf-8")
    named = run_cli("check", "--isolated", "--select", "SL102", build_directory, cwd=tmp_path)
    assert named.returncode == 1, named.stdout + named.stderr
    assert [line.split(": ")[1].split(" ")[0] for line in named.stdout.splitlines()[:-1]] == ["SL102"]
    assert named.stdout.startswith(f"{build_directory}/template.yaml:8:")
    walked = run_cli("check", "--isolated", "--verbose", ".", cwd=tmp_path)
    assert walked.returncode == 0
    assert "0 files checked" in walked.stdout
    if not in_git:  # git does not list ignored directories at all; the walk sees them and says so
        top = build_directory.split("/")[0]
        assert f"{top}: note: directory skipped as build output" in walked.stderr


LOCKFILE_HEAD = '{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n'


def _big_json(head: str, target: int) -> str:
    filler = '    "node_modules/pkg%d": {"version": "1.0.0"},\n'
    lines = [head]
    size = len(head)
    index = 0
    while size < target:
        line = filler % index
        lines.append(line)
        size += len(line)
        index += 1
    lines.append('    "end": {}\n  }\n}\n')
    return "".join(lines)


def test_big_file_that_is_not_a_stage_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text(_big_json(LOCKFILE_HEAD, 6 * 1024 * 1024), encoding="utf-8")
    result = run_cli("check", "--isolated", "--verbose", "package-lock.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SL000" not in result.stdout
    assert "package-lock.json: note: not a stage file: over the 5 MiB limit" in result.stderr


def test_big_stage_file_still_fails(tmp_path: Path) -> None:
    head = '{\n  "Resources": {\n    "Prod": {"Type": "AWS::ApiGateway::Stage"}\n  },\n  "Metadata": {\n'
    (tmp_path / "template.json").write_text(_big_json(head, 6 * 1024 * 1024), encoding="utf-8")
    result = run_cli("check", "--isolated", "template.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "SL000 [error] file is 6.0 MiB, over the 5 MiB limit" in result.stdout


def test_plans_have_a_higher_limit(tmp_path: Path) -> None:
    from stagelint.limits import DEFAULT_LIMITS, MIB
    from stagelint.reader import read_text

    assert DEFAULT_LIMITS.max_plan_bytes == 100 * MIB
    head = ('{"format_version": "1.2", "terraform_version": "1.6.0", "planned_values": {"root_module": '
            '{"resources": []}}, "configuration": {"x": {\n')
    plan = tmp_path / "plan.json"
    plan.write_text(_big_json(head, 6 * MIB) + "}}\n", encoding="utf-8")
    assert len(read_text(str(plan), DEFAULT_LIMITS)) > 6 * MIB


@pytest.mark.parametrize(("text", "line"), [
    ('[tool.stagelint]\nselect = ["SL1"\n', 2),
    ('[project]\nname = "x"\nversion = \n\n[tool.stagelint.rules.SL102]\nx = 1\n', 3),
])
def test_broken_pyproject_with_our_table_is_a_config_error(tmp_path: Path, text: str, line: int) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "pyproject.toml: invalid TOML" in result.stderr
    assert f"line {line}" in result.stderr


def test_broken_pyproject_without_our_table_is_not_ours(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = \n', encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("case", [
    "fixtures/SL001-stage-name-invalid/terraform/pass-empty-deployment",
    "fixtures/SL001-stage-name-invalid/terraform-json/pass-empty-deployment",
    "fixtures/SL001-stage-name-invalid/terraform-plan/pass-empty-deployment.json",
])
def test_deployment_with_empty_stage_name_creates_no_stage(case: str) -> None:
    from tests.conftest import REPO

    result = run_cli("check", "--isolated", case, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith(", 0 stages found.")


TF_VAR_MODULE = """\
variable "cache_size" {
  default = "0.5"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = "a1b2c3"
  deployment_id         = "d1"
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = var.cache_size
}
"""


# (TF_VAR_cache_size, terraform.tfvars text or None, --var or None, SL102 findings as path:line; a finding
# is reported where the variable is used)
TF_VAR_CASES = [
    (None, None, None, []),
    ("6.2", None, None, ["main.tf:10"]),  # the environment beats the default
    ("6.2", 'cache_size = "0.5"\n', None, []),  # terraform.tfvars beats the environment
    ("0.5", 'cache_size = "6.2"\n', None, ["main.tf:10"]),
    ("0.5", 'cache_size = "0.5"\n', "cache_size=6.2", ["main.tf:10"]),  # --var beats both
]


@pytest.mark.parametrize(("environment", "tfvars", "option", "expected"), TF_VAR_CASES)
def test_tf_var_environment_variables(tmp_path: Path, environment: str | None, tfvars: str | None,
                                      option: str | None, expected: list[str]) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "main.tf").write_text(TF_VAR_MODULE, encoding="utf-8")
    if tfvars is not None:
        (tmp_path / "terraform.tfvars").write_text(tfvars, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_VAR_")}
    env["PYTHONUTF8"] = "1"
    if environment is not None:
        env["TF_VAR_cache_size"] = environment
    args = ["--var", option] if option else []
    completed = subprocess.run([sys.executable, "-m", "stagelint", "check", "--isolated", "--select", "SL102",
                                "--format", "json", *args, "main.tf"], cwd=tmp_path, capture_output=True,
                               text=True, env=env, timeout=300, check=False)
    import json

    findings = json.loads(completed.stdout)["findings"]
    assert [f"{finding['path']}:{finding['line']}" for finding in findings] == expected, completed.stderr
