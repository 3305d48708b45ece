"""The run: discover → plan units → run them (`parallel`, each unit in `checker`) into batches
(`batches`: packed in the workers) → a sorted, fingerprinted Report, materialised or streamed.

Work is split into units: one YAML/JSON document, or one Terraform module directory (method settings
and variables often live in a sibling `.tf` file). Units are independent, so large trees go to a
process pool; results are sorted afterwards, so the output is byte-identical whatever the job count.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from stagelint.batches import PARTS, Collected, pack
from stagelint.checker import Prepared, WorkUnit, check_file, prepare
from stagelint.config import Config
from stagelint.decoders import is_module_file, is_variables_file
from stagelint.findings import Note
from stagelint.parallel import Progress, run_batches, run_units
from stagelint.records import replace
from stagelint.report import FileResult, Report
from stagelint.style_guide import StyleGuide

__all__ = ["build_report", "plan_units", "run", "run_units"]


def plan_units(files: Sequence[str]) -> list[WorkUnit]:
    units: list[WorkUnit] = []
    terraform: dict[str, list[str]] = {}
    # One string per directory, not one per file: a 50,000-file run keeps its units to the end.
    directories: dict[str, str] = {}
    for path in files:
        directory = os.path.dirname(path) or "."
        directory = directories.setdefault(directory, directory)
        if is_module_file(path) or is_variables_file(path):
            terraform.setdefault(directory, []).append(path)
        else:
            units.append(WorkUnit("document", directory, (path,)))
    for directory, paths in terraform.items():
        units.append(WorkUnit("terraform", directory, tuple(sorted(paths))))
    return sorted(units, key=lambda unit: unit.paths)


def run(paths: Sequence[str], config: Config, progress: Progress | None = None, streamed: bool = False) -> Report:
    """The run's Report. `streamed`: its findings and files are decoded from the run's packed batches
    each time they are iterated (`stagelint.batches`), so a large run never holds them all; a run
    with a baseline is materialised all the same (whether a finding is active needs every one)."""
    from stagelint.discovery import discover

    prepared = prepare(config)  # configuration errors surface before any file is read
    baseline = frozenset[str]()
    if config.baseline_file is not None:
        from stagelint import baseline as baseline_file

        baseline = baseline_file.load(config.baseline_file)
    skipped: list[str] = []
    unreadable: dict[str, str] = {}
    partial: dict[str, str] = {}
    files = discover(tuple(paths), config, skipped, unreadable=unreadable, partial=partial)
    # Local module calls may lead anywhere under what the run was pointed at (`modules_local`).
    roots = tuple(sorted({os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
                          for path in paths}))
    config = replace(config, decode=replace(config.decode, module_roots=roots))
    batches = run_batches(plan_units(files), config, progress)
    if unreadable:
        batches.append(pack([_unreadable_directory(path, reason, prepared) for path, reason in unreadable.items()],
                            keep=True))
    collected = Collected(batches)
    if streamed and config.baseline_file is None:
        report = collected.report(config.fail_on, config.fingerprints)
    else:
        report = _materialised(collected, config, prepared.guide, baseline)
    if config.baseline_file is not None:
        from stagelint.baseline import stale

        report = replace(report, stale_baseline=stale(config.baseline_file, report))
    notes = tuple(Note(directory, "directory skipped as build output or a tool's cache (name it on the command "
                       "line to lint it)") for directory in skipped)
    notes += tuple(Note(path, f"applied only in part ({what}): the walk may lint a file it ignores, or leave "
                              "out one it re-includes") for path, what in sorted(partial.items()))
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
    return _materialised(Collected([pack(results, keep=True)]), config, guide, baseline)


def _materialised(collected: Collected, config: Config, guide: StyleGuide, baseline: frozenset[str]) -> Report:
    # (a baseline is matched by fingerprint: with one, findings are always fingerprinted)
    stamped = list(collected.findings(config.fingerprints or config.baseline_file is not None))
    if baseline:
        stamped = guide.apply_baseline(stamped, baseline)
    parts = {name: tuple(filter(keep, stamped)) for name, keep in PARTS.items()}
    return Report(parts["findings"], tuple(collected.files()), parts["suppressed"], config.fail_on, parts["errors"],
                  parts["internal_errors"])
