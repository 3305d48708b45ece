"""Property-based: mutated YAML, JSON and HCL never break a parser.

Seeds are real texts (fixtures, the smallest corpus files, generated stage files); hypothesis flips
bytes, truncates, and inserts brackets, quotes, tabs, anchors and aliases. Every example goes
through the public decode path and the rules, and must end with exactly one outcome: a decoded file
(findings or none), a skip with a reason, or SL000 — never an exception, never a hang (each unit
runs under the engine's per-file time limit). Bounded so that `make test` stays fast; the longer
fuzz run is tests/fuzz/fuzz_decoders.py.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagelint import checker, engine
from stagelint.api import Config
from stagelint.api import lint as api_lint
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


# Unicode edge cases in names and values, for every format: lone surrogates, NUL, C0/C1 controls,
# escape sequences, line and paragraph separators, bidi controls, a BOM, and CR-only line ends.
NASTY = ["\ud800", "\udfff", "\x00", "\x1b[2J", "\x1b]0;t\x07", "\r", "\n", "\x85", "\u2028", "\u2029", "\u202e",
         "\u2066", "\u200f", "\x7f", "\ufeff", "\t", "é", "😀", "\ufffe"]
# What may never reach a report raw (LF only as the line separator): the escaping guarantee.
UNSAFE_IN_OUTPUT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                              "\ud800-\udfff\ufffe\uffff]")
nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(alphabet="ab.-_", min_size=1, max_size=3)),
                      min_size=1, max_size=6).map("".join)


def _hcl_string(text: str) -> str:
    """`text` as an HCL quoted string, every character outside printable ASCII as a \\u escape."""
    out = []
    for char in text:
        if " " <= char <= "~" and char not in '"\\$%':
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _stage_files(name: str, value: str, newline: str) -> dict[str, str]:
    quoted, quoted_value = json.dumps(name), json.dumps(value)  # ASCII with \u escapes: JSON and YAML alike
    files = {
        "native.yaml": ["stages:", f"  - name: {quoted}", "    variables:", f"      v: {quoted_value}"],
        "template.yaml": ["Resources:", "  S:", "    Type: AWS::ApiGateway::Stage", "    Properties:",
                          f"      StageName: {quoted}", "      RestApiId: x",
                          f"      Variables: {{v: {quoted_value}}}"],
        "template.json": [json.dumps({"Resources": {"S": {"Type": "AWS::ApiGateway::Stage", "Properties": {
            "StageName": name, "RestApiId": "x", "Variables": {"v": value}}}}})],
        "main.tf": ['resource "aws_api_gateway_stage" "s" {', f"  stage_name = {_hcl_string(name)}",
                    '  rest_api_id = "x"', f"  variables = {{ v = {_hcl_string(value)} }}", "}"],
        "stage.tf.json": [json.dumps({"resource": {"aws_api_gateway_stage": {"j": {
            "stage_name": name, "rest_api_id": "x", "variables": {"v": value}}}}})],
    }
    return {path: newline.join(lines) + newline for path, lines in files.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=nasty_text, value=nasty_text, newline=st.sampled_from(["\n", "\r\n", "\r"]),
       file_name=st.sampled_from(["\x1b[31m", "\u202e", "\r", "\n", "\udcff", "\u2028", "é"]))
def test_unicode_edge_cases_in_every_format_are_reported_escaped(name: str, value: str, newline: str,
                                                                 file_name: str) -> None:
    from xml.etree import ElementTree

    from stagelint import __version__
    from stagelint.cli.common import encoded
    from stagelint.formatters import FORMATTERS, FormatContext, render
    from stagelint.registry import load_rules

    with tempfile.TemporaryDirectory() as directory:
        files = _stage_files("a." + name, value, newline)  # "." is never valid: each stage has an SL001
        files[f"odd{file_name}.yaml"] = files["native.yaml"]
        for path, text in files.items():
            with open(os.path.join(directory, path), "w", encoding="utf-8", errors="surrogatepass",
                      newline="") as handle:
                handle.write(text)
        report = api_lint([directory], replace(CONFIG, select=("SL000", "SL001", "SL301")))
        context = FormatContext(load_rules(), __version__)
        for output_format in FORMATTERS:
            output = encoded(render(output_format, report, context)).decode("utf-8")  # always encodes
            assert not UNSAFE_IN_OUTPUT.search(output), (output_format, UNSAFE_IN_OUTPUT.search(output))
            if output_format == "junit":
                ElementTree.fromstring(output)
            elif output_format in ("json", "sarif", "gitlab"):
                json.loads(output)
        # every file has its outcome: its stage's findings, or one SL000 for it
        reported = {os.path.basename(finding.position.path) for finding in report.findings}
        assert reported == set(files), reported
