"""The one parametrized fixture test: every case under fixtures/ against its expected.json.

`fixtures/<ID>-<name>/<format>/` holds cases (a file, or a directory for a Terraform module) and an
`expected.json` mapping each case file (relative to the format folder) to its sorted findings
`[{"rule", "line", "column"}]`. A case runs with only its rule selected, through the public pipeline
(`stagelint.api.lint`), and again with every rule enabled to catch rules that interfere: the rule's
own findings must be the same. `_parse/` holds malformed inputs (SL000) and `_skip/` files that are
not stage files. Adding a rule or a format is a handful of files, no code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stagelint.api import Config, lint
from tests.conftest import COMPLETENESS_RULES, FIXTURES, REPO


def _cases() -> list[Any]:
    cases = []
    for expected_file in sorted(FIXTURES.glob("*/*/expected.json")):
        format_folder = expected_file.parent
        rule_folder = format_folder.parent.name
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        for case in sorted(format_folder.iterdir()):
            if case.name == "expected.json":
                continue
            case_id = f"{rule_folder}/{format_folder.name}/{case.name}"
            cases.append(pytest.param(rule_folder, format_folder, case, expected, id=case_id))
    return cases


def _rule_of(folder: str) -> str | None:
    return None if folder.startswith("_") else folder.split("-", 1)[0]


def _found(case: Path, format_folder: Path, config: Config, rule: str | None) -> dict[str, list[dict[str, Any]]]:
    report = lint([str(case.relative_to(REPO))], config)
    found: dict[str, list[dict[str, Any]]] = {}
    for result in report.files:
        relative = (REPO / result.path).relative_to(format_folder).as_posix()
        found.setdefault(relative, [])
    for finding in report.findings:
        if rule is not None and finding.rule_id != rule:
            continue
        relative = (REPO / finding.position.path).relative_to(format_folder).as_posix()
        found.setdefault(relative, []).append(
            {"rule": finding.rule_id, "line": finding.position.line, "column": finding.position.column}
        )
    return found


@pytest.mark.parametrize(("rule_folder", "format_folder", "case", "expected"), _cases())
def test_fixture(rule_folder: str, format_folder: Path, case: Path, expected: dict[str, Any], in_repo: Path) -> None:
    rule = _rule_of(rule_folder)
    # `_parse`/`_skip` cases are about reading files: what their bare stages lack is not their business.
    selected = Config(select=(rule,)) if rule else Config(ignore=COMPLETENESS_RULES)
    found = _found(case, format_folder, selected, rule)
    files = [case] if case.is_file() else sorted(path for path in case.rglob("*") if path.is_file())
    compared = 0
    for path in files:
        key = path.relative_to(format_folder).as_posix()
        if key not in expected:
            continue
        compared += 1
        assert found.get(key, []) == expected[key], f"{key}: findings differ from expected.json"
    assert compared, f"{case.name}: no file of this case is listed in expected.json"
    if rule is not None:
        # With every rule enabled, this rule's findings must not change.
        assert _found(case, format_folder, Config(extend_select=(rule,)), rule) == found  # off-by-default too


def test_every_case_is_listed() -> None:
    """A fixture file nobody expects anything of is a test that cannot fail."""
    for expected_file in FIXTURES.glob("*/*/expected.json"):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        folder = expected_file.parent
        for key in expected:
            assert (folder / key).is_file(), f"{expected_file}: lists {key}, which does not exist"
        for case in folder.iterdir():
            if case.name != "expected.json" and case.is_file():
                assert case.name in expected, f"{case} is not listed in {expected_file}"
