"""The CI formats (github, junit) and the options every format must honour (--exit-zero, --fail-on,
--statistics, --output)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from stagelint.formatters.github import escape_data, escape_property
from tests.conftest import IGNORE_COMPLETENESS, run_cli

FORMATS = ["text", "json", "sarif", "github", "junit"]
STAGES = ('stages:\n  - name: test\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
          "  - name: my-stage\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "stages.yaml").write_text(STAGES, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text('stages:\n  - name: prod\n', encoding="utf-8")
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
        "::warning file=stages.yaml,line=5,col=11,endLine=5,endColumn=19,title=SL002 stage-name-convention"
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
