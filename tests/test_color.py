"""Colour in the text report: on a terminal only (tested under a pseudo-terminal), off with NO_COLOR,
on with FORCE_COLOR or --color always, and never in pipes, files or machine formats."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MACHINERY_RULES, REPO
from tests.conftest import run_cli as _run_cli


def run_cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real command line, with only the rules these output tests are written against selected (rules
    about what a bare stage lacks would add findings they do not mean to count)."""
    if args and args[0] == "check" and "--select" not in args:
        args = ("check", "--select", ",".join(MACHINERY_RULES), *args[1:])
    return _run_cli(*args, **kwargs)

FAILING = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
ESC = "\x1b["


def _run(directory: Path, *args: str, tty: bool, **environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(PYTHONUTF8="1", PYTHONPATH=str(REPO), **environment)
    command = [sys.executable, "-m", "stagelint", "check", *args, "."]
    if not tty:
        return subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, check=False,
                              timeout=120).stdout
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, cwd=directory, env=env, stdout=terminal, stderr=subprocess.DEVNULL)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(controller)
    return b"".join(chunks).decode("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "stages.yaml").write_text(FAILING, encoding="utf-8")
    return tmp_path


def test_terminal_gets_colour(project: Path) -> None:
    output = _run(project, tty=True)
    assert f"{ESC}1mstages.yaml:4:25:{ESC}0m {ESC}31m{ESC}1mSL102{ESC}0m" in output
    assert "SL102" in output


def test_no_color_and_never_turn_it_off(project: Path) -> None:
    assert ESC not in _run(project, tty=True, NO_COLOR="1")
    assert ESC not in _run(project, "--color", "never", tty=True, FORCE_COLOR="1")


def test_pipes_files_and_machine_formats_have_none(project: Path) -> None:
    piped = _run(project, tty=False)
    assert "stages.yaml:4:25: SL102 [error]" in piped and ESC not in piped
    assert ESC not in _run(project, "--format", "json", tty=True)
    assert ESC not in _run(project, "--format", "github", tty=True, FORCE_COLOR="1")
    _run(project, "-o", "report.txt", tty=True, FORCE_COLOR="1")
    assert ESC not in (project / "report.txt").read_text(encoding="utf-8")


def test_force_color_and_always_colour_a_pipe(project: Path) -> None:
    assert f"{ESC}31m{ESC}1mSL102" in _run(project, tty=False, FORCE_COLOR="1")
    assert f"{ESC}31m{ESC}1mSL102" in _run(project, "--color", "always", tty=False)


def test_a_stage_name_cannot_forge_colour(project: Path) -> None:
    (project / "stages.yaml").write_text('stages:\n  - name: "a\\e[32mb"\n', encoding="utf-8")
    output = _run(project, "--color", "always", tty=False)
    assert "a\\x1b[32mb" in output and f"{ESC}32m" not in output


def test_the_codes_are_what_click_style_writes() -> None:
    """The reports colour without importing click (`formatters/ansi.py`), with click's own codes."""
    import click

    from stagelint.formatters.ansi import _COLOURS, style, unstyle
    from stagelint.formatters.text import COLOURS

    assert set(COLOURS.values()) | {"red"} <= set(_COLOURS)
    for colour in (None, *_COLOURS):
        assert style("a:1:2:", fg=colour) == click.style("a:1:2:", fg=colour)
        assert style("SL101", fg=colour, bold=True) == click.style("SL101", fg=colour, bold=True)
    text = f"{style('a', bold=True)} {style('b', fg='blue')} c \x1b[2K\x1b[?25l d"
    assert unstyle(text) == click.unstyle(text) and unstyle("plain") == "plain"
