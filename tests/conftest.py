"""Shared test helpers: where the repository, the fixtures and the shared corpus are."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SCHEMAS = SHARED / "schemas"


def run_cli(*args: str, cwd: Path | str = REPO, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter, as users and pre-commit do."""
    environment = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, "-m", "stagelint", *args], cwd=cwd, capture_output=True, text=True,
        input=input_text, env=environment, timeout=300, check=False,
    )


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository as the working directory, so display paths are repo-relative."""
    monkeypatch.chdir(REPO)
    return REPO


# Rules that report what a stage *lacks* (access logs, execution logging, the account role, X-Ray).
# Tests of the machinery — encodings, suppressions, baselines, output formats, configuration, limits — lint
# deliberately bare stages, so they ignore these and still see exactly the findings they are about.
# The rules themselves are tested by their fixtures, the examples and the corpus.
COMPLETENESS_RULES = ("SL501", "SL505", "SL506", "SL601")
IGNORE_COMPLETENESS = ("--ignore", ",".join(COMPLETENESS_RULES))
