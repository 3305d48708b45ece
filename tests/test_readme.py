"""The README's workflow sections are true: each snippet is parsed and, where it is a command, run."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from stagelint.config_files import KEYS, load_config
from tests.conftest import IGNORE_COMPLETENESS, QUIET_STAGE, REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")
WORKFLOW = REPO / "docs" / "github-actions" / "stagelint.yml"


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _yaml(text: str) -> Any:
    return YAML(typ="safe").load(text)


def test_pre_commit_snippet_names_our_hook() -> None:
    (snippet,) = _blocks(_section("Pre-commit"), "yaml")
    (repo,) = _yaml(snippet)["repos"]
    assert repo["repo"].startswith("https://") and repo["rev"]
    hook_ids = {hook["id"] for hook in _yaml((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert [hook["id"] for hook in repo["hooks"]] == ["stagelint"]
    assert "stagelint" in hook_ids


def test_workflow_in_readme_is_the_shipped_file() -> None:
    (snippet,) = _blocks(_section("CI: GitHub code scanning (SARIF)"), "yaml")
    assert snippet == WORKFLOW.read_text(encoding="utf-8")


def _workflow_steps() -> list[dict[str, Any]]:
    workflow = _yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def test_workflow_runs_sarif_and_uploads_it(tmp_path: Path) -> None:
    steps = _workflow_steps()
    commands = [step["run"] for step in steps if "stagelint check" in step.get("run", "")]
    (command,) = commands
    arguments = shlex.split(command)
    assert arguments[:2] == ["stagelint", "check"]
    assert arguments[arguments.index("--format") + 1] == "sarif"
    output = arguments[arguments.index("-o") + 1]
    (upload,) = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == output
    assert upload["if"]  # uploads even when the lint step failed the job
    # Run the workflow's own command on a failing file: it writes SARIF there and exits 1.
    (tmp_path / "stages.yaml").write_text(
        'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n' + QUIET_STAGE,
        encoding="utf-8")
    completed = run_cli(*arguments[1:], cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    sarif = json.loads((tmp_path / output).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    # The bare stage also lacks access logs, execution logging and X-Ray: those findings are there too.
    assert "SL102" in [result["ruleId"] for result in sarif["runs"][0]["results"]]


def test_configuration_example_loads_and_documents_every_key(tmp_path: Path) -> None:
    section = _section("Configuration")
    example, run_keys = _blocks(section, "toml")
    (tmp_path / "pyproject.toml").write_text(run_keys, encoding="utf-8")
    config = load_config(tmp_path / "pyproject.toml", cwd=str(tmp_path))
    assert config.jobs == 0 and config.formats == ("concise",) and config.decode.terraform_var_files == (
        "envs/prod.tfvars",)
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    config = load_config(tmp_path / "pyproject.toml", cwd=str(tmp_path))
    assert config.extend_select == ("SL900",)
    assert config.rule_options["stage-name-reserved"] == {"reserved-names": ["test", "default"]}
    import tomllib

    documented = set(tomllib.loads(example)["tool"]["stagelint"]) | set(tomllib.loads(run_keys)["tool"]["stagelint"])
    assert documented == set(KEYS)
    # And a real run accepts it (rule options and selectors are validated against the rules).
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: default\n", encoding="utf-8")
    completed = run_cli("check", "--quiet", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert 'stage name "default" is reserved' in completed.stdout


def test_suppression_example_suppresses(tmp_path: Path) -> None:
    (example,) = _blocks(_section("Suppressions and baselines"), "yaml")
    (tmp_path / "stages.yaml").write_text(example, encoding="utf-8")
    completed = run_cli("check", "stages.yaml", cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "2 suppressed" in completed.stdout


def test_baseline_commands_run(tmp_path: Path) -> None:
    (commands,) = _blocks(_section("Suppressions and baselines"), "sh")
    (tmp_path / "stages.yaml").write_text('stages:\n  - name: test\n', encoding="utf-8")
    for line in commands.splitlines():
        arguments = shlex.split(line, comments=True)
        assert arguments[0] == "stagelint"
        completed = run_cli(*arguments[1:], cwd=tmp_path)
        assert completed.returncode == 0, (line, completed.stdout, completed.stderr)


def test_readme_rule_table_lists_every_rule() -> None:
    from stagelint.registry import load_rules

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Rules"):readme.index("## The native stage format")]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("| SL")}
    for rule in load_rules().rules:
        assert rule.id in rows, f"{rule.id} is missing from the README's rule table"
        assert f"| {rule.name} |" in rows[rule.id]
        assert rule.default_severity.value in rows[rule.id]
    assert set(rows) == {rule.id for rule in load_rules().rules}


def test_editor_stdin_snippet_runs(tmp_path: Path) -> None:
    section = README[README.index("### Editors (stdin)"):README.index("### Shell completion")]
    (command,) = _blocks(section, "sh")
    arguments = shlex.split(command.split("<")[0])
    source = command.split("<")[1].strip()
    (tmp_path / "infra").mkdir()
    (tmp_path / source).write_text('stages:\n  - name: prod\n    cache_cluster_size: "6.2"\n' + QUIET_STAGE,
                                   encoding="utf-8")
    completed = run_cli(*arguments[1:], *IGNORE_COMPLETENESS, cwd=tmp_path,
                        input_text=(tmp_path / source).read_text(encoding="utf-8"))
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith("infra/api.yaml:3:25: SL102 [error]")
