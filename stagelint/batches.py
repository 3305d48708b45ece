"""A run's results kept packed, batch by batch, until the report is written (issue 15: a 50,000-file
run must not hold every finding as objects).

A batch is what one worker returned for a few dozen units: its FileResults sorted by path and its
findings sorted as the report orders them, pickled and zlib-compressed in the worker (~0.15 KiB a
generated file, where the objects took ~8 KiB in the main process), beside the counts the summary
line and the exit code need. A serial run keeps its batches as objects (packing would only cost
time there: the objects exist anyway). The report reads the batches back one at a time:

- `Collected.findings()` merges the batches' sorted findings into the order `sorted(every finding,
  key=Finding.sort_key)` over the path-sorted results gave (ties by result path, then the order
  the units ran in), and stamps fingerprints in that order. Batches cover ranges of paths that
  barely overlap (a Terraform module directory beside YAML files, a finding reported in a called
  module's file), so a batch is decoded only when the merge reaches its first finding, and one that
  overlaps no other is passed through whole, without a comparison per finding.
- A fingerprint's occurrence number counts the findings before it with the same (rule, path, stage,
  attribute). Its path is the finding's own unless the finding names another (`fingerprint_path`),
  so outside such keys (collected from the batches, few) every finding of a key is in one file:
  those counters are dropped when the merge moves to the next file.
- Findings whose value comes from a module variable default a module call in the run sets are
  dropped (each becomes a note) as they are read back, and the counts recomputed once.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from stagelint.findings import INTERNAL_ERROR, PARSE_ERROR, SORT_KEY, Finding, Note, Severity, fingerprint
from stagelint.positions import SourcePosition
from stagelint.records import dataclass, replace
from stagelint.report import FileResult, Report, Streamed, StreamedFiles, StreamedFindings

# (path, line, column, rule, message) of a finding, then the path of the result it came with.
FindingKey = tuple[str, int, int, str, str, str]
OccurrenceKey = tuple[str, str, str | None, str]
# What a batch holds: its results sorted by path, its findings sorted, each finding's result path.
Content = tuple[tuple[FileResult, ...], tuple[Finding, ...], tuple[str, ...]]

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Batch:
    """Some units' results, packed (`data`) or kept (`kept`), with their counts and key range."""

    data: bytes  # zlib(pickle(Content)); b"" when `kept`
    kept: Content | None
    files: int
    stages: int
    failed: int
    skipped: int
    severities: tuple[int, int, int]  # active findings: errors, warnings, infos
    suppressed: int
    errors: int  # active SL000 findings
    internal_errors: int  # active SL009 findings
    first_path: str | None  # of the results (None: no result)
    last_path: str | None
    first_finding: FindingKey | None  # None: no finding
    last_finding: FindingKey | None
    overridden: tuple[SourcePosition, ...]  # module variable defaults a module call sets
    shifted: tuple[OccurrenceKey, ...]  # occurrence keys of findings fingerprinted by another file's path
    number: int = 0  # the batch's place in the run (set by `Collected`): ties between batches follow it


SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def occurrence_key(finding: Finding) -> OccurrenceKey:
    return (finding.rule_id, finding.fingerprint_path or finding.position.path,
            finding.stage_identity or finding.stage_address, finding.attribute)


def _finding_key(finding: Finding, origin: str) -> FindingKey:
    position = finding.position
    return (position.path, position.line, position.column, finding.rule_id, finding.message, origin)


# How a report splits its findings, written once for a batch's counts, the streamed report and the
# materialised one (`engine`): the active ones, the suppressed ones, and SL000 and SL009 among the active.
PARTS: dict[str, Callable[[Finding], bool]] = {
    "findings": lambda finding: finding.suppressed_by is None,
    "suppressed": lambda finding: finding.suppressed_by is not None,
    "errors": lambda finding: finding.suppressed_by is None and finding.rule_id == PARSE_ERROR,
    "internal_errors": lambda finding: finding.suppressed_by is None and finding.rule_id == INTERNAL_ERROR,
}


def _counts(results: Sequence[FileResult], findings: Sequence[Finding]) -> dict[str, Any]:
    by_severity = Counter(finding.severity for finding in filter(PARTS["findings"], findings))
    return {
        "files": len(results), "stages": sum(result.stage_count for result in results),
        "failed": sum(1 for result in results if result.failed),
        "skipped": sum(len(result.skipped_stages) for result in results),
        "severities": tuple(by_severity[severity] for severity in SEVERITIES),
        # a count per part but the active findings (counted by severity above)
        **{name: sum(map(keep, findings)) for name, keep in PARTS.items() if name != "findings"},
    }


def pack(results: Sequence[FileResult], keep: bool = False) -> Batch:
    """`results` as one batch: compressed (in a worker), or kept as objects (`keep`, a serial run)."""
    ordered = tuple(sorted(results, key=lambda result: result.path))  # stable: ties keep the run's order
    content: Content = (ordered, *_sorted_findings(ordered))
    # zlib level 3: ~0.19 KiB a generated file against ~1.45 KiB pickled, no slower than level 1
    # (~14 ms a 1,000 files, in the workers); level 6 saves 8 % more for twice the time.
    if keep:
        data = b""
    else:  # pickle and zlib imported here: a serial run (one file, a pre-commit hook) never packs
        import pickle
        import zlib

        data = zlib.compress(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL), 3)
    findings, origins = content[1], content[2]
    shifted = {occurrence_key(finding) for finding in findings
               if (finding.fingerprint_path or finding.position.path) != finding.position.path}
    return Batch(
        data=data, kept=content if keep else None, **_counts(ordered, content[1]),
        first_path=ordered[0].path if ordered else None, last_path=ordered[-1].path if ordered else None,
        first_finding=_finding_key(findings[0], origins[0]) if findings else None,
        last_finding=_finding_key(findings[-1], origins[-1]) if findings else None,
        overridden=tuple(position for result in ordered for position in result.overridden_defaults),
        shifted=tuple(sorted(shifted, key=repr)),
    )


def _sorted_findings(ordered: Sequence[FileResult]) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """The findings of path-sorted results in the report's order (`Finding.sort_key`, ties in the
    results' order), with the path of the result each came with."""
    reporting = [result for result in ordered if result.findings]
    if len(reporting) == 1:  # one file's findings (a one-file run): no (finding, path) pair each
        findings = tuple(sorted(reporting[0].findings, key=SORT_KEY))
        return findings, (reporting[0].path,) * len(findings)
    pairs = sorted(((finding, result.path) for result in reporting for finding in result.findings),
                   key=lambda pair: SORT_KEY(pair[0]))
    return tuple(finding for finding, _ in pairs), tuple(origin for _, origin in pairs)


def _where(position: SourcePosition) -> tuple[str, int, int]:
    # By absolute path: a called module's files are named relative to the working directory, while the
    # module's own run names them as the paths given did (absolute when an absolute path was given).
    return (os.path.abspath(position.path), position.line, position.column)


class Collected:
    """Every batch of a run, read back in order (`findings`, `files`) or as a Report."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        numbered = [replace(batch, number=number) for number, batch in enumerate(batches)]
        self._overridden = frozenset(_where(position) for batch in numbered for position in batch.overridden)
        if self._overridden:  # some findings will be dropped as they are read: count what stays
            numbered = [replace(batch, **_counts(*self._load(batch)[:2])) for batch in numbered]
        self.batches = numbered
        self._shifted = frozenset(key for batch in numbered for key in batch.shifted)

    def _load(self, batch: Batch) -> Content:
        if batch.kept is not None:
            content = batch.kept
        else:
            import pickle
            import zlib

            content = pickle.loads(zlib.decompress(batch.data))
        return self._without_overridden_defaults(content) if self._overridden else content

    def _without_overridden_defaults(self, content: Content) -> Content:
        """A reusable module's findings that come from its own variable defaults stay findings only when
        no caller in the run sets those variables (then the caller's values are linted, at the call)."""
        results, findings, origins = content

        def from_default(finding: Finding) -> bool:
            return any(_where(position) in self._overridden for _, position in finding.related)

        dropped = {id(finding) for finding in findings if from_default(finding)}
        if not dropped:
            return content
        kept_results = []
        for result in results:
            gone = [finding for finding in result.findings if id(finding) in dropped]
            if gone:
                notes = tuple(Note(result.path, f"{finding.rule_id} not reported: a module call in this run sets "
                                   f"the variable whose default it comes from ({finding.message})", finding.position)
                              for finding in gone)
                result = replace(result, findings=tuple(finding for finding in result.findings
                                                        if id(finding) not in dropped), notes=(*result.notes, *notes))
            kept_results.append(result)
        kept = [(finding, origin) for finding, origin in zip(findings, origins, strict=True)
                if id(finding) not in dropped]
        return (tuple(kept_results), tuple(finding for finding, _ in kept), tuple(origin for _, origin in kept))

    def files(self) -> Iterator[FileResult]:
        """Every file's result, sorted by path (ties in the order the units ran)."""
        def load(batch: Batch) -> Sequence[FileResult]:
            return self._load(batch)[0]

        return _merged(self.batches, lambda batch: batch.first_path, lambda batch: batch.last_path, load,
                       lambda result: result.path)

    def _sorted_findings(self) -> Iterator[Finding]:
        with_findings = [batch for batch in self.batches if batch.first_finding is not None]
        if len(with_findings) == 1:  # in its own order already: no merge, no (finding, path) pairs
            return iter(self._load(with_findings[0])[1])

        def load(batch: Batch) -> Sequence[tuple[Finding, str]]:
            _, findings, origins = self._load(batch)
            return tuple(zip(findings, origins, strict=True))

        pairs = _merged(self.batches, lambda batch: batch.first_finding, lambda batch: batch.last_finding, load,
                        lambda pair: _finding_key(*pair))
        return (finding for finding, _ in pairs)

    def findings(self, fingerprinted: bool = True) -> Iterator[Finding]:
        """Every finding (active and suppressed) in the report's order, fingerprinted (unless not
        `fingerprinted`: then as they were made, with an empty fingerprint)."""
        if not fingerprinted:
            return self._sorted_findings()
        return self._fingerprinted()

    def _fingerprinted(self) -> Iterator[Finding]:
        shifted = self._shifted
        across: dict[OccurrenceKey, int] = {}  # keys findings in other files share
        within: dict[OccurrenceKey, int] = {}  # the current file's other keys
        path = None
        for finding in self._sorted_findings():
            where = finding.position.path
            if where != path:
                path = where
                within.clear()
            key = occurrence_key(finding)
            counter = across if key in shifted else within
            occurrence = counter[key] = counter.get(key, 0) + 1
            yield finding.with_fingerprint(fingerprint(*key, occurrence))

    def report(self, fail_on: Severity | None, fingerprinted: bool = True) -> Report:
        """A Report whose findings and files are decoded each time they are iterated (`fingerprinted`:
        as in `findings`)."""
        batches = self.batches

        def total(name: str) -> int:
            return sum(getattr(batch, name) for batch in batches)

        def part(name: str) -> Callable[[], Iterator[Finding]]:
            keep = PARTS[name]
            return lambda: filter(keep, self.findings(fingerprinted))

        severities = {severity: sum(batch.severities[index] for batch in batches)
                      for index, severity in enumerate(SEVERITIES)}
        return Report(
            findings=StreamedFindings(part("findings"), severities),
            files=StreamedFiles(self.files, total("files"), total("stages"), total("failed"), total("skipped")),
            suppressed=Streamed(part("suppressed"), total("suppressed")),
            fail_on=fail_on,
            errors=Streamed(part("errors"), total("errors")),
            internal_errors=Streamed(part("internal_errors"), total("internal_errors")),
        )


def _merged(batches: Sequence[Batch], first: Callable[[Batch], K | None], last: Callable[[Batch], K | None],
            load: Callable[[Batch], Sequence[T]], key: Callable[[T], K]) -> Iterator[T]:
    """The items of every batch in (key, batch number, place in the batch) order; each batch's items are
    sorted so already. A batch is loaded when the merge reaches its first key; one that nothing else
    overlaps is passed through whole."""
    order = sorted((batch for batch in batches if first(batch) is not None),
                   key=lambda batch: (first(batch), batch.number))
    heap: list[tuple[Any, int, int, T, Sequence[T], Any]] = []  # (key, batch, index, item, items, last key)
    position = 0
    while position < len(order) or heap:
        upcoming = (first(order[position]), order[position].number, 0) if position < len(order) else None
        if heap:
            top_key, number, index, item, items, last_key = heap[0]
            if len(heap) == 1 and (upcoming is None or (last_key, number, len(items) - 1) < upcoming):
                heap.clear()  # the rest of the only open batch comes before anything not yet open
                yield from items[index:]
                continue
            if upcoming is None or (top_key, number, index) < upcoming:
                yield item
                if index + 1 < len(items):
                    following = items[index + 1]
                    heapq.heapreplace(heap, (key(following), number, index + 1, following, items, last_key))
                else:
                    heapq.heappop(heap)
                continue
        batch = order[position]
        position += 1
        items = load(batch)
        if not items:  # every finding of it was dropped
            continue
        heapq.heappush(heap, (key(items[0]), batch.number, 0, items[0], items, key(items[-1])))
