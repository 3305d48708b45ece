"""SARIF and `--format github` paths are relative to the repository root (the git top level, or
`--project-root`), so a step with `working-directory: infra` still points at real files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MACHINERY_RULES, SCHEMAS, run_cli

SELECT = ",".join(MACHINERY_RULES)

FAILING = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "infra" / "api").mkdir(parents=True)
    (tmp_path / "infra" / "api" / "stages.yaml").write_text(FAILING, encoding="utf-8")
    (tmp_path / "infra" / "broken.yaml").write_text('stages:\n  - name: "prod\n', encoding="utf-8")
    return tmp_path


def _sarif_uris(directory: Path, *args: str) -> list[str]:
    completed = run_cli("check", "--select", SELECT, "--format", "sarif", *args, cwd=directory)
    document = json.loads(completed.stdout)
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    (run,) = document["runs"]
    uris = [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]]
    notes = [note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             for note in run["invocations"][0]["toolExecutionNotifications"]]
    assert set(notes) <= set(uris)
    return uris


def test_sarif_from_a_subdirectory(monorepo: Path) -> None:
    uris = _sarif_uris(monorepo / "infra", ".")
    assert sorted(uris) == ["infra/api/stages.yaml", "infra/broken.yaml"]
    assert all((monorepo / uri).is_file() for uri in uris)
    assert sorted(_sarif_uris(monorepo / "infra" / "api", ".", "../broken.yaml")) == [
        "infra/api/stages.yaml", "infra/broken.yaml"]


def test_github_from_a_subdirectory(monorepo: Path) -> None:
    completed = run_cli("check", "--select", SELECT, "--format", "github", "api", cwd=monorepo / "infra")
    (command,) = completed.stdout.splitlines()
    assert command.startswith("::error file=infra/api/stages.yaml,line=4,")


def test_text_keeps_working_directory_paths(monorepo: Path) -> None:
    completed = run_cli("check", "--select", SELECT, "--quiet", "api", cwd=monorepo / "infra")
    assert completed.stdout.startswith("api/stages.yaml:4:")


def test_project_root_option(monorepo: Path) -> None:
    assert _sarif_uris(monorepo / "infra", "--project-root", "api", "api") == ["stages.yaml"]
    # A file outside the project root keeps an absolute file URI.
    completed = run_cli("check", "--format", "sarif", "--project-root", "api", "broken.yaml", cwd=monorepo / "infra")
    (result,) = json.loads(completed.stdout)["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"].startswith("file:///") and "uriBaseId" not in artifact


def test_outside_git_the_working_directory_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "stages.yaml").write_text(FAILING, encoding="utf-8")
    from stagelint.formatters.paths import git_top_level

    if git_top_level(str(tmp_path)) is not None:
        pytest.skip("the temporary directory is inside a git work tree")
    assert _sarif_uris(tmp_path / "infra", ".") == ["stages.yaml"]
