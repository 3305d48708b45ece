"""Several reports from one run (`--format FMT[:FILE]`, `--output-sarif FILE`): CI lints once."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from stagelint.outputs import Output, OutputError, parse_outputs
from tests.conftest import MACHINERY_RULES
from tests.conftest import run_cli as _run_cli


def run_cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real command line, with only the rules these output tests are written against selected (rules
    about what a bare stage lacks would add findings they do not mean to count)."""
    if args and args[0] == "check" and "--select" not in args:
        args = ("check", "--select", ",".join(MACHINERY_RULES), *args[1:])
    return _run_cli(*args, **kwargs)

FAILING = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'


def test_parse_outputs() -> None:
    assert parse_outputs(()) == [Output("text", None)]
    assert parse_outputs((), "report.txt", "x.sarif") == [Output("text", "report.txt"), Output("sarif", "x.sarif")]
    assert parse_outputs(("github", "sarif:out/x.sarif", "JUnit:C:\\ci\\junit.xml")) == [
        Output("github", None), Output("sarif", "out/x.sarif"), Output("junit", "C:\\ci\\junit.xml")]
    assert parse_outputs(("json:a.json", "text"), "log.txt") == [Output("json", "a.json"), Output("text", "log.txt")]


@pytest.mark.parametrize(("formats", "output", "message"), [
    (("text", "json"), None, "only one format can be printed"),
    (("yaml",), None, "unknown format `yaml`"),
    (("sarif:",), None, "file name after `:` is missing"),
    (("sarif:a", "json:a"), None, "two reports would be written to a"),
    (("sarif:a",), "b", "every format has a FILE"),
])
def test_parse_outputs_refuses(formats: tuple[str, ...], output: str | None, message: str) -> None:
    with pytest.raises(OutputError, match=message):
        parse_outputs(formats, output)


def test_one_run_writes_every_report(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(FAILING, encoding="utf-8")
    completed = run_cli("check", "--format", "text", "--format", "sarif:reports/stagelint.sarif",
                        "--format", "junit:junit.xml", "--format", "json:report.json", ".", cwd=tmp_path)
    # reports/ does not exist: a report that cannot be written is an error, never silently missing
    assert completed.returncode == 3 and "cannot write reports/stagelint.sarif" in completed.stderr
    (tmp_path / "reports").mkdir()
    completed = run_cli("check", "--format", "text", "--format", "sarif:reports/stagelint.sarif",
                        "--format", "junit:junit.xml", "--format", "json:report.json", ".", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith("stages.yaml:4:25: SL102 [error]")
    sarif = json.loads((tmp_path / "reports" / "stagelint.sarif").read_text(encoding="utf-8"))
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]] == ["SL102"]
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["summary"]["findings"] == 1
    ElementTree.fromstring((tmp_path / "junit.xml").read_text(encoding="utf-8"))


def test_output_sarif_beside_the_default_text(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(FAILING, encoding="utf-8")
    completed = run_cli("check", "--output-sarif", "stagelint.sarif", "--format", "github", ".", cwd=tmp_path)
    assert completed.returncode == 1
    assert completed.stdout.startswith("::error file=stages.yaml,")
    assert json.loads((tmp_path / "stagelint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    plain = run_cli("check", "--output-sarif", "again.sarif", ".", cwd=tmp_path)
    assert plain.stdout.startswith("stages.yaml:4:25: SL102") and (tmp_path / "again.sarif").is_file()


def test_two_printed_formats_are_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(FAILING, encoding="utf-8")
    completed = run_cli("check", "--format", "text", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 3 and completed.stdout == ""
    assert "only one format can be printed" in completed.stderr
