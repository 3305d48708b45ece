"""Every CloudFormation, SAM and CDK file of the shared corpus, against `tests/corpus/cloudformation.json`.

Valid files load with no SL000 and give the recorded number of stages; the files MANIFEST.tsv marks
as intentionally malformed give SL000 with a position (the duplicate-key ones give SL010 instead).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from tests.conftest import CORPUS, REPO

EXPECTED = json.loads((REPO / "tests" / "corpus" / "cloudformation.json").read_text(encoding="utf-8"))
FOLDERS = ("cloudformation-yaml", "cloudformation-json", "sam", "cdk")


def _malformed() -> set[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return set()
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return {row[0] for row in rows if len(row) > 6 and row[6].startswith("intentionally malformed")}


@pytest.fixture(scope="module")
def corpus_report() -> dict[str, object]:
    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    return {"report": lint([str(CORPUS / folder) for folder in FOLDERS], Config())}


def test_expectations_cover_every_corpus_file() -> None:
    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    on_disk = {
        path.relative_to(CORPUS).as_posix()
        for folder in FOLDERS
        for path in (CORPUS / folder).rglob("*")
        if path.is_file()
    }
    assert on_disk == set(EXPECTED)


def test_stage_counts_and_parse_failures(corpus_report: dict[str, object]) -> None:
    report = corpus_report["report"]
    malformed = _malformed()
    by_file: dict[str, tuple[int, list[str], list[tuple[str, int]]]] = {}
    for result in report.files:  # type: ignore[attr-defined]
        relative = Path(result.path).resolve().relative_to(CORPUS.resolve()).as_posix()
        rules = [
            (finding.rule_id, finding.position.line)
            for finding in result.findings
            if finding.rule_id in ("SL000", "SL010")
        ]
        by_file[relative] = (len(result.stages), [rule for rule, _ in rules], rules)
    for relative, expected in EXPECTED.items():
        stages, rules, located = by_file[relative]
        assert stages == expected["stages"], relative
        if relative in malformed and not (CORPUS / relative).read_bytes().strip():
            assert not rules, f"{relative}: an empty file holds no stages and is skipped"
        elif relative in malformed:
            wanted = "SL010" if Path(relative).stem == "duplicate" else "SL000"
            assert wanted in rules, f"{relative}: expected {wanted}"
            assert all(line >= 1 for _, line in located)
        else:
            assert "SL000" not in rules, f"{relative}: unexpected parse failure"
