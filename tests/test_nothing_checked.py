"""Issue 11: a run that checks nothing says so, and never reads as a silent "All clear"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

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
    result = run_cli("check", "--isolated", *options, ".", cwd=tmp_path)
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
