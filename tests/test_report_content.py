"""A run computes only what its report shows: `Config.stage_summaries` and `Config.fingerprints` off
(as `check` sets them for the formats that do not read them) change nothing else in the report."""

from __future__ import annotations

import json
from pathlib import Path

from stagelint.api import lint
from stagelint.config import Config
from stagelint.findings import Finding, Note
from stagelint.records import replace
from tests.conftest import REPO, run_cli

EXAMPLES = str(REPO / "examples")
FAILING = "examples/plain/failing.yaml"


def _unprinted(finding: Finding) -> Finding:
    return replace(finding, fingerprint="")


def test_without_summaries_a_report_counts_the_same_stages() -> None:
    summarised, counted = lint([EXAMPLES]), lint([EXAMPLES], Config(stage_summaries=False))
    assert summarised.stages and counted.stages == ()
    assert counted.stage_count == summarised.stage_count == len(summarised.stages)
    assert [result.stage_count for result in counted.files] == [len(result.stages) for result in summarised.files]
    assert counted.findings == summarised.findings
    assert counted.notes == summarised.notes


def test_without_summaries_streamed_counts_are_the_same() -> None:
    summarised = lint([EXAMPLES], streamed=True)
    counted = lint([EXAMPLES], Config(stage_summaries=False), streamed=True)
    assert counted.stage_count == summarised.stage_count > 0
    assert counted.checked_nothing is None


def test_without_fingerprints_findings_are_the_same_but_their_fingerprint() -> None:
    printed, plain = lint([EXAMPLES]), lint([EXAMPLES], Config(fingerprints=False))
    assert printed.findings and all(finding.fingerprint for finding in printed.findings)
    assert all(finding.fingerprint == "" for finding in plain.findings)
    assert [_unprinted(finding) for finding in printed.findings] == list(plain.findings)
    streamed = lint([EXAMPLES], Config(fingerprints=False), streamed=True)
    assert list(streamed.findings) == list(plain.findings)


def test_a_baseline_is_matched_even_without_fingerprints(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), FAILING).returncode == 0
    entries = json.loads(baseline.read_text(encoding="utf-8"))
    assert all(entry["fingerprint"] for entry in entries["findings"])
    report = lint([FAILING], Config(fingerprints=False, baseline_file=str(baseline)))
    assert not report.findings and report.suppressed


def test_check_shows_fingerprints_where_a_format_does() -> None:
    shown = json.loads(run_cli("check", "--format", "json", FAILING).stdout)
    assert shown["findings"] and all(finding["fingerprint"] for finding in shown["findings"])
    sarif = json.loads(run_cli("check", "--format", "sarif", FAILING).stdout)
    assert all(result["partialFingerprints"] for result in sarif["runs"][0]["results"])


def test_junit_marks_the_same_files_without_summaries() -> None:
    from stagelint.formatters import FormatContext, render
    from stagelint.registry import load_rules

    context = FormatContext(load_rules(), "test")
    assert render("junit", lint([EXAMPLES], Config(stage_summaries=False)), context) == \
        render("junit", lint([EXAMPLES]), context)


def test_without_notes_findings_and_stages_are_the_same() -> None:
    from stagelint.config import DecodeOptions

    noted, quiet = lint([EXAMPLES, str(REPO / "fixtures")]), \
        lint([EXAMPLES, str(REPO / "fixtures")], Config(decode=DecodeOptions(notes=False)))
    def about_unknown_values(note: Note) -> bool:
        return " is unknown: " in note.message or " skipped: " in note.message or note.message.startswith("skipped ")

    # only the notes listing stages' unknown values are left out (a decoder's own, such as SAM's
    # extra stage being unknown, are made either way)
    left_out = set(noted.notes) - set(quiet.notes)
    assert left_out and all(map(about_unknown_values, left_out))
    assert set(quiet.notes) <= set(noted.notes)
    assert quiet.findings == noted.findings and quiet.stages == noted.stages


def test_check_lists_unknown_values_only_when_verbose() -> None:
    unknown = "fixtures/SL501-access-logging-disabled/cloudformation/fail.yaml"
    assert (REPO / unknown).exists()
    loud, plain = run_cli("check", "-v", unknown), run_cli("check", unknown)
    assert "is unknown" in loud.stderr and "note:" not in plain.stderr
    assert loud.stdout == plain.stdout
