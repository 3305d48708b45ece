"""Write `expected.json` for fixture format folders from what stagelint finds today.

    .venv/bin/python tests/update_fixtures.py fixtures/SL010-duplicate-key/plain [...]

Run it for a folder you have just written, then read the diff: the expected findings are a claim
about the rule, and a fixture is only worth what that review is worth. Cases are the folder's files
(or directories, for Terraform modules), each linted alone with only the folder's rule selected.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def expected_for(format_folder: Path) -> dict[str, list[dict[str, object]]]:
    from stagelint.api import Config, lint

    rule_folder = format_folder.parent.name
    rule = None if rule_folder.startswith("_") else rule_folder.split("-", 1)[0]
    # As tests/test_fixtures.py runs them: `_parse`/`_skip`-style cases without the completeness rules.
    from tests.conftest import COMPLETENESS_RULES

    config = Config(select=(rule,), jobs=1) if rule else Config(jobs=1, ignore=COMPLETENESS_RULES)
    expected: dict[str, list[dict[str, object]]] = {}
    for case in sorted(format_folder.iterdir()):
        if case.name == "expected.json":
            continue
        report = lint([str(case.relative_to(REPO))], config)
        for result in report.files:
            expected.setdefault((REPO / result.path).relative_to(format_folder).as_posix(), [])
        for finding in report.findings:
            if rule is not None and finding.rule_id != rule:
                continue
            key = (REPO / finding.position.path).relative_to(format_folder).as_posix()
            expected.setdefault(key, []).append(
                {"rule": finding.rule_id, "line": finding.position.line, "column": finding.position.column})
    return dict(sorted(expected.items()))


def main(folders: list[str]) -> None:
    os.chdir(REPO)
    sys.path.insert(0, str(REPO))
    for folder in folders:
        path = (REPO / folder).resolve()
        text = json.dumps(expected_for(path), indent=2, sort_keys=True) + "\n"
        (path / "expected.json").write_text(text, encoding="utf-8")
        print(f"{path.relative_to(REPO)}/expected.json")


if __name__ == "__main__":
    main(sys.argv[1:])
