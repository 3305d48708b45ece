"""Property-based: mutated YAML, JSON and HCL never break a parser.

Seeds are real texts (fixtures, the smallest corpus files, generated stage files); hypothesis flips
bytes, truncates, and inserts brackets, quotes, tabs, anchors and aliases. Every example goes
through the public decode path and the rules, and must end with exactly one outcome: a decoded file
(findings or none), a skip with a reason, or SL000 — never an exception, never a hang (each unit
runs under the engine's per-file time limit). Bounded so that `make test` stays fast; the longer
fuzz run is tests/fuzz/fuzz_decoders.py.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagelint import checker, engine
from stagelint.api import Config
from stagelint.config import DecodeOptions
from stagelint.decoders.result import DecodedFile
from stagelint.limits import Limits
from tests.conftest import CORPUS, FIXTURES, REPO

CONFIG = Config(jobs=1, decode=DecodeOptions(limits=Limits(max_seconds_per_file=20)))
SUFFIXES = {"yaml": (".yaml", ".yml", ".template"), "json": (".json",), "terraform": (".tf",)}
INSERTIONS = ["[", "]", "{", "}", '"', "'", "\t", "&a ", "*a", "<<: *a\n", ": ", "- ", "\n", "!Ref ", "${",
              "}}", "<<EOT\n", "#", "\\", "\x00", "\ufeff", "é", "\r", "(", ")", "=", "::", "%YAML 1.1\n---\n"]


def _seeds(kind: str) -> list[str]:
    paths: list[Path] = []
    for root in (FIXTURES, REPO / "examples", CORPUS):
        if root.is_dir():
            paths += [path for path in root.rglob("*") if path.is_file() and path.name.endswith(SUFFIXES[kind])]
    paths = sorted(paths, key=lambda path: (path.stat().st_size, str(path)))[:40]  # small ones: fast examples
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate_tree
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    texts += {"yaml": [generate_tree._plain(7), generate_tree._cfn_yaml(3)], "json": [generate_tree._cfn_json(5)],
              "terraform": [generate_tree._terraform(2)]}[kind]
    return texts


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    text = draw(st.sampled_from(seeds))
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(0, 6))):
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if operation == "flip" and data:
            data[min(at, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[at:]
        elif operation == "insert":
            data[at:at] = draw(st.sampled_from(INSERTIONS)).encode("utf-8") * draw(st.integers(1, 3))
        elif operation == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        else:
            data[at:at] = data[max(0, at - 40):at]
    return data.decode("utf-8", errors=draw(st.sampled_from(["replace", "ignore", "surrogateescape"])))


def _one_outcome(decoded: DecodedFile) -> None:
    decoded_ok = decoded.format is not None and not decoded.failures and not decoded.skipped_reason
    skipped = bool(decoded.skipped_reason) and not decoded.failures
    failed = bool(decoded.failures)
    assert decoded_ok or skipped or failed, decoded
    assert not (skipped and decoded.stages), decoded


def _lint_text(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "main" + suffix)
        with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            handle.write(text)
        units = engine.plan_units([path])
        assert len(units) == 1
        results = engine.run_units(units, CONFIG)  # decode + rules, under the per-file time limit
        assert [result.path for result in results] == [path]
        assert not any("took longer than" in finding.message for finding in results[0].findings)
        if units[0].kind == "terraform":
            from stagelint.decoders import terraform

            decoded_files = terraform.decode_module(directory, (path,), CONFIG.decode)
            assert [decoded.path for decoded in decoded_files] == [path]
            _one_outcome(decoded_files[0])
        else:
            _one_outcome(checker.decode_document_file(path, CONFIG))


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(text=mutated(_seeds("yaml")), suffix=st.sampled_from(SUFFIXES["yaml"]))
def test_mutated_yaml(text: str, suffix: str) -> None:
    _lint_text(text, suffix)


@PROPERTY_SETTINGS
@given(text=mutated(_seeds("json")))
def test_mutated_json(text: str) -> None:
    _lint_text(text, ".json")


@PROPERTY_SETTINGS
@given(text=mutated(_seeds("terraform")))
def test_mutated_hcl(text: str) -> None:
    _lint_text(text, ".tf")


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!\"' \n\t#|>,?%@`")), max_size=300),
       suffix=st.sampled_from([".yaml", ".json", ".tf"]))
def test_generated_punctuation_soup(text: str, suffix: str) -> None:
    _lint_text(text, suffix)
