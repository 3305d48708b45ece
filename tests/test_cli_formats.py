"""The CI formats (github, junit) and the options every format must honour (--exit-zero, --fail-on,
--statistics, --output)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from stagelint.formatters.github import escape_data, escape_property
from tests.conftest import IGNORE_COMPLETENESS, MACHINERY_RULES, QUIET_STAGE, run_cli

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]
STAGES = ('stages:\n  - name: test\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
          + QUIET_STAGE + "  - name: my-stage\n" + QUIET_STAGE)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "stages.yaml").write_text(STAGES, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text('stages:\n  - name: prod\n' + QUIET_STAGE, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text('stages:\n  - name: "prod\n', encoding="utf-8")
    return tmp_path


def test_github_workflow_commands(project: Path) -> None:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", "stages.yaml", cwd=project)
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == [
        "::error file=stages.yaml,line=2,col=11,endLine=2,endColumn=15,title=SL003 stage-name-reserved"
        '::stage name "test" is reserved (stage test)',
        "::error file=stages.yaml,line=4,col=25,endLine=4,endColumn=30,title=SL102 cache-size-invalid"
        '::cache_cluster_size "6.2" is not one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237 (GB) (stage test)',
        "::warning file=stages.yaml,line=8,col=11,endLine=8,endColumn=19,title=SL002 stage-name-convention"
        '::stage name "my-stage" does not match the naming convention `^[A-Za-z0-9_]+$` (stage my-stage)',
    ]


def test_github_escaping() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"


def test_junit_is_valid_xml(project: Path) -> None:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "junit", ".", cwd=project)
    assert completed.returncode == 2  # broken.yaml
    root = ElementTree.fromstring(completed.stdout)
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert sorted(cases) == ["broken.yaml", "clean.yaml", "stages.yaml"]
    assert suite.get("tests") == "3" and suite.get("failures") == "3" and suite.get("errors") == "1"
    assert list(cases["clean.yaml"]) == []
    assert [element.get("type") for element in cases["stages.yaml"]] == ["SL003", "SL102", "SL002"]
    assert [element.tag for element in cases["broken.yaml"]] == ["error"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_exit_codes_for_every_format(project: Path, output_format: str) -> None:
    assert run_cli("check", *IGNORE_COMPLETENESS, "--format", output_format, "stages.yaml", cwd=project).returncode == 1
    assert run_cli("check", *IGNORE_COMPLETENESS,
                   "--format", output_format, "--exit-zero", "stages.yaml", cwd=project).returncode == 0
    assert run_cli("check", *IGNORE_COMPLETENESS,
                   "--format", output_format, "--fail-on", "never", "stages.yaml", cwd=project).returncode == 0
    only_warning = ("--select", "SL002", "stages.yaml")
    assert run_cli("check", *IGNORE_COMPLETENESS, "--format", output_format, *only_warning, cwd=project).returncode == 0
    assert run_cli("check", *IGNORE_COMPLETENESS, "--format", output_format, "--fail-on", "warning", *only_warning,
                   cwd=project).returncode == 1
    # --exit-zero never hides input errors.
    assert run_cli("check", *IGNORE_COMPLETENESS,
                   "--format", output_format, "--exit-zero", ".", cwd=project).returncode == 2


@pytest.mark.parametrize("output_format", FORMATS)
def test_output_file_and_statistics(project: Path, output_format: str) -> None:
    completed = run_cli("check", *IGNORE_COMPLETENESS,
                        "--format", output_format, "--statistics", "-o", "report.out", "stages.yaml",
                        cwd=project)
    assert completed.returncode == 1 and completed.stdout == ""
    written = (project / "report.out").read_text(encoding="utf-8")
    assert "SL102" in written
    if output_format == "text":
        assert "1  SL102  cache-size-invalid" in written  # statistics: text only (documented)
    if output_format in ("json", "sarif"):
        json.loads(written)


def test_clean_and_quiet_prints_nothing(project: Path) -> None:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--quiet", "clean.yaml", cwd=project)
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")
    assert run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", "clean.yaml", cwd=project).stdout == ""


def _many(count: int, conventions: int) -> str:
    stages = [f'  - name: s{index}\n    cache_cluster_size: "6.2"\n    cache_cluster_enabled: true\n' + QUIET_STAGE
              for index in range(count)]
    stages += [f"  - name: my-stage-{index}\n" + QUIET_STAGE for index in range(conventions)]
    return "stages:\n" + "".join(stages)


def test_github_says_how_many_annotations_are_not_shown(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(_many(13, 3), encoding="utf-8")
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", ".", cwd=tmp_path)
    lines = completed.stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 13
    assert lines[-1] == ("stagelint: 3 errors not shown as annotations (GitHub shows 10 of each level per step): "
                         "the step summary lists all 16 findings.")
    (tmp_path / "stages.yaml").write_text(_many(10, 3), encoding="utf-8")
    last = run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", ".", cwd=tmp_path).stdout.splitlines()[-1]
    assert last.startswith("::warning ")


def test_github_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "stages.yaml").write_text(_many(2, 1) + '  - name: "a|b<img src=x>"\n' + QUIET_STAGE,
                                          encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", ".", cwd=tmp_path)
    assert completed.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### stagelint: 4 findings (3 errors, 1 warning)\n")  # appended
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Severity | Rule | Location | Message |" and len(rows) == 5
    assert rows[1].startswith("| error | [SL102](https://github.com/stagelint/stagelint/blob/main/docs/rules/SL102.md)"
                              " cache-size-invalid | stages.yaml:3:25 | ")
    assert "a\\|b\\<img src=x\\>" in text  # a stage name cannot inject HTML or table cells
    assert not re.search(r"(?<!\\)<", text)
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)  # four cells, however odd the name
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "")
    (tmp_path / "stages.yaml").write_text('stages:\n  - name: prod\n' + QUIET_STAGE, encoding="utf-8")
    assert run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", ".", cwd=tmp_path).returncode == 0
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("check", *IGNORE_COMPLETENESS, "--format", "github", ".", cwd=tmp_path)
    assert summary.read_text(encoding="utf-8").endswith(
        "### stagelint: all clear\n\n1 file checked, 1 stage found.\n")


def test_junit_does_not_count_files_without_stages(project: Path) -> None:
    (project / "package.json").write_text('{"name": "app", "version": "1.0.0"}\n', encoding="utf-8")
    (project / ".gitlab-ci.yml").write_text("stages:\n  - build\n  - test\n", encoding="utf-8")
    completed = run_cli("check", "--format", "junit", "package.json", ".gitlab-ci.yml", "clean.yaml",
                        "stages.yaml", cwd=project)
    assert completed.returncode == 1, completed.stderr
    (suite,) = ElementTree.fromstring(completed.stdout).findall("testsuite")
    assert [case.get("name") for case in suite.findall("testcase")] == ["clean.yaml", "stages.yaml"]
    assert suite.get("tests") == "2"


def test_json_lists_suppressed_findings_with_kind_and_justification(tmp_path: Path) -> None:
    (tmp_path / "inline.yaml").write_text(
        'stages:\n  - name: prod\n    cache_cluster_enabled: true\n'
        '    cache_cluster_size: "6.2"  # stagelint: ignore[SL102] legacy cluster, TICKET-7\n', encoding="utf-8")
    (tmp_path / "old.yaml").write_text('stages:\n  - name: qa\n    cache_cluster_size: "7"\n', encoding="utf-8")
    select = ("--select", ",".join(MACHINERY_RULES))  # the rules this test counts findings of
    assert run_cli("check", *select, "--write-baseline", "baseline.json", "old.yaml", cwd=tmp_path).returncode == 0
    completed = run_cli("check", *select, "--format", "json", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout
    document = json.loads(completed.stdout)
    assert document["findings"] == [] and document["summary"]["suppressed"] == 2
    by_path = {record["path"]: record for record in document["suppressed"]}
    assert sorted(by_path) == ["inline.yaml", "old.yaml"]
    assert by_path["inline.yaml"]["rule"] == "SL102"
    assert by_path["inline.yaml"]["suppression"]["kind"] == "inSource"
    assert "legacy cluster, TICKET-7" in by_path["inline.yaml"]["suppression"]["justification"]
    assert by_path["old.yaml"]["suppression"] == {"kind": "external", "justification": "baseline"}
    assert len(by_path["old.yaml"]["fingerprint"]) == 32
