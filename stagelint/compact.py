"""Per-file results kept compactly in the main process of a pooled run.

A worker's results arrive unpickled: every finding brings its own copies of strings that thousands of
findings share by value (the stage address, the attribute, the stage identity, a message repeated
across files). Over 50,000 files those copies are most of the main process's growth. `compact`
replaces each by one shared copy as a batch arrives, before the next one is read, so the run holds
one string per distinct value. Values are equal, so nothing a formatter prints can change.
"""

from __future__ import annotations

from stagelint.findings import Finding
from stagelint.report import FileResult

# The string fields of a Finding that repeat across files (rule ids and names already arrive shared
# within a batch; fingerprints are stamped later, in the main process).
_SHARED_FIELDS = ("message", "stage", "stage_address", "attribute", "stage_identity")


def compact(results: list[FileResult], shared: dict[str, str]) -> list[FileResult]:
    """`results`, each finding's repeated strings swapped for the copy in `shared` (filled as it goes).

    The findings were unpickled a moment ago and nothing else refers to them, so the swap is made in
    place: `object.__setattr__` passes by the frozen records' guard, with an equal value. Rebuilding
    every finding instead would cost a constructor call per finding.
    """
    for result in results:
        for finding in result.findings:
            _share(finding, shared)
    return results


def _share(finding: Finding, shared: dict[str, str]) -> None:
    for name in _SHARED_FIELDS:
        value = getattr(finding, name)
        if value is not None:
            kept = shared.setdefault(value, value)
            if kept is not value:
                object.__setattr__(finding, name, kept)
    path = finding.position.path
    kept_path = shared.setdefault(path, path)
    if kept_path is not path:
        object.__setattr__(finding.position, "path", kept_path)
