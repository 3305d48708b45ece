"""Shared test helpers: where the repository, the fixtures and the shared corpus are."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SCHEMAS = SHARED / "schemas"

def generated(name: str, *args: object) -> Any:
    """What `benchmarks/generate_tree.py`'s function `name` makes of `args` (a big template, a module)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate_tree
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return getattr(generate_tree, name)(*args)


# Lines that make a native-format stage satisfy the rules a test is not about (a backend client
# certificate, a WAF web ACL, encrypted cache data), appended to a stage so that its file fires only
# what the test means it to. No stage of the test may have its own `method_settings`.
QUIET_STAGE = (
    "    client_certificate_id: c1\n"
    "    web_acl_arn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1\n"
    '    method_settings: [{resource_path: /*, http_method: "*", cache_data_encrypted: true}]\n'
)


# The rules the machinery tests (encodings, limits, budgets, output) are written against: a test that
# lints deliberately bare stages selects these, so a new rule about what a stage lacks does not change
# what it asserts. The new rules are tested by their own fixtures, the examples and the corpus.
MACHINERY_RULES = ("SL000", "SL001", "SL002", "SL003", "SL009", "SL010", "SL101", "SL102", "SL103", "SL201",
                   "SL301", "SL401")


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


# Rules that report what a stage *lacks* (access logs, execution logging, the account role, X-Ray, and a
# production stage's throttling: most test stages are named `prod` and set none).
# Tests of the machinery — encodings, suppressions, baselines, output formats, configuration, limits — lint
# deliberately bare stages, so they ignore these and still see exactly the findings they are about.
# The rules themselves are tested by their fixtures, the examples and the corpus.
COMPLETENESS_RULES = ("SL202", "SL501", "SL505", "SL506", "SL601")
IGNORE_COMPLETENESS = ("--ignore", ",".join(COMPLETENESS_RULES))
