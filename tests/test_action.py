"""The composite GitHub Action (action.yml): its shell steps run here as the runner would run them
(`bash --noprofile --norc -eo pipefail`, inputs through `env`), with `python` and `stagelint` on PATH."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO

ACTION = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
FAILING = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'


def _steps() -> dict[str, dict[str, Any]]:
    return {step.get("id") or step.get("name") or step["uses"]: step for step in ACTION["runs"]["steps"]}


def _expand(text: str, inputs: dict[str, str]) -> str:
    """`${{ inputs.x }}` and `${{ github.action_path }}`, the only expressions the run steps use."""
    values = {**{f"inputs.{key}": value for key, value in inputs.items()}, "github.action_path": str(REPO)}

    def replace(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", replace, text)


def _run_step(step: dict[str, Any], tmp_path: Path, **given: str) -> tuple[subprocess.CompletedProcess[str], str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update({key.replace("_", "-"): value for key, value in given.items()})
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (("stagelint", f'exec "{sys.executable}" -m stagelint "$@"'),
                       ("python", f'echo "$@" >> "{tmp_path}/pip-calls"')):
        stub = bin_dir / name
        stub.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
        stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    output_file = tmp_path / "github-output"
    output_file.write_text("", encoding="utf-8")
    environment = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONUTF8": "1",
                   "PYTHONPATH": str(REPO), "GITHUB_OUTPUT": str(output_file),
                   "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    environment.update({key: _expand(str(value), inputs) for key, value in step.get("env", {}).items()})
    assert step["shell"] == "bash"
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    directory = tmp_path / "repo" / _expand(step.get("working-directory", "."), inputs)
    completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=directory,
                               env=environment, capture_output=True, text=True, check=False, timeout=300)
    return completed, output_file.read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    (tmp_path / "repo" / "infra").mkdir()
    (tmp_path / "repo" / "infra" / "stages.yaml").write_text(FAILING, encoding="utf-8")
    (tmp_path / "repo" / "infra" / "clean.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    return tmp_path


def test_the_action_declares_its_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "format", "fail-on", "baseline"} <= set(ACTION["inputs"])
    (upload,) = [step for step in ACTION["runs"]["steps"]
                 if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert "!cancelled()" in upload["if"] and "steps.lint.outputs.sarif-file" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif-file }}"
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), "inputs reach the shell through env only (no script injection)"


def test_install_step_installs_this_checkout(repo: Path) -> None:
    completed, _ = _run_step(_steps()["Install stagelint"], repo)
    assert completed.returncode == 0, completed.stderr
    (call,) = (repo / "pip-calls").read_text(encoding="utf-8").splitlines()
    assert call.startswith("-m pip install ") and call.endswith(str(REPO))


def test_lint_step_annotates_writes_sarif_and_fails(repo: Path) -> None:
    completed, outputs = _run_step(_steps()["lint"], repo, paths="infra/stages.yaml\n  infra/clean.yaml")
    assert completed.returncode == 1, completed.stderr
    assert "::error file=infra/stages.yaml,line=4," in completed.stdout
    sarif_file = repo / "repo" / "stagelint.sarif"
    assert f"sarif-file={sarif_file}\n" in outputs and "exit-code=1\n" in outputs
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert "SL102" in [result["ruleId"] for result in sarif["runs"][0]["results"]]
    assert "### stagelint: " in (repo / "summary.md").read_text(encoding="utf-8")


def test_lint_step_with_baseline_and_working_directory(repo: Path) -> None:
    infra = repo / "repo" / "infra"
    subprocess.run([sys.executable, "-m", "stagelint", "check", "--write-baseline", "baseline.json", "."],
                   cwd=infra, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, capture_output=True)
    completed, outputs = _run_step(_steps()["lint"], repo, working_directory="infra", baseline="baseline.json",
                                   format="text")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "All clear" in completed.stdout and "exit-code=0\n" in outputs
    sarif = json.loads((infra / "stagelint.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []  # baselined findings open no alert


def test_lint_step_never_expands_globs_and_fails_on_usage_errors(repo: Path) -> None:
    completed, outputs = _run_step(_steps()["lint"], repo, paths="infra/*.yaml", fail_on="warning")
    assert completed.returncode == 3
    assert "infra/*.yaml" in completed.stderr
    assert "exit-code=3\n" in outputs and "sarif-file=" not in outputs  # nothing to upload


def test_readme_snippet_uses_the_action() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## CI: the GitHub Action\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section, "README has no GitHub Action section"
    (snippet,) = re.findall(r"^```yaml\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    workflow = YAML(typ="safe").load(snippet)
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    (step,) = [step for step in job["steps"] if step.get("uses", "").startswith("stagelint/stagelint@")]
    assert set(step.get("with", {})) <= set(ACTION["inputs"])
