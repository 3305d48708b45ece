"""A run's results kept in batches (`stagelint.batches`) read back as one sort over every finding would
order and fingerprint them, whatever the batches overlap; and the streamed report says what the
materialised one says."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.batches import Collected, pack
from stagelint.findings import Finding, Severity, fingerprint
from stagelint.formatters import FormatContext
from stagelint.formatters import text as text_format
from stagelint.positions import SourcePosition
from stagelint.records import replace
from stagelint.registry import load_rules
from stagelint.report import FileResult
from tests.conftest import COMPLETENESS_RULES, FIXTURES, REPO


def _one_sort(results: list[FileResult]) -> tuple[list[Finding], list[FileResult]]:
    """What the run did before batches: results sorted by path, one stable sort of every finding, a
    Counter of occurrences over the whole run."""
    ordered = sorted(results, key=lambda result: result.path)
    every = sorted((finding for result in ordered for finding in result.findings), key=Finding.sort_key)
    occurrences: Counter[tuple[str, str, str | None, str]] = Counter()
    stamped = []
    for finding in every:
        key = (finding.rule_id, finding.fingerprint_path or finding.position.path,
               finding.stage_identity or finding.stage_address, finding.attribute)
        occurrences[key] += 1
        stamped.append(replace(finding, fingerprint=fingerprint(*key, occurrences[key])))
    return stamped, ordered


def _results(seed: int) -> list[FileResult]:
    """Files whose findings land in their own and in other files (a module call reports in the called
    module's file), with equal sort keys in different files, findings fingerprinted by another file's
    path (a tfvars value), suppressed ones, and files without findings."""
    chooser = random.Random(seed)
    paths = [f"{directory}/{name}" for directory in ("a", "b", "c") for name in ("main.tf", "x.yaml", "z.tf")]
    results = []
    for path in chooser.sample(paths, len(paths)):  # units run in no path order
        findings = []
        for _ in range(chooser.randrange(0, 6)):
            where = path if chooser.random() < 0.7 else chooser.choice(paths)
            findings.append(Finding(
                rule_id=chooser.choice(("SL101", "SL102")), rule_name="rule",
                severity=chooser.choice(list(Severity)), message=chooser.choice(("m1", "m2")),
                position=SourcePosition(where, chooser.randrange(1, 3), 1, chooser.randrange(1, 3), 5),
                stage=chooser.choice(("prod", "dev")), stage_address=chooser.choice(("s.prod", "s.dev")),
                attribute=chooser.choice(("cache", "ttl")),
                suppressed_by="inline" if chooser.random() < 0.2 else None,
                fingerprint_path=chooser.choice(paths) if chooser.random() < 0.2 else None))
        results.append(FileResult(path, "terraform", findings=tuple(findings), stages=(), failed=False))
    return results


@pytest.mark.parametrize("keep", [True, False])
@pytest.mark.parametrize("seed", range(40))
def test_batches_read_back_as_one_sort_of_every_finding(seed: int, keep: bool) -> None:
    results = _results(seed)
    expected_findings, expected_files = _one_sort(results)
    cuts = sorted(random.Random(seed).sample(range(1, len(results)), 3))
    batches = [pack(results[start:end], keep=keep) for start, end in zip([0, *cuts], [*cuts, len(results)],
                                                                         strict=True)]
    collected = Collected(batches)
    assert list(collected.findings()) == expected_findings
    assert list(collected.files()) == expected_files
    report = collected.report(Severity.ERROR)
    active = [finding for finding in expected_findings if finding.suppressed_by is None]
    assert list(report.findings) == active
    assert list(report.suppressed) == [finding for finding in expected_findings if finding.suppressed_by]
    assert len(report.findings) == len(active)
    assert {severity: report.count(severity) for severity in Severity} == \
        {severity: sum(1 for finding in active if finding.severity is severity) for severity in Severity}


def _tree(root: Path) -> Path:
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate_tree import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate(str(root), 60)
    return root


@pytest.mark.parametrize("pool", ["always", "never"])
def test_a_streamed_report_says_what_the_materialised_one_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             pool: str) -> None:
    monkeypatch.setenv("STAGELINT_POOL", pool)
    paths = [str(_tree(tmp_path / "generated")), str(FIXTURES)]
    config = Config(jobs=2, respect_gitignore=False)
    whole = lint(paths, config)
    streamed = lint(paths, config, streamed=True)
    assert not isinstance(streamed.findings, tuple)
    for name in ("findings", "files", "suppressed", "errors", "internal_errors"):
        assert tuple(getattr(streamed, name)) == getattr(whole, name), name
        assert len(getattr(streamed, name)) == len(getattr(whole, name)), name
    assert streamed.notes == whole.notes
    assert (streamed.stage_count, streamed.failed_count, streamed.skipped_count) == \
        (len(whole.stages), sum(1 for result in whole.files if result.failed), len(whole.skipped_stages))
    assert streamed.exit_code == whole.exit_code
    assert [streamed.count(severity) for severity in Severity] == [whole.count(severity) for severity in Severity]


STAGE = '''variable "size" {
  default = "9"
}
resource "aws_api_gateway_stage" "this" {
  rest_api_id           = "abc123"
  deployment_id         = "d1"
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = var.size
}
'''


def test_a_default_a_call_in_another_batch_sets_is_dropped_and_not_counted(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Over a pool each unit is its own batch here: the call and the module's default meet only when
    the batches are read back."""
    (tmp_path / "root").mkdir()
    (tmp_path / "stage").mkdir()
    (tmp_path / "stage/main.tf").write_text(STAGE, encoding="utf-8")
    (tmp_path / "root/main.tf").write_text('module "x" {\n  source = "../stage"\n  size = "0.5"\n}\n',
                                           encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STAGELINT_POOL", "always")
    config = Config(jobs=2, select=("SL102",), ignore=COMPLETENESS_RULES)
    report = lint(["."], config, streamed=True)
    assert (len(report.findings), tuple(report.findings), report.count(Severity.ERROR)) == (0, (), 0)
    assert any("a module call in this run sets the variable whose default it comes from" in note.message
               for note in report.notes)
    (tmp_path / "root/main.tf").write_text('module "x" {\n  source = "../stage"\n}\n', encoding="utf-8")
    kept = lint(["."], config, streamed=True)
    assert [(f.position.path, f.position.line) for f in kept.findings] == [("stage/main.tf", 9)]


def test_the_text_report_in_pieces_is_the_whole_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = lint([str(_tree(tmp_path))], Config(jobs=1, respect_gitignore=False), streamed=True)
    context = FormatContext(load_rules(), "0", statistics=True)
    expected = "".join(line + "\n" for line in [*map(text_format.line, report.findings),
                                                *text_format.statistics(report), text_format.summary(report)])
    monkeypatch.setattr(text_format, "PIECE_LINES", 7)
    pieces = list(text_format.stream(report, context))
    assert len(pieces) > 2 and all(piece.endswith("\n") for piece in pieces)
    assert "".join(pieces) == expected


def test_with_fingerprint_is_replace() -> None:
    """`Finding.with_fingerprint` copies every field (a field added to Finding and not to it fails here)."""
    from stagelint.records import fields

    values: dict[str, object] = {}
    for number, spec in enumerate(fields(Finding)):
        values[spec.name] = {"severity": Severity.INFO, "position": SourcePosition("p", number, 1, 1, 2),
                             "related": (("x", SourcePosition("q", 1, 1, 1, 1)),)}.get(spec.name, f"value {number}")
    finding = Finding(**values)  # type: ignore[arg-type]
    assert finding.with_fingerprint("f" * 32) == replace(finding, fingerprint="f" * 32)
    assert all(getattr(finding.with_fingerprint("x"), spec.name) == values[spec.name]
               for spec in fields(Finding) if spec.name != "fingerprint")
