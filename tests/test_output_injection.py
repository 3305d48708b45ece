"""Stage names and file names are attacker-controlled text: no format lets them drive the terminal,
forge a line, reorder what a reviewer reads, or break the XML (issue 12, output injection)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from stagelint.formatters.escape import json_safe, printable
from tests.conftest import run_cli

# ESC/OSC set the window title, CSI clears the screen, CR+LF forge a finding and a fake summary,
# U+202E reverses the rest of the line, NUL and BEL are not XML.
NAME = "\x1b]0;pwned\x07\x1b[2J\r\nfake.yaml:1:1: SL000 [error] x\nAll clear: 0 files\u202eevil\x00"
YAML_NAME = r"\e]0;pwned\a\e[2J\r\nfake.yaml:1:1: SL000 [error] x\nAll clear: 0 files\u202Eevil\0"
FILE_NAME = "odd\x1b[31m\u2066name.yaml"
# What must never reach the output raw (LF is allowed only as the line separator).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / FILE_NAME).write_text(f'stages:\n  - name: "{YAML_NAME}"\n    cache_cluster_enabled: true\n'
                                      '    cache_cluster_size: "6.2"\n', encoding="utf-8")
    return tmp_path


def _assert_inert(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))
    assert not any(line.startswith(("fake.yaml", "All clear: 0")) for line in text.splitlines())


def test_printable_escapes_every_unsafe_character() -> None:
    assert printable("a\x1b[2Jb\r\nc\u202ed\x00\x85\ud800") == "a\\x1b[2Jb\\x0d\\x0ac\\u202ed\\x00\\x85\\ud800"
    assert printable("prod-é 😀 \\ plain") == "prod-é 😀 \\ plain"  # printable text is left alone


def test_json_safe_keeps_the_value() -> None:
    value = {"name": NAME + "\ud800\u2028\x85"}
    safe = json_safe(json.dumps(value, ensure_ascii=False, indent=2))
    assert json.loads(safe) == value
    assert not RAW.search(safe.replace("\n", "")) and "\u2028" not in safe
    safe.encode("utf-8")  # a lone surrogate is an escape now, so the text always encodes


def test_text_format_and_output_file(project: Path) -> None:
    completed = run_cli("check", "--select", "SL001,SL102", ".", cwd=project)
    assert completed.returncode == 1
    _assert_inert(completed.stdout)
    lines = completed.stdout.splitlines()
    assert len(lines) == 3, lines  # SL001, SL102 and the summary: nothing forged
    assert lines[0].startswith("odd\\x1b[31m\\u2066name.yaml:2:")
    assert "\\x1b]0;pwned\\x07" in lines[0] and "\\x0d\\x0afake.yaml" in lines[0] and "\\u202eevil\\x00" in lines[0]
    written = run_cli("check", "--select", "SL001,SL102", "-o", "report.txt", ".", cwd=project)
    assert written.returncode == 1 and written.stdout == ""
    assert (project / "report.txt").read_text(encoding="utf-8") == completed.stdout


def test_verbose_notes_are_escaped(project: Path) -> None:
    (project / "x\x1b[2J.json").write_text("{}", encoding="utf-8")
    completed = run_cli("check", "-v", ".", cwd=project)
    assert "x\\x1b[2J.json" in completed.stderr
    _assert_inert(completed.stderr)


def test_github_format(project: Path) -> None:
    completed = run_cli("check", "--format", "github", "--select", "SL001", ".", cwd=project)
    assert completed.returncode == 1
    _assert_inert(completed.stdout)
    (command,) = completed.stdout.splitlines()
    assert command.startswith("::error file=odd\\x1b[31m\\u2066name.yaml,")


def test_junit_stays_valid_xml(project: Path) -> None:
    completed = run_cli("check", "--format", "junit", ".", cwd=project)
    assert completed.returncode == 1
    _assert_inert(completed.stdout)
    root = ElementTree.fromstring(completed.stdout)
    (case,) = root.iter("testcase")
    assert case.get("name") == printable(FILE_NAME)
    assert all("\\x1b]0;pwned" in (failure.get("message") or "") for failure in case if failure.get("type") == "SL001")


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_formats_escape_but_keep_the_value(project: Path, output_format: str) -> None:
    completed = run_cli("check", "--format", output_format, ".", cwd=project)
    assert completed.returncode == 1
    _assert_inert(completed.stdout)
    document = json.loads(completed.stdout)
    if output_format == "json":
        stages = {finding["stage"] for finding in document["findings"]}
        paths = {finding["path"] for finding in document["findings"]}
    else:
        results = document["runs"][0]["results"]
        stages = {result["properties"]["stage"] for result in results}
        paths = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results}
    assert stages == {NAME}
    assert len(paths) == 1


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_inventory(project: Path, output_format: str) -> None:
    completed = run_cli("inventory", "--format", output_format, ".", cwd=project)
    assert completed.returncode == 0, completed.stderr
    _assert_inert(completed.stdout)
    if output_format == "text":
        assert len(completed.stdout.splitlines()) == 5  # header, one stage, blank, one environment, total
        assert "\\x1b]0;pwned\\x07" in completed.stdout and "odd\\x1b[31m\\u2066name.yaml:2" in completed.stdout
    else:
        (stage,) = json.loads(completed.stdout)["stages"]
        assert stage["name"] == NAME
