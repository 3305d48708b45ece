"""The run: discover → plan units → run them (`parallel`, each unit in `checker`) → a sorted,
fingerprinted Report.

Work is split into units: one YAML/JSON document, or one Terraform module directory (method settings
and variables often live in a sibling `.tf` file). Units are independent, so large trees go to a
process pool; results are sorted afterwards, so the output is byte-identical whatever the job count.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

from stagelint.checker import Prepared, WorkUnit, check_file, prepare
from stagelint.config import Config
from stagelint.decoders import is_module_file, is_variables_file
from stagelint.findings import INTERNAL_ERROR, PARSE_ERROR, Finding, Note, fingerprint
from stagelint.parallel import Progress, run_units
from stagelint.records import replace
from stagelint.report import FileResult, Report
from stagelint.style_guide import StyleGuide

__all__ = ["build_report", "plan_units", "run", "run_units"]


def plan_units(files: Sequence[str]) -> list[WorkUnit]:
    units: list[WorkUnit] = []
    terraform: dict[str, list[str]] = {}
    for path in files:
        if is_module_file(path) or is_variables_file(path):
            terraform.setdefault(os.path.dirname(path) or ".", []).append(path)
        else:
            units.append(WorkUnit("document", os.path.dirname(path) or ".", (path,)))
    for directory, paths in terraform.items():
        units.append(WorkUnit("terraform", directory, tuple(sorted(paths))))
    return sorted(units, key=lambda unit: unit.paths)


def _without_overridden_defaults(results: list[FileResult]) -> list[FileResult]:
    """A reusable module's findings that come from its own variable defaults stay findings only when
    no caller in the run sets those variables (then the caller's values are linted, at the call)."""
    # By absolute path: a called module's files are named relative to the working directory, while the
    # module's own run names them as the paths given did (absolute when an absolute path was given).
    overridden = {(os.path.abspath(position.path), position.line, position.column)
                  for result in results for position in result.overridden_defaults}
    if not overridden:
        return results

    def from_default(finding: Finding) -> bool:
        return any((os.path.abspath(position.path), position.line, position.column) in overridden
                   for _, position in finding.related)

    kept = []
    for result in results:
        dropped = [finding for finding in result.findings if from_default(finding)]
        if dropped:
            notes = tuple(Note(result.path, f"{finding.rule_id} not reported: a module call in this run sets the "
                               f"variable whose default it comes from ({finding.message})", finding.position)
                          for finding in dropped)
            result = replace(result, findings=tuple(finding for finding in result.findings
                                                    if not from_default(finding)), notes=(*result.notes, *notes))
        kept.append(result)
    return kept


def run(paths: Sequence[str], config: Config, progress: Progress | None = None) -> Report:
    from stagelint.discovery import discover

    prepared = prepare(config)  # configuration errors surface before any file is read
    baseline = frozenset[str]()
    if config.baseline_file is not None:
        from stagelint import baseline as baseline_file

        baseline = baseline_file.load(config.baseline_file)
    skipped: list[str] = []
    unreadable: dict[str, str] = {}
    files = discover(tuple(paths), config, skipped, unreadable=unreadable)
    # Local module calls may lead anywhere under what the run was pointed at (`modules_local`).
    roots = tuple(sorted({os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
                          for path in paths}))
    config = replace(config, decode=replace(config.decode, module_roots=roots))
    results = _without_overridden_defaults(run_units(plan_units(files), config, progress))
    results += [_unreadable_directory(path, reason, prepared) for path, reason in unreadable.items()]
    results.sort(key=lambda result: result.path)
    report = build_report(results, config, prepared.guide, baseline)
    if config.baseline_file is not None:
        from stagelint.baseline import stale

        report = replace(report, stale_baseline=stale(config.baseline_file, report))
    notes = tuple(Note(directory, "directory skipped as build output or a tool's cache (name it on the command "
                       "line to lint it)") for directory in skipped)
    return replace(report, run_notes=notes) if notes else report


def _unreadable_directory(path: str, reason: str, prepared: Prepared) -> FileResult:
    """One SL000 for a directory the walk could not open: its files were not linted."""
    from stagelint.decoders.result import DecodedFile, ParseFailure
    from stagelint.positions import file_start

    return check_file(DecodedFile(path, None, failures=(ParseFailure(path, reason, file_start(path)),)), prepared)


def build_report(results: list[FileResult], config: Config, guide: StyleGuide,
                 baseline: frozenset[str] = frozenset()) -> Report:
    """Every finding sorted and fingerprinted (no line numbers in a fingerprint: `findings.fingerprint`),
    the baseline applied, split into active and suppressed findings."""
    every = sorted((finding for result in results for finding in result.findings), key=Finding.sort_key)
    occurrences: Counter[tuple[str, str, str | None, str]] = Counter()
    stamped = []
    for finding in every:
        key = (finding.rule_id, finding.fingerprint_path or finding.position.path,
               finding.stage_identity or finding.stage_address,
               finding.attribute)
        occurrences[key] += 1
        stamped.append(replace(finding, fingerprint=fingerprint(*key, occurrences[key])))
    if baseline:
        stamped = guide.apply_baseline(stamped, baseline)
    active = tuple(finding for finding in stamped if finding.suppressed_by is None)
    suppressed = tuple(finding for finding in stamped if finding.suppressed_by is not None)
    errors = tuple(finding for finding in active if finding.rule_id == PARSE_ERROR)
    internal = tuple(finding for finding in active if finding.rule_id == INTERNAL_ERROR)
    return Report(active, tuple(results), suppressed, config.fail_on, errors, internal)
