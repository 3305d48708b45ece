"""The `full` format: the default on a terminal (tested under a pseudo-terminal), the source line with
a caret under the value and the value's origin below; pipes keep the one-line `concise` form."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_color import ESC, _run

MAIN = ('resource "aws_api_gateway_stage" "prod" {\n  stage_name            = "prod"\n'
        '  rest_api_id           = "abc"\n  deployment_id         = "def"\n'
        '  cache_cluster_enabled = true\n  cache_cluster_size    = var.size\n}\n')


def _project(tmp_path: Path) -> Path:
    (tmp_path / "variables.tf").write_text('variable "size" {\n  default = "6.2"\n}\n', encoding="utf-8")
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    return tmp_path


def test_full_shows_the_source_line_and_the_origin(tmp_path: Path) -> None:
    completed = run_cli("check", "--format", "full", "--select", "SL102", ".", cwd=_project(tmp_path))
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("main.tf:6:27: SL102 [error] cache_cluster_size = var.size")
    assert lines[1:6] == [
        " 6 |   cache_cluster_size    = var.size",
        "   |                           ^^^^^^^^",
        "  = value from var.size, at variables.tf:2:13",
        ' 2 |   default = "6.2"',
        "   |             ^^^^^",
    ]
    assert lines[-1].startswith("Found 1 finding")


def test_terminal_default_is_full_and_pipes_stay_concise(tmp_path: Path) -> None:
    project = _project(tmp_path)
    on_terminal = _run(project, "--select", "SL102", tty=True, NO_COLOR="1").replace("\r\n", "\n")
    assert " 6 |   cache_cluster_size    = var.size\n" in on_terminal and ESC not in on_terminal
    piped = _run(project, "--select", "SL102", tty=False)
    assert len(piped.splitlines()) == 2 and " | " not in piped  # the finding and the summary
    concise = _run(project, "--select", "SL102", "--format", "concise", tty=True).replace("\r\n", "\n")
    assert " | " not in concise and "SL102" in concise


def test_full_colours_on_a_terminal(tmp_path: Path) -> None:
    output = _run(_project(tmp_path), "--select", "SL102", tty=True)
    assert f"{ESC}31m{ESC}1m^^^^^^^^{ESC}0m" in output


def test_full_escapes_source_lines(tmp_path: Path) -> None:
    from stagelint.formatters.full import _Sources, snippet
    from stagelint.positions import SourcePosition

    source = tmp_path / "main.tf"
    source.write_text('  a = "\x1b]0;title\x07" # \u202e\n', encoding="utf-8")
    shown = snippet(SourcePosition(str(source), 1, 7, 1, 19), _Sources(), color=False)
    assert shown == [' 1 |   a = "\\x1b]0;title\\x07" # \\u202e',
                     "   |       " + "^" * len('"\\x1b]0;title\\x07"')]
