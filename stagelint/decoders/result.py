"""What a decoder returns for one file (`DecodedFile`) and how it says a file could not be read."""

from __future__ import annotations

from dataclasses import dataclass

from stagelint.findings import Note, Violation
from stagelint.model import Stage
from stagelint.positions import SourcePosition


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """A file (or a part of one) that could not be read or parsed: reported as SL000."""

    path: str
    message: str
    position: SourcePosition | None = None


@dataclass(frozen=True, slots=True)
class DecodedFile:
    """A decoder's answer for one file: its stages, its failures and what it skipped."""

    path: str
    format: str | None  # None: not a stage file
    stages: tuple[Stage, ...] = ()
    failures: tuple[ParseFailure, ...] = ()
    notes: tuple[Note, ...] = ()
    # Findings that come from decoding itself (SL010 duplicate-key): rule id + violation.
    decoder_findings: tuple[tuple[str, Violation], ...] = ()
    skipped_reason: str | None = None
