"""The real pre-commit runs our hook (`pre-commit try-repo` against this checkout) in a throw-away repo.

try-repo builds the hook's environment from the checkout (uncommitted changes included, through a
shadow commit), i.e. it installs stagelint into a fresh virtualenv: slow, but it is what users get.
PRE_COMMIT_HOME is a per-session temporary directory, so nothing is shared with the user's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import QUIET_STAGE, REPO

CLEAN = """\
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
    client_certificate_id: c1
    web_acl_arn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1
    xray_tracing_enabled: true
    access_log_settings:
      destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:prod-access"
      format: "$context.requestId $context.status"
    method_settings:
      - {resource_path: /*, http_method: "*", logging_level: ERROR, cache_data_encrypted: true,
         throttling_rate_limit: 100}
"""
FAILING = """\
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.2"
""" + QUIET_STAGE

# A commit that changes only a variable's value: the stage in main.tf is not among the files.
TERRAFORM_MODULE = {
    "main.tf": """resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = "abc123"
  deployment_id         = "d1"
  stage_name            = var.name
  cache_cluster_enabled = true
  cache_cluster_size    = var.size
}
""",
    "variables.tf": 'variable "size" {\n  default = "6.2"\n}\nvariable "name" {}\n',
    "terraform.tfvars": 'name = "prod.v2"\n',
}


def _hooks() -> list[dict[str, Any]]:
    hooks: list[dict[str, Any]] = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return hooks


def test_hook_definition() -> None:
    (hook,) = _hooks()
    assert hook["id"] == "stagelint"
    assert hook["entry"].split()[:2] == ["stagelint", "check"]
    assert "--quiet" in hook["entry"].split()  # clean files: no output at all
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"yaml", "json", "terraform"}
    assert hook["require_serial"] is True


def _pre_commit() -> list[str]:
    executable = Path(sys.executable).with_name("pre-commit")
    if executable.exists():
        return [str(executable)]
    found = shutil.which("pre-commit")
    if found is None:
        pytest.fail("pre-commit is not installed (it is in the dev extra: pip install -e '.[dev]')")
    return [found]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("user-repo")
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.com")
    _git(repo, "config", "user.name", "test")
    _git(repo, "config", "commit.gpgsign", "false")
    (repo / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    (repo / "failing.yaml").write_text(FAILING, encoding="utf-8")
    (repo / "README.txt").write_text("not a stage file\n", encoding="utf-8")
    (repo / "infra").mkdir()
    for name, text in TERRAFORM_MODULE.items():
        (repo / "infra" / name).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "stages")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    environment.update(PRE_COMMIT_HOME=str(home), PYTHONUTF8="1", NO_COLOR="1")
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(REPO), "stagelint", "--color", "never", "--verbose", "--files", *files],
        cwd=repo, capture_output=True, text=True, env=environment, timeout=900, check=False,
    )


def _hook_output(stdout: str) -> str:
    """What the hook itself printed: pre-commit's verbose block sits between `- hook id` and the end."""
    lines = stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("- hook id: stagelint"))
    body = [line for line in lines[start + 1:] if not line.startswith(("- duration:", "- exit code:"))]
    return "\n".join(body).strip()


def test_clean_file_passes_quietly(user_repo: Path, pre_commit_home: Path) -> None:
    completed = _try_repo(user_repo, pre_commit_home, "clean.yaml")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "stagelint" in completed.stdout and "Passed" in completed.stdout
    assert _hook_output(completed.stdout) == ""


def test_failing_file_fails_with_the_finding(user_repo: Path, pre_commit_home: Path) -> None:
    completed = _try_repo(user_repo, pre_commit_home, "failing.yaml")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Failed" in completed.stdout
    output = _hook_output(completed.stdout)
    assert 'failing.yaml:4:25: SL102 [error] cache_cluster_size "6.2" is not one of' in output
    assert "Found" not in output  # --quiet: findings only, no summary line


def test_a_commit_of_variables_only_reports_the_findings_it_causes(user_repo: Path, pre_commit_home: Path) -> None:
    completed = _try_repo(user_repo, pre_commit_home, "infra/variables.tf", "infra/terraform.tfvars")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    output = _hook_output(completed.stdout).splitlines()
    # At the origin of each value, naming the stage and where it is used; nothing else of main.tf.
    assert [line.split(" [error] ")[0] for line in output] == [
        "infra/terraform.tfvars:1:8: SL001", "infra/variables.tf:2:13: SL102"]
    assert output[0].endswith("[used by aws_api_gateway_stage.prod at infra/main.tf:4:27] (stage prod.v2)")
    assert 'var.size → "6.2"' in output[1] and "at infra/main.tf:6:27]" in output[1]
