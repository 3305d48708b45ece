"""docs/rules/SLxxx.md (SARIF `helpUri` points there) are generated from the docstrings and up to date."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_committed_rule_pages_are_up_to_date() -> None:
    completed = subprocess.run([sys.executable, str(REPO / "scripts" / "rule_docs.py"), "--check"],
                               capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stderr + "\n(run: .venv/bin/python scripts/rule_docs.py)"


def test_every_builtin_rule_has_a_page() -> None:
    from stagelint.registry import load_rules

    for rule in load_rules().rules:
        if rule.plugin != "builtin":
            continue
        page = (REPO / "docs" / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
        assert f"# {rule.id} {rule.name}\n" in page and rule.doc.markdown in page
        assert rule.help_uri is not None and rule.help_uri.endswith(f"/docs/rules/{rule.id}.md")
