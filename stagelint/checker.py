"""One work unit's check: decode it (once per file), run the rules on each stage, apply the style guide.

A unit is one YAML/JSON document or one Terraform module directory (method settings and variables
often live in a sibling `.tf` file). This runs in a worker process for large trees (`parallel`).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple

from stagelint.config import Config, ConfigError
from stagelint.decoders import format_for, is_module_file
from stagelint.decoders.collector import LARGE_DOCUMENT_BYTES, CollectorPaused
from stagelint.decoders.result import DecodedFile, ParseFailure, Share
from stagelint.findings import (
    DUPLICATE_KEY,
    INTERNAL_ERROR,
    PARSE_ERROR,
    SORT_KEY,
    Finding,
    Note,
    Severity,
    Violation,
    stage_identity,
)
from stagelint.model import Stage
from stagelint.positions import SourcePosition, file_start
from stagelint.pricing import DEFAULT_REGION
from stagelint.records import dataclass, replace
from stagelint.registry import RuleSet, RuleSpec, load_rules
from stagelint.report import FileResult, StageSummary
from stagelint.rule_api import OptionError, build_options
from stagelint.style_guide import StyleGuide


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """What one worker decodes at once: a document, or a Terraform module directory."""

    kind: Literal["document", "terraform"]
    directory: str
    paths: tuple[str, ...]


# A stage rule as `_check_stage` runs it: (the rule, its `check`, its options, judges SAM's extra stage).
StageRule = tuple[RuleSpec, Callable[[Stage, Any], Iterable[Violation]], Any, bool]


@dataclass(frozen=True)
class Prepared:
    """Everything a worker needs besides the unit, built once per process."""

    rules: RuleSet
    guide: StyleGuide
    options: dict[str, Any]  # rule id → its Options value
    region: str = DEFAULT_REGION  # `--region`: prices for the stage summaries
    stage_summaries: bool = True  # `Config.stage_summaries`
    notes: bool = True  # `DecodeOptions.notes`

    @functools.cached_property
    def stage_rules(self) -> tuple[StageRule, ...]:
        """The rules that look at stages (enabled, not a `SOURCE` rule), each with its `check`, its
        options and whether it judges SAM's extra stage: found once, not for every stage and rule."""
        return tuple((rule, rule.module.check, self.options[rule.id],
                      bool(getattr(rule.module, "JUDGES_SAM_EXTRA_STAGE", False)))
                     for rule in self.rules.rules
                     if self.guide.is_enabled(rule.id) and getattr(rule.module, "SOURCE", None) is None)


@functools.lru_cache(maxsize=4)
def prepare(config: Config) -> Prepared:
    """Load rules, validate selection and options. Raises ConfigError (exit 3) for anything wrong.

    Cached by value (Config is hashable): a worker prepares once, and `lint()` called again with an
    equal configuration reuses the rules it loaded."""
    from stagelint.registry import RegistryError

    try:
        rules = load_rules()
    except RegistryError as error:
        raise ConfigError(str(error)) from None
    guide = StyleGuide.build(config, rules)
    options: dict[str, Any] = {}
    for rule in rules.rules:
        given = config.rule_options.get(rule.id) or config.rule_options.get(rule.name) or {}
        try:
            options[rule.id] = build_options(rule.module, given)
        except OptionError as error:
            raise ConfigError(str(error)) from None
    return Prepared(rules, guide, options, config.region, config.stage_summaries, config.decode.notes)


def decode_unit(unit: WorkUnit, config: Config, share: Share | None = None) -> list[DecodedFile]:
    """The unit's decoded files; `share`: only that part of a document unit (`Share`)."""
    if unit.kind == "terraform":
        try:
            from stagelint.decoders import terraform

            decoded = terraform.decode_module(unit.directory, unit.paths, config.decode)
        except Exception as error:  # an internal failure is reported per file, never as a traceback
            return [_internal_failure(path, error) for path in unit.paths]
        return [_classified(file, config) for file in decoded]
    path = unit.paths[0]
    return [_classified(decode_document_file(path, config, share), config)]


def _classified(decoded: DecodedFile, config: Config) -> DecodedFile:
    """Each stage with its environment and Region set, so that rules and the inventory agree on them (a Region
    the file names beats `--region`)."""
    if not decoded.stages:
        return decoded
    from stagelint.environments import classify

    stages = [replace(stage, environment=classify(stage, config.environments).environment,
                      region=stage.region or config.region) for stage in decoded.stages]
    # SAM's extra stage `Stage` is deployed with its API's configured stage, by the same stack: it is in
    # that stage's environment (its name is SAM's, and would read as `staging`).
    by_api = {stage.api.value: stage.environment for stage in stages
              if stage.api.is_known and not stage.sam_extra_stage}
    return replace(decoded, stages=tuple(
        replace(stage, environment=by_api.get(stage.api.value, stage.environment))
        if stage.sam_extra_stage and stage.api.is_known else stage for stage in stages))


def decode_document_file(path: str, config: Config, share: Share | None = None) -> DecodedFile:
    """The document at `path` decoded; `share`: that part of it (a file that cannot be read, or is
    not a stage file, says so in every part: `merge_shares` reports it once)."""
    from stagelint.reader import NotAStageFile, ReadError, read_text

    input_format = format_for(path)
    sniff = input_format.may_hold_stages if input_format is not None and input_format.sniff else None
    try:
        text = read_text(path, config.decode.limits, sniff, config.decode.source(path))
    except NotAStageFile as error:
        return DecodedFile(path, None, skipped_reason="no stage keys",
                           notes=(Note(path, f"not a stage file: {error}"),))
    except ReadError as error:
        position = SourcePosition(path, error.line, error.column, error.line, error.column)
        return DecodedFile(path, None, failures=(ParseFailure(path, str(error), position),))
    if input_format is None or input_format.unit != "document":
        return DecodedFile(path, None, skipped_reason="not a file type stagelint reads",
                           notes=(Note(path, "skipped: not a file type stagelint reads"),))
    if text.strip() and not input_format.may_hold_stages(text):
        return DecodedFile(path, None, skipped_reason="no stage keys",
                           notes=(Note(path, "not a stage file: no `Resources`, `stages` or plan keys"),))
    from stagelint.decoders.documents import decode_document
    from stagelint.limits import LimitExceeded

    try:
        return decode_document(path, text, input_format, config.decode, share)
    except LimitExceeded as error:
        position = SourcePosition(path, error.line, error.column, error.line, error.column)
        return DecodedFile(path, None, failures=(ParseFailure(path, str(error), position),))
    except Exception as error:
        return _internal_failure(path, error)


def _internal_failure(path: str, error: BaseException) -> DecodedFile:
    message = f"internal error while reading this file ({type(error).__name__}: {error}); please report it"
    return DecodedFile(path, None, failures=(ParseFailure(path, message, file_start(path)),))


def process_unit(unit: WorkUnit, config: Config) -> list[FileResult]:
    prepared = prepare(config)
    if unit.kind == "terraform":
        return _process_module(unit, config, prepared)
    # A large document's tree, model and findings all stay alive until its result is made; the cyclic
    # collector would walk them again and again (decoders/collector.py): off for the whole unit
    # (measured on a 2 MB template: decoding to the model 1.9 s -> 0.9 s, the result 0.48 s -> 0.23 s).
    with CollectorPaused(input_bytes(unit.paths, config) >= LARGE_DOCUMENT_BYTES):
        return [check_file(decoded, prepared) for decoded in decode_unit(unit, config)]


class SharePart(NamedTuple):
    """One part of a document unit (`Share`) checked: its result, the characters the evaluation of
    its values produced and the CPU time it took (the parts' sums bound the whole's: `merge_shares`)."""

    result: FileResult
    evaluated_chars: int
    cpu_seconds: float
    timed_out: bool = False  # stopped by the time limit (`result` says so)
    cut_refused: bool = False  # `DecodedFile.cut_refused`


def process_share(unit: WorkUnit, config: Config, share: Share) -> SharePart:
    """The part `share` of a document unit, decoded and checked (`parallel` runs the parts at once)."""
    import time

    started = time.process_time()
    prepared = prepare(config)
    with CollectorPaused(input_bytes(unit.paths, config) >= LARGE_DOCUMENT_BYTES):
        decoded = decode_unit(unit, config, share)[0]
        result = check_file(decoded, prepared)
    return SharePart(result, decoded.evaluated_chars, time.process_time() - started,
                     cut_refused=decoded.cut_refused)


def merge_shares(parts: Sequence[SharePart], config: Config) -> FileResult | None:
    """The parts of one document, in order, as the one result the whole document gives.

    None when the parts cannot stand for the whole: a part's text less the others' stage resources
    was not the template its layout said (`DecodedFile.cut_refused`), or their evaluation together
    produced more than `Limits.max_evaluated_chars`, or they took more CPU time together than
    `max_seconds_per_file`.
    The whole, which does no more than all the parts, may then have run out part way, which no part
    can tell; the caller checks the document whole, so that the outcome is the whole's, whatever the
    job count. (Each part parses at least everything but the other parts' stage resources, so the
    sums overstate the whole's: this errs on the side of checking whole.)

    A part that ran out of time is what the whole gives (the whole does more); one that could not be
    read at all (a read error, a limit, an internal error: no format, failed) gives None too, as the
    whole may have failed elsewhere first (a part may parse less than the whole text). A first part
    that is not a stage file is what the whole gives. Else the parts' findings, notes and stages
    follow one another, as the whole's would (each part is a run of the stage resources in order),
    and a finding two parts both make (the whole file's failures and duplicate keys, a value two
    stages share) is reported once; the findings come in the report's order."""
    timed_out = next((part.result for part in parts if part.timed_out), None)
    if timed_out is not None:
        return timed_out
    limits = config.decode.limits
    if any(part.cut_refused for part in parts):
        return None
    if sum(part.evaluated_chars for part in parts) > limits.max_evaluated_chars:
        return None
    if 0 < limits.max_seconds_per_file < sum(part.cpu_seconds for part in parts):
        return None
    results = [part.result for part in parts]
    if any(result.failed and result.format is None for result in results):
        return None
    first = results[0]
    if first.format is None:
        return first
    return replace(
        first,
        # in the report's order (`SORT_KEY`, which no two distinct findings share): the whole file's
        # failures, found by every part, come first in each part's own list
        findings=tuple(sorted(_distinct([finding for result in results for finding in result.findings]),
                              key=SORT_KEY)),
        notes=tuple(note for result in results for note in result.notes),
        stages=tuple(stage for result in results for stage in result.stages),
        stages_counted=sum(result.stages_counted for result in results),
        failed=any(result.failed for result in results),
        skipped_stages=tuple(skipped for result in results for skipped in result.skipped_stages),
    )


def input_bytes(paths: Sequence[str], config: Config) -> int:
    """What a unit reads: the content given for a path (stdin), else the file's size."""
    total = 0
    for path in paths:
        given = config.decode.source(path)
        if given is not None:
            total += len(given)
            continue
        with contextlib.suppress(OSError):  # unreadable: the decoder reports it
            total += os.path.getsize(path)
    return total


def module_files(directory: str) -> tuple[str, ...]:
    """Every Terraform configuration file of a module directory, as display paths."""
    try:
        names = os.listdir(directory)
    except OSError:
        return ()
    return tuple(sorted(
        os.path.join(directory, name).replace(os.sep, "/") if directory != "." else name
        for name in names
        if is_module_file(name) and os.path.isfile(os.path.join(directory, name))
    ))


def _process_module(unit: WorkUnit, config: Config, prepared: Prepared) -> list[FileResult]:
    """A module is decoded and checked whole — a stage in main.tf may own method settings written in
    settings.tf — but only the files the user named are reported on (pre-commit passes single files):
    each finding goes to the file its position is in, and one in a file not named becomes a note."""
    given = frozenset(unit.paths)
    everything = tuple(sorted(given | set(module_files(unit.directory))))
    # A large module's syntax tree (millions of objects, no cycles) lives until its stages are built,
    # and its stages until its results are made: the collector would traverse them again and again,
    # and once more when turned back on while they are still alive (~1 s of a 5,000-stage module;
    # resumed before the results were made, 0.5 s). Paused until the decoded module is gone.
    with CollectorPaused(input_bytes(everything, config) >= LARGE_DOCUMENT_BYTES):
        return _module_results(unit, given, everything, config, prepared)


def _module_results(unit: WorkUnit, given: frozenset[str], everything: tuple[str, ...], config: Config,
                    prepared: Prepared) -> list[FileResult]:
    decoded_files = decode_unit(WorkUnit("terraform", unit.directory, everything), config)
    results = {decoded.path: _file_result(decoded, (), prepared) for decoded in decoded_files}
    # Judged as a whole: a comment in settings.tf may silence a finding about a stage in main.tf.
    module_findings = _checked(decoded_files, prepared, judged_paths=everything)
    findings: dict[str, list[Finding]] = {path: [] for path in unit.paths}
    notes: dict[str, list[Note]] = {path: list(results[path].notes) if path in results else []
                                    for path in unit.paths}
    for finding in module_findings:
        finding = _at_given_origin(finding, given)
        located = finding.position.path
        if located in given:
            findings[located].append(finding)
        elif located in everything:
            owner = next((path for path in unit.paths if path in results), None)
            if owner is not None:
                notes[owner].append(Note(located, f"{finding.rule_id} not reported: {located} was not among "
                                         f"the files given ({finding.message})", finding.position))
        elif (finding.stage_address or "").startswith("module."):
            # Written in a called module itself, not by this caller: a run over that module reports it.
            notes[unit.paths[0]].append(Note(located, f"{finding.rule_id} not reported here: {located} belongs "
                                             f"to {finding.stage_address} ({finding.message})", finding.position))
        else:  # outside the module (a --var-file): reported with the first file named
            findings[unit.paths[0]].append(finding)
    reported = [replace(results[path], findings=tuple(findings[path]), notes=tuple(notes[path]))
                if path in results else FileResult(path, None, failed=True) for path in unit.paths]
    overridden = tuple(position for decoded in decoded_files for position in decoded.overridden_defaults)
    if reported and overridden:
        reported[0] = replace(reported[0], overridden_defaults=overridden)
    if reported and not any(result.stage_count for result in reported):
        # Only files without stages given (variables.tf, a tfvars file): the module's stages were
        # linted for them, so they are counted (with the first), not "0 stages found".
        linted = tuple(summary for path in everything if path not in given and path in results
                       for summary in results[path].stages)
        counted = sum(results[path].stages_counted for path in everything if path not in given and path in results)
        reported[0] = replace(reported[0], stages=linted, stages_counted=counted)
    return reported


def _at_given_origin(finding: Finding, given: frozenset[str]) -> Finding:
    """A finding in a file not given whose value is written in one that is (pre-commit passes only the
    changed `variables.tf`, `terraform.tfvars`, `locals.tf`): reported there, where the commit
    changed it, naming where the value is used; the attribute becomes its related location."""
    if finding.position.path in given:
        return finding
    for expression, position in finding.related:
        if position.path in given:
            used = finding.position
            message = f"{finding.message} [used by {finding.stage_address} at {used.path}:{used.line}:{used.column}]"
            return replace(finding, position=position, message=message, fingerprint_path=used.path,
                           related=((f"{finding.attribute} = {expression}", used),))
    return finding


def check_file(decoded: DecodedFile, prepared: Prepared) -> FileResult:
    """One decoded document's findings, with the style guide applied."""
    return _file_result(decoded, _checked([decoded], prepared, judged_paths=(decoded.path,)), prepared)


def _file_result(decoded: DecodedFile, findings: Sequence[Finding], prepared: Prepared) -> FileResult:
    summarised = prepared.stage_summaries
    return FileResult(
        path=decoded.path,
        format=decoded.format,
        findings=tuple(findings),
        notes=tuple(_notes(decoded)) if prepared.notes else decoded.notes,
        stages=tuple(StageSummary.of(stage, prepared.region) for stage in decoded.stages) if summarised else (),
        stages_counted=0 if summarised else len(decoded.stages),
        failed=bool(decoded.failures),
        skipped_stages=decoded.skipped_stages,
        overridden_defaults=decoded.overridden_defaults,
    )


def _checked(decoded_files: Sequence[DecodedFile], prepared: Prepared,
             judged_paths: Sequence[str]) -> list[Finding]:
    """Every finding of the files of one unit: parse failures, decoder findings, each enabled rule on
    each stage; then the style guide's one pass over them all."""
    guide = prepared.guide
    findings: list[Finding] = []
    metadata_ignores: dict[str, frozenset[str]] = {}
    for decoded in decoded_files:
        for failure in decoded.failures:
            findings.append(Finding(
                PARSE_ERROR, "parse-error", Severity.ERROR, failure.message,
                failure.position or file_start(failure.path), None, None, "file",
            ))
        if guide.is_enabled(DUPLICATE_KEY):
            findings.extend(guide.finding(DUPLICATE_KEY, duplicate.violation, None)
                            for duplicate in decoded.duplicate_keys)
        for stage in decoded.stages:
            findings.extend(_check_stage(stage, prepared))
            if stage.ignored_rules:
                metadata_ignores[stage.address] = frozenset(
                    {key.upper() for key in stage.ignored_rules} | set(stage.ignored_rules))
    findings = _distinct(findings)
    suppressions = {decoded.path: decoded.suppressions for decoded in decoded_files if decoded.suppressions}
    return guide.apply(findings, metadata_ignores=metadata_ignores, suppressions=suppressions,
                       judged_paths=judged_paths)


def _distinct(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per rule, position and message: a value shared by YAML aliases (or by two stages)
    is reported once, at its source, not once per copy."""
    seen: set[tuple[str, str, int, int, str]] = set()
    distinct = []
    for finding in findings:
        key = (finding.rule_id, finding.position.path, finding.position.line, finding.position.column,
               finding.message)
        if key not in seen:
            seen.add(key)
            distinct.append(finding)
    return distinct


def _check_stage(stage: Stage, prepared: Prepared) -> Iterator[Finding]:
    extra_stage = stage.sam_extra_stage
    stamp = None  # made at the stage's first violation: most rules find nothing
    for rule, check, options, judges_sam_extra_stage in prepared.stage_rules:
        if extra_stage and not judges_sam_extra_stage:
            continue  # SAM's extra stage is SL405's alone (see rules/sam_extra_stage.py)
        try:
            violations = list(check(stage, options))
            # most rules find nothing: only a rule that yielded something is checked item by item
            problem = next(filter(None, map(_bad_violation, violations)), None) if violations else None
        except (Exception, SystemExit) as error:  # a broken (plugin) rule is reported, and the stage's
            # other rules run; a plugin's sys.exit() must not end the run (or pass it silently)
            problem = f"{type(error).__name__}: {error}"
        if problem is not None:
            message = f"rule {rule.id} ({rule.name}, plugin {rule.plugin!r}) failed on this stage: {problem}"
            yield Finding(INTERNAL_ERROR, "internal-error", Severity.ERROR, message, stage.position,
                          stage.display_name, stage.address, f"rule:{rule.id}",
                          stage_identity=stage_identity(stage))
            continue
        if violations:
            if stamp is None:
                stamp = prepared.guide.stamper(stage)
            for violation in violations:
                yield stamp(rule.id, violation)


def _bad_violation(violation: object) -> str | None:
    """Why what a rule yielded is not a usable Violation (None when it is)."""
    if not isinstance(violation, Violation):
        return f"it yielded {type(violation).__name__} {_short(repr(violation))}, not a Violation"
    position = getattr(violation.subject, "position", violation.subject)
    if not isinstance(position, SourcePosition) or not isinstance(violation.message, str) \
            or not isinstance(violation.attribute, str):
        return f"it yielded a malformed Violation {_short(repr(violation))}"
    if not (isinstance(position.line, int) and isinstance(position.column, int)
            and position.line >= 1 and position.column >= 1):
        return f"it yielded a Violation at line {position.line!r}, column {position.column!r} (both count from 1)"
    return None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _notes(decoded: DecodedFile) -> Iterator[Note]:
    covered = {(note.position.line, note.position.column) for note in decoded.notes if note.position}
    yield from decoded.notes
    for stage in decoded.stages:
        for attribute, tracked in stage.unknown_leaves():
            if (tracked.position.line, tracked.position.column) not in covered:
                label = tracked.spelled_as or attribute
                yield Note(tracked.position.path, f"skipped {label} of stage {stage.display_name}: "
                           f"{tracked.reason or 'unknown value'}", tracked.position)
