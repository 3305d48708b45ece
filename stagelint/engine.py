"""The run: discover → decode (once per file) → rules → style guide → a sorted, fingerprinted Report.

Work is split into units: one YAML/JSON document, or one Terraform module directory (method settings
and variables often live in a sibling `.tf` file). Units are independent, so large trees go to a
process pool; results are sorted afterwards, so the output is byte-identical whatever the job count.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from stagelint.config import Config, ConfigError
from stagelint.decoders.documents import TERRAFORM_SUFFIXES, file_kind
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.findings import Finding, Note, Severity, Violation, fingerprint
from stagelint.model import Stage
from stagelint.positions import SourcePosition, file_start
from stagelint.registry import RuleSet, load_rules
from stagelint.report import FileResult, Report, StageSummary
from stagelint.rule_api import OptionError, build_options
from stagelint.style_guide import PARSE_ERROR, StyleGuide

PARALLEL_THRESHOLD = 8  # below this many units a pool costs more than it saves


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """What one worker decodes at once: a document, or a Terraform module directory."""

    kind: Literal["document", "terraform"]
    directory: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """Everything a worker needs besides the unit, built once per process."""

    rules: RuleSet
    guide: StyleGuide
    options: dict[str, Any]  # rule id → its Options value


# Keyed by id() but holding the Config itself: a freed Config's id can be reused by a new one, so the
# cached entry counts only when it is the very same object (issue 5: lint() called with many configs).
_prepared_cache: dict[int, tuple[Config, Prepared]] = {}


def prepare(config: Config) -> Prepared:
    """Load rules, validate selection and options. Raises ConfigError (exit 3) for anything wrong."""
    cached = _prepared_cache.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    from stagelint.registry import RegistryError

    try:
        rules = load_rules()
    except RegistryError as error:
        raise ConfigError(str(error)) from None
    guide = StyleGuide.build(config, rules)
    options: dict[str, Any] = {}
    for key in config.rule_options:
        if rules.get(key) is None:
            raise ConfigError(f"options given for unknown rule `{key}`")
    for rule in rules.rules:
        given = config.rule_options.get(rule.id) or config.rule_options.get(rule.name) or {}
        try:
            options[rule.id] = build_options(rule.module, given)
        except OptionError as error:
            raise ConfigError(str(error)) from None
    prepared = Prepared(rules, guide, options)
    _prepared_cache.clear()
    _prepared_cache[id(config)] = (config, prepared)
    return prepared


def plan_units(files: Sequence[str]) -> list[WorkUnit]:
    units: list[WorkUnit] = []
    terraform: dict[str, list[str]] = {}
    for path in files:
        if file_kind(path) == "terraform":
            terraform.setdefault(os.path.dirname(path) or ".", []).append(path)
        else:
            units.append(WorkUnit("document", os.path.dirname(path) or ".", (path,)))
    for directory, paths in terraform.items():
        units.append(WorkUnit("terraform", directory, tuple(sorted(paths))))
    return sorted(units, key=lambda unit: unit.paths)


# -- one unit (runs in a worker process for large trees) -------------------------------------------
def decode_unit(unit: WorkUnit, config: Config) -> list[DecodedFile]:
    if unit.kind == "terraform":
        try:
            from stagelint.decoders import terraform

            return terraform.decode_module(unit.directory, unit.paths, config.decode)
        except Exception as error:  # an internal failure is reported per file, never as a traceback
            return [_internal_failure(path, error) for path in unit.paths]
    path = unit.paths[0]
    return [decode_document_file(path, config)]


def decode_document_file(path: str, config: Config) -> DecodedFile:
    from stagelint.reader import ReadError, read_text

    try:
        text = read_text(path, config.decode.limits)
    except ReadError as error:
        position = SourcePosition(path, error.line, error.column, error.line, error.column)
        return DecodedFile(path, None, failures=(ParseFailure(path, str(error), position),))
    kind = file_kind(path)
    if kind is None or kind == "terraform":
        return DecodedFile(path, None, skipped_reason="not a file type stagelint reads",
                           notes=(Note(path, "skipped: not a file type stagelint reads"),))
    if text.strip() and not _may_hold_stages(text):
        return DecodedFile(path, None, skipped_reason="no stage keys",
                           notes=(Note(path, "not a stage file: no `Resources`, `stages` or plan keys"),))
    from stagelint.decoders.documents import decode_document
    from stagelint.limits import LimitExceeded

    try:
        return decode_document(path, text, kind, config.decode)
    except LimitExceeded as error:
        return DecodedFile(path, None, failures=(ParseFailure(path, str(error), file_start(path)),))
    except Exception as error:
        return _internal_failure(path, error)


def _may_hold_stages(text: str) -> bool:
    """A cheap pre-filter: every format stagelint reads names one of these keys literally, so files
    without any (package.json, CI pipelines, Kubernetes manifests) are skipped without parsing."""
    return any(key in text for key in ("Resources", "stages", "AWSTemplateFormatVersion",
                                       "planned_values", "resource_changes", "format_version"))


def _internal_failure(path: str, error: BaseException) -> DecodedFile:
    message = f"internal error while reading this file ({type(error).__name__}: {error}); please report it"
    return DecodedFile(path, None, failures=(ParseFailure(path, message, file_start(path)),))


def process_unit(unit: WorkUnit, config: Config) -> list[FileResult]:
    prepared = prepare(config)
    if unit.kind == "terraform":
        return _process_module(unit, config, prepared)
    return [check_file(decoded, prepared) for decoded in decode_unit(unit, config)]


def module_files(directory: str) -> tuple[str, ...]:
    """Every Terraform configuration file of a module directory, as display paths."""
    try:
        names = os.listdir(directory)
    except OSError:
        return ()
    return tuple(sorted(
        os.path.join(directory, name).replace(os.sep, "/") if directory != "." else name
        for name in names
        if name.lower().endswith(TERRAFORM_SUFFIXES) and os.path.isfile(os.path.join(directory, name))
    ))


def _process_module(unit: WorkUnit, config: Config, prepared: Prepared) -> list[FileResult]:
    """A module is decoded and checked whole — a stage in main.tf may own method settings written in
    settings.tf — but only the files the user named are reported on (pre-commit passes single files):
    each finding goes to the file its position is in, and one in a file not named becomes a note."""
    given = frozenset(unit.paths)
    everything = tuple(sorted(given | set(module_files(unit.directory))))
    whole = WorkUnit("terraform", unit.directory, everything)
    results = {result.path: result for result in
               (check_file(decoded, prepared, inline_suppressions=False)
                for decoded in decode_unit(whole, config))}
    module_findings = [finding for result in results.values() for finding in result.findings]
    findings: dict[str, list[Finding]] = {path: [] for path in unit.paths}
    notes: dict[str, list[Note]] = {path: list(results[path].notes) if path in results else []
                                    for path in unit.paths}
    for finding in _apply_inline(everything, module_findings, prepared):
        located = finding.position.path
        if located in given:
            findings[located].append(finding)
        elif located in everything:
            owner = next((path for path in unit.paths if path in results), None)
            if owner is not None:
                notes[owner].append(Note(located, f"{finding.rule_id} not reported: {located} was not among "
                                         f"the files given ({finding.message})", finding.position))
        else:  # outside the module (a --var-file): reported with the first file named
            findings[unit.paths[0]].append(finding)
    return [
        replace(results[path], findings=tuple(findings[path]), notes=tuple(notes[path]))
        if path in results else FileResult(path, None, failed=True)
        for path in unit.paths
    ]


def check_file(decoded: DecodedFile, prepared: Prepared, inline_suppressions: bool = True) -> FileResult:
    guide = prepared.guide
    findings: list[Finding] = []
    for failure in decoded.failures:
        findings.append(Finding(
            PARSE_ERROR, "parse-error", Severity.ERROR, failure.message,
            failure.position or file_start(failure.path), None, None, "file",
        ))
    for rule_id, violation in decoded.decoder_findings:
        if guide.is_enabled(rule_id):
            rule = prepared.rules.get(rule_id)
            findings.append(_finding(rule_id, rule.name if rule else rule_id, guide.severity(rule_id),
                                     violation, None))
    for stage in decoded.stages:
        findings.extend(_check_stage(stage, prepared))
    kept = []
    for finding in findings:
        pattern = guide.ignored_for_file(finding.rule_id, finding.position.path)
        if pattern is not None:
            finding = replace(finding, suppressed_by=f"per-file-ignores: {pattern}")
        kept.append(finding)
    if inline_suppressions:
        kept = _apply_inline((decoded.path,), kept, prepared)
    return FileResult(
        path=decoded.path,
        format=decoded.format,
        findings=tuple(kept),
        notes=tuple(_notes(decoded)),
        stages=tuple(_summary(stage) for stage in decoded.stages),
        failed=bool(decoded.failures),
    )


def _apply_inline(paths: tuple[str, ...], findings: list[Finding], prepared: Prepared) -> list[Finding]:
    """`# stagelint: ignore[...]` comments, and SL900 for the ones that match nothing. A Terraform module
    is judged as a whole (`_process_module`): a comment in settings.tf may silence a finding about a
    stage written in main.tf, so judging file by file would call it unused."""
    from stagelint.suppressions import apply_inline

    return apply_inline(paths, findings, prepared.rules, prepared.guide.enabled,
                        prepared.guide.severity("SL900"))


def _check_stage(stage: Stage, prepared: Prepared) -> Iterator[Finding]:
    ignored = {key.upper() for key in stage.ignored_rules} | set(stage.ignored_rules)
    for rule in prepared.rules.rules:
        if not prepared.guide.is_enabled(rule.id):
            continue
        try:
            violations = list(rule.module.check(stage, prepared.options[rule.id]))
        except Exception as error:  # a broken (plugin) rule is reported, and the run goes on
            message = f"rule {rule.id} ({rule.name}) failed: {type(error).__name__}: {error}"
            yield Finding(PARSE_ERROR, "parse-error", Severity.ERROR, message, stage.position,
                          stage.display_name, stage.address, f"rule:{rule.id}")
            continue
        for violation in violations:
            finding = _finding(rule.id, rule.name, prepared.guide.severity(rule.id), violation, stage)
            if rule.id in ignored or rule.name in ignored:
                finding = replace(finding, suppressed_by="resource Metadata")
            yield finding


def _finding(rule_id: str, name: str, severity: Severity, violation: Violation, stage: Stage | None) -> Finding:
    return Finding(
        rule_id, name, severity, violation.message, violation.position,
        stage.display_name if stage else None, stage.address if stage else None, violation.attribute,
    )


def _notes(decoded: DecodedFile) -> Iterator[Note]:
    covered = {(note.position.line, note.position.column) for note in decoded.notes if note.position}
    yield from decoded.notes
    for stage in decoded.stages:
        for attribute, tracked in stage.iter_tracked():
            if tracked.is_unknown and (tracked.position.line, tracked.position.column) not in covered:
                label = tracked.spelled_as or attribute
                yield Note(tracked.position.path, f"skipped {label} of stage {stage.display_name}: "
                           f"{tracked.reason or 'unknown value'}", tracked.position)


def _summary(stage: Stage) -> StageSummary:
    size = stage.cache_cluster_size
    return StageSummary(
        path=stage.source.path, line=stage.position.line, address=stage.address,
        name=str(stage.name.value) if stage.name.is_known else None, format=stage.source.format.value,
        api_kind=stage.api_kind.value, caching=stage.has_caching,
        cache_cluster_size=str(size.value) if size.is_known else None,
        estimated_monthly_cost=stage.estimated_monthly_cost, access_logging=stage.has_access_logging,
        tracing=stage.tracing_enabled.value if stage.tracing_enabled.is_known else (
            False if stage.tracing_enabled.is_absent else None),
        canary=stage.has_canary, throttling=stage.has_throttling,
        waf=not stage.web_acl_arn.is_absent,
    )


# -- the whole run -------------------------------------------------------------------------------
class UnitTimeout(BaseException):
    """Raised by the alarm inside a unit that ran past its time limit.

    A BaseException, so that no decoder's `except Exception` (which turns bad input into SL000)
    can swallow it and keep going.
    """


def _time_limited(unit: WorkUnit, config: Config) -> list[FileResult]:
    """`process_unit`, cut off after `Limits.max_seconds_per_file` (0: no limit).

    The limit is a SIGALRM interval timer: one system call to arm and one to disarm, so the serial
    pre-commit path pays nothing measurable for it. It interrupts Python code (every decoder and
    rule); it cannot interrupt a C extension that never returns to the interpreter. Where there is
    no SIGALRM (Windows) or outside the main thread (an embedding application), units run unlimited.
    """
    seconds = config.decode.limits.max_seconds_per_file
    import signal

    if seconds <= 0 or not hasattr(signal, "setitimer"):
        return process_unit(unit, config)
    import threading

    if threading.current_thread() is not threading.main_thread():
        return process_unit(unit, config)

    def alarm(signum: int, frame: object) -> None:
        raise UnitTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return process_unit(unit, config)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except UnitTimeout:
        prepared = prepare(config)
        message = (f"reading this file took longer than {seconds:g} s and was stopped "
                   "(raise the limit with --timeout)")
        return [check_file(DecodedFile(path, None, failures=(ParseFailure(path, message, file_start(path)),)),
                           prepared) for path in unit.paths]
    finally:
        signal.signal(signal.SIGALRM, previous)


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_units(units: list[WorkUnit], config: Config) -> list[FileResult]:
    jobs = config.jobs if config.jobs > 0 else available_cores()
    if jobs > 1 and len(units) >= PARALLEL_THRESHOLD:
        pooled = _run_pool(units, config, min(jobs, len(units)))
        if pooled is not None:
            return pooled
    return [result for unit in units for result in _time_limited(unit, config)]


def _start_method() -> str | None:
    """`fork` where it exists (no re-import in each worker), else the platform default.

    Workers rely on nothing inherited: the unit list and the Config are pickled to them, and
    `_process_units` is a module-level function, so `spawn` and `forkserver` work too.
    STAGELINT_START_METHOD picks one explicitly (the tests run `spawn` with it).
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    wanted = os.environ.get("STAGELINT_START_METHOD")
    if wanted in methods:
        return wanted
    return "fork" if "fork" in methods else None


def _run_pool(units: list[WorkUnit], config: Config, jobs: int) -> list[FileResult] | None:
    """Units in batches over a process pool; None when no pool can start (the caller runs serially).

    Batches are a few dozen units, so a worker returns small lists of FileResult (findings and
    stage summaries, never file texts) and memory stays flat however many files there are.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context(_start_method())
    chunk = max(1, min(64, len(units) // (jobs * 4) or 1))
    batches = [units[i:i + chunk] for i in range(0, len(units), chunk)]
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = pool.map(_process_units, batches, [config] * len(batches))
            return [result for batch in results for result in batch]
    except (OSError, NotImplementedError, BrokenProcessPool, PermissionError, ImportError):
        return None  # no pool on this platform or sandbox, or a worker died: run serially


def _process_units(units: list[WorkUnit], config: Config) -> list[FileResult]:
    return [result for unit in units for result in _time_limited(unit, config)]


def run(paths: Sequence[str], config: Config) -> Report:
    from stagelint.discovery import discover

    prepare(config)  # configuration errors surface before any file is read
    files = discover(tuple(paths), config)
    results = run_units(plan_units(files), config)
    results.sort(key=lambda result: result.path)
    return build_report(results, config)


def build_report(results: list[FileResult], config: Config) -> Report:
    every = sorted((finding for result in results for finding in result.findings), key=Finding.sort_key)
    occurrences: Counter[tuple[str, str, str | None, str]] = Counter()
    stamped = []
    for finding in every:
        key = (finding.rule_id, finding.position.path, finding.stage_address, finding.attribute)
        occurrences[key] += 1
        stamped.append(replace(finding, fingerprint=fingerprint(*key, occurrences[key])))
    active = tuple(finding for finding in stamped if finding.suppressed_by is None)
    suppressed = tuple(finding for finding in stamped if finding.suppressed_by is not None)
    errors = tuple(finding for finding in active if finding.rule_id == PARSE_ERROR)
    return Report(active, tuple(results), suppressed, config.fail_on, errors)


