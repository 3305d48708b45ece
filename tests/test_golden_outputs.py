"""Reports are byte-identical before and after: every change is held to the recorded digests of the
reports for the corpus, the examples and generated inputs (`tests/golden_outputs.py` says which, and
how to record them again when a change is meant to alter a report)."""

from __future__ import annotations

import json

import pytest

from tests.golden_outputs import CASES, CORPUS, RECORD, digests


@pytest.mark.parametrize("case", CASES)
def test_reports_are_byte_identical_to_the_record(case: str) -> None:
    if case == "corpus" and not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))[case]
    assert digests(case) == recorded, (
        f"the reports for {case} changed; if that is meant, run `python tests/golden_outputs.py --write` "
        "and say in the commit which outputs changed and why")
