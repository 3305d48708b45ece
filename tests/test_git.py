"""Every git call stagelint makes leaves the linted repository's own programs alone: a checkout's
`.git/config` can name an fsmonitor hook, which index commands (`ls-files`, `check-ignore`) run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import QUIET_STAGE, run_cli


@pytest.mark.parametrize("arguments", [("check", "--isolated", "."), ("check", "--isolated", "--show-files", "."),
                                       ("check", "--isolated", "ignored"),  # a directory git ignores as a whole
                                       ("check", "--isolated", "--format", "sarif", "."),
                                       ("report", "--isolated", "-o", "report.html", ".")])
def test_no_git_call_runs_the_repositorys_fsmonitor_hook(tmp_path: Path, arguments: tuple[str, ...]) -> None:
    marker = tmp_path.parent / f"{tmp_path.name}-hook-ran"
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: prod\n" + QUIET_STAGE, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "more.yaml").write_text("stages:\n  - name: dev\n" + QUIET_STAGE, encoding="utf-8")
    subprocess.run([*git, "add", "stages.yaml", ".gitignore"], check=True)
    subprocess.run([*git, "config", "core.fsmonitor", f"touch {marker}; false"], check=True)
    completed = run_cli(*arguments, cwd=tmp_path)
    assert completed.returncode in (0, 1) and "Traceback" not in completed.stderr, completed.stderr
    assert not marker.exists()
