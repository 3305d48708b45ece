"""The result of a run: what the formatters and the exit code are computed from."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, overload

from stagelint.findings import Finding, Note, Severity
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.pricing import DEFAULT_REGION
from stagelint.records import dataclass, field
from stagelint.stage_details import StageDetails, details_of


@dataclass(frozen=True, slots=True)
class StageSummary:
    """One stage, as the inventory view and JSON consumers see it."""

    path: str
    line: int
    address: str
    name: str | None
    format: str
    api_kind: str
    caching: bool | None
    cache_cluster_size: str | None
    estimated_monthly_cost: float | None
    access_logging: bool | None
    tracing: bool | None
    canary: bool | None
    throttling: bool | None
    waf: bool | None
    environment: str = "unknown"  # prod, staging, dev or unknown (`stagelint.environments`)
    cost_reason: str | None = None  # why estimated_monthly_cost is None (no cache cluster, size unknown…)
    region: str = DEFAULT_REGION  # whose prices (and account quota) apply: the file's own, else `--region`
    # The inventory's detailed columns, unknowns with their reason.
    details: StageDetails = field(default_factory=StageDetails)

    @classmethod
    def of(cls, stage: Stage, region: str = DEFAULT_REGION) -> StageSummary:
        """What the audit shows of a stage: unknowns stay None, never guessed. The cost is at `region`'s
        prices, and None (with `cost_reason`) when there is no cache cluster or it cannot be priced."""
        from stagelint.environments import environment_of

        region = stage.region or region  # a Region the file names beats the run's
        size = stage.cache_cluster_size
        caching = stage.has_caching  # asked once: the cost, its reason and the flag all follow from it
        cost = stage.cost_in(region) if caching else None
        tracing = stage.tracing_enabled
        return cls(
            path=stage.source.path, line=stage.position.line, address=stage.address,
            name=str(stage.name.value) if stage.name.is_known else None, format=stage.source.format.value,
            api_kind=stage.api_kind.value, caching=caching,
            cache_cluster_size=str(size.value) if size.is_known else None,
            estimated_monthly_cost=cost,
            cost_reason=None if cost is not None else _cost_reason(stage, region, caching),  # a price: no reason
            access_logging=stage.has_access_logging,
            tracing=tracing.value if tracing.is_known else (False if tracing.is_absent else None),
            canary=stage.has_canary, throttling=stage.has_throttling,
            waf=not stage.web_acl_arn.is_absent, environment=environment_of(stage), region=region,
            details=details_of(stage),
        )


def _cost_reason(stage: Stage, region: str, caching: bool | None) -> str | None:
    """Why the stage's cost is not given (`caching`: its `has_caching`), or None."""
    if caching is False:
        return "no cache cluster"
    if caching is None:
        return f"caching unknown ({stage.cache_cluster_enabled.reason or 'unresolved value'})"
    size = stage.cache_cluster_size
    if size.is_absent:
        return "cache size not set"
    if not size.is_known:
        return f"cache size unknown ({size.reason or 'unresolved value'})"
    from stagelint.pricing import normalise_cache_size, price_table

    table = price_table(region)
    if table is None:
        return f"no prices for Region {region}"
    if table.monthly(str(size.value)) is None:
        return f"no price for a {normalise_cache_size(str(size.value))} GB cache"
    return None


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file gave: its findings, what `--verbose` says about it, and its stages."""

    path: str
    format: str | None  # None: not a stage file, or unreadable
    findings: tuple[Finding, ...] = ()
    notes: tuple[Note, ...] = ()
    stages: tuple[StageSummary, ...] = ()
    failed: bool = False  # could not be read or parsed (SL000)
    # Stages found but not summarised (`Config.stage_summaries` off: a run that shows only how many).
    stages_counted: int = 0
    skipped_stages: tuple[str, ...] = ()  # stage resources declared but not created, with why
    overridden_defaults: tuple[SourcePosition, ...] = ()  # module variable defaults a caller sets

    @property
    def stage_count(self) -> int:
        """How many stages the file has, summarised or not."""
        return len(self.stages) + self.stages_counted


T = TypeVar("T")


class Streamed(Sequence[T]):
    """Items produced afresh by each iteration, decoded from a run's packed batches (`stagelint.batches`),
    so a 50,000-file run never holds them all as objects; the length is known without decoding.
    Indexing materialises the whole sequence: formatters iterate."""

    __slots__ = ("_length", "_produce")

    def __init__(self, produce: Callable[[], Iterator[T]], length: int) -> None:
        self._produce = produce
        self._length = length

    def __iter__(self) -> Iterator[T]:
        return self._produce() if self._length else iter(())  # an empty one costs no decoding

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return tuple(self)[index]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._length} items)"


class StreamedFindings(Streamed[Finding]):
    """Findings with their counts by severity known up front (the summary line and the exit code)."""

    __slots__ = ("severities",)

    def __init__(self, produce: Callable[[], Iterator[Finding]], severities: dict[Severity, int]) -> None:
        super().__init__(produce, sum(severities.values()))
        self.severities = severities


class StreamedFiles(Streamed[FileResult]):
    """File results with what the summary counts of them known up front."""

    __slots__ = ("failed", "skipped", "stages")

    def __init__(self, produce: Callable[[], Iterator[FileResult]], length: int, stages: int, failed: int,
                 skipped: int) -> None:
        super().__init__(produce, length)
        self.stages = stages
        self.failed = failed
        self.skipped = skipped


@dataclass(frozen=True)
class Report:
    """Everything a run found, sorted and fingerprinted: what formatters render and the exit code comes from."""

    # Tuples, or `Streamed` sequences decoded as they are iterated (`engine.run(streamed=True)`).
    findings: Sequence[Finding]
    files: Sequence[FileResult]
    suppressed: Sequence[Finding] = ()
    fail_on: Severity | None = Severity.ERROR
    errors: Sequence[Finding] = field(default=())  # SL000 findings: files that could not be read or parsed
    internal_errors: Sequence[Finding] = field(default=())  # SL009 findings: a rule failed on a stage
    stale_baseline: int = 0  # baseline entries for linted files that match no finding any more
    run_notes: tuple[Note, ...] = field(default=())  # about the run, not a file: directories a walk skipped

    @property
    def notes(self) -> tuple[Note, ...]:
        return self.run_notes + tuple(note for result in self.files for note in result.notes)

    @property
    def stages(self) -> tuple[StageSummary, ...]:
        return tuple(stage for result in self.files for stage in result.stages)

    @property
    def skipped_stages(self) -> tuple[str, ...]:
        return tuple(reason for result in self.files for reason in result.skipped_stages)

    # The counts the summary line and the exit code need, without decoding a streamed report's files.
    @property
    def stage_count(self) -> int:
        files = self.files
        return files.stages if isinstance(files, StreamedFiles) else sum(result.stage_count for result in files)

    @property
    def skipped_count(self) -> int:
        files = self.files
        return files.skipped if isinstance(files, StreamedFiles) else \
            sum(len(result.skipped_stages) for result in files)

    @property
    def failed_count(self) -> int:
        files = self.files
        return files.failed if isinstance(files, StreamedFiles) else sum(1 for result in files if result.failed)

    @property
    def checked_nothing(self) -> str | None:
        """Why this run linted nothing (no file, or no stage), or None: a green run that did not look
        must not read as "All clear" to a CI gate."""
        if not self.files:
            return "no file was checked"
        if not self.stage_count and not self.has_input_errors:
            return "no stage was found"
        return None

    def count(self, severity: Severity) -> int:
        findings = self.findings
        if isinstance(findings, StreamedFindings):
            return findings.severities.get(severity, 0)
        return sum(1 for finding in findings if finding.severity is severity)

    @property
    def has_input_errors(self) -> bool:
        return self.failed_count > 0

    @property
    def exit_code(self) -> int:
        """0 clean (or below --fail-on), 1 findings at or above it, 2 some input unreadable or not fully
        checked because a rule failed (wins)."""
        if self.has_input_errors or self.internal_errors:
            return 2
        if self.fail_on is None:
            return 0
        threshold = self.fail_on.rank
        return 1 if any(self.count(severity) for severity in Severity if severity.rank >= threshold) else 0
