"""Progress on stderr: drawn on a terminal only (tested under a pseudo-terminal), never in pipes.

`STAGELINT_PROGRESS_DELAY=0` stands in for a run that takes longer than the one-second default, so
that no test depends on how fast this machine is.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from tests.conftest import REPO

ESC = "\x1b["
FILES = 20  # above the engine's parallel threshold, so the pool reports batches too


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for index in range(FILES):
        (tmp_path / f"stages{index:02}.yaml").write_text(
            f'stages:\n  - name: prod{index}\n    cache_cluster_size: "6.2"\n', encoding="utf-8")
    return tmp_path


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env.update(PYTHONUTF8="1", PYTHONPATH=str(REPO), **extra)
    return env


def _stderr_on_terminal(directory: Path, *args: str, **extra: str) -> tuple[str, str]:
    """(stdout through a pipe, stderr as a pseudo-terminal shows it)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "stagelint", "check", "--select", "SL102", *args, "."],
                               cwd=directory, env=_environment(**extra), stdout=subprocess.PIPE, stderr=terminal)
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
    assert process.stdout is not None
    stdout = process.stdout.read().decode("utf-8")
    process.wait(timeout=120)
    os.close(controller)
    return stdout, b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_terminal_sees_progress_then_a_clean_line(project: Path, jobs: str) -> None:
    stdout, stderr = _stderr_on_terminal(project, "--jobs", jobs, STAGELINT_PROGRESS_DELAY="0")
    assert f"stagelint: checked {FILES}/{FILES} files and modules (100%)" in stderr
    assert stderr.endswith(f"\r{ESC}K")  # erased before the report, which is not mixed into it
    assert stdout.count("SL102") == FILES and ESC not in stdout


def test_no_progress_before_the_delay_quiet_or_dumb_terminal(project: Path) -> None:
    for extra, args in (({"STAGELINT_PROGRESS_DELAY": "3600"}, ()), ({"STAGELINT_PROGRESS_DELAY": "0"}, ("-q",)),
                        ({"STAGELINT_PROGRESS_DELAY": "0", "TERM": "dumb"}, ())):
        _, stderr = _stderr_on_terminal(project, *args, **extra)
        assert "checked" not in stderr and ESC not in stderr, (extra, args)


def test_pipes_get_no_progress_and_no_escape_codes(project: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "stagelint", "check", "--select", "SL102", "."],
                               cwd=project, env=_environment(STAGELINT_PROGRESS_DELAY="0"), capture_output=True,
                               check=False, timeout=120)
    assert completed.returncode == 1
    assert completed.stderr == b""
    assert b"\x1b" not in completed.stdout and completed.stdout.count(b"SL102") == FILES


def test_the_api_reports_every_unit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    for jobs in (1, 2):
        calls: list[tuple[int, int]] = []

        def record(done: int, total: int, calls: list[tuple[int, int]] = calls) -> None:
            calls.append((done, total))

        report = lint(["."], Config(select=("SL102",), jobs=jobs), progress=record)
        assert len(report.findings) == FILES
        assert calls[-1] == (FILES, FILES) and all(total == FILES for _, total in calls)
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)
