"""Every real-world file in ../shared/corpus loads, and finds the stages it should.

The expected stage count per file is data (`tests/corpus/*.json`, one file per area), so a decoder
regression shows as a changed number. Files whose MANIFEST notes begin with "intentionally
malformed" must give SL000 (or, for the duplicate-key files, SL010) with a real position instead.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.report import Report
from tests.conftest import CORPUS, REPO

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


@cache
def manifest() -> dict[str, str]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        return {row["local_path"]: row.get("notes") or "" for row in csv.DictReader(handle, delimiter="\t")}


@cache
def expected_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for data_file in sorted((REPO / "tests" / "corpus").glob("*.json")):
        for path, record in json.loads(data_file.read_text(encoding="utf-8")).items():
            assert path not in counts, f"{path} is listed twice in tests/corpus/"
            counts[path] = int(record["stages"])
    return counts


@cache
def corpus_report() -> Report:
    # One run over the whole corpus, all rules: the way an audit of a repository runs.
    return lint([str(CORPUS)], Config(jobs=1))


def _relative(path: str) -> str:
    return Path(path).resolve().relative_to(CORPUS.resolve()).as_posix()


def _malformed(path: str) -> bool:
    """Marked malformed in the manifest; an empty file is not: it holds no stages and is skipped."""
    return manifest()[path].startswith("intentionally malformed") and "empty file" not in manifest()[path]


def test_every_corpus_file_is_listed_with_a_stage_count() -> None:
    missing = sorted(set(manifest()) - set(expected_counts()))
    assert not missing, f"corpus files with no expected stage count in tests/corpus/: {missing}"


@pytest.mark.parametrize("path", sorted(manifest()) if CORPUS.is_dir() else [])
def test_corpus_file(path: str) -> None:
    report = corpus_report()
    results = {_relative(result.path): result for result in report.files}
    assert path in results, f"{path} was not linted at all"
    result = results[path]
    parse_errors = [finding for finding in report.findings
                    if finding.rule_id == "SL000" and _relative(finding.position.path) == path]
    if _malformed(path):
        duplicates = [finding for finding in report.findings
                      if finding.rule_id == "SL010" and _relative(finding.position.path) == path]
        assert parse_errors or duplicates, f"{path} is malformed but got neither SL000 nor SL010"
        for finding in parse_errors + duplicates:
            assert finding.position.line >= 1 and finding.position.column >= 1
    else:
        assert not parse_errors, f"{path}: {[finding.message for finding in parse_errors]}"
        assert not result.failed
    assert len(result.stages) == expected_counts().get(path), f"{path}: stage count changed"
