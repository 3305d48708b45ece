"""`--format gitlab`: a GitLab Code Quality report, and the README's `.gitlab-ci.yml` job runs as written."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.conftest import MACHINERY_RULES, REPO
from tests.conftest import run_cli as _run_cli


def run_cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real command line, with only the rules these output tests are written against selected (rules
    about what a bare stage lacks would add findings they do not mean to count)."""
    if args and args[0] == "check" and "--select" not in args:
        args = ("check", "--select", ",".join(MACHINERY_RULES), *args[1:])
    return _run_cli(*args, **kwargs)

FAILING = ('stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
           "  - name: my-stage\n")
REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def _report(directory: Path, *args: str) -> list[dict[str, object]]:
    completed = run_cli("check", "--format", "gitlab", *args, cwd=directory)
    assert completed.returncode in (0, 1, 2), completed.stderr
    issues: list[dict[str, object]] = json.loads(completed.stdout)
    return issues


def test_code_quality_issues(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "stages.yaml").write_text(FAILING, encoding="utf-8")
    (tmp_path / "infra" / "broken.yaml").write_text('stages:\n  - name: "prod\n', encoding="utf-8")
    (tmp_path / "infra" / "quiet.yaml").write_text(
        'stages:\n  - name: qa\n    cache_cluster_size: "7"  # stagelint: ignore[SL102] TICKET-1\n', encoding="utf-8")
    issues = _report(tmp_path / "infra", ".")  # run from a subdirectory: paths are still repo-relative
    assert all(set(issue) == REQUIRED for issue in issues)
    by_rule = {issue["check_name"]: issue for issue in issues}
    assert sorted(by_rule) == ["SL000", "SL002", "SL102"]  # the suppressed SL102 in quiet.yaml is left out
    assert by_rule["SL102"]["severity"] == "major" and by_rule["SL002"]["severity"] == "minor"
    assert by_rule["SL000"]["severity"] == "critical"
    assert by_rule["SL102"]["location"] == {"path": "infra/stages.yaml", "lines": {"begin": 4, "end": 4}}
    assert str(by_rule["SL102"]["description"]).startswith("SL102 cache-size-invalid: cache_cluster_size \"6.2\"")
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints) and all(re.fullmatch("[0-9a-f]{32}", str(f))
                                                              for f in fingerprints)
    assert run_cli("check", "--format", "gitlab", ".", cwd=tmp_path / "infra").stdout == \
        run_cli("check", "--format", "gitlab", ".", cwd=tmp_path / "infra").stdout


def test_clean_run_is_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    assert _report(tmp_path, ".") == []


def _readme_job() -> dict[str, object]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## CI: GitLab Code Quality\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section
    (snippet,) = re.findall(r"^```yaml\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    job: dict[str, object] = YAML(typ="safe").load(snippet)["stagelint"]
    return job


def test_readme_job_runs_and_writes_the_report_it_uploads(tmp_path: Path) -> None:
    job = _readme_job()
    artifacts = job["artifacts"]
    assert isinstance(artifacts, dict) and artifacts["when"] == "always"
    report_file = artifacts["reports"]["codequality"]
    script = job["script"]
    assert isinstance(script, list)
    (command,) = [line for line in script if line.startswith("stagelint ")]
    arguments = shlex.split(command)
    (tmp_path / "stages.yaml").write_text(FAILING, encoding="utf-8")
    completed = run_cli(*arguments[1:], cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith("stages.yaml:4:25: SL102")  # the log shows the findings
    issues = json.loads((tmp_path / report_file).read_text(encoding="utf-8"))
    assert [issue["check_name"] for issue in issues] == ["SL102", "SL002"]
