"""Budgets shared by every decoder, so that no input can hang, exhaust memory or crash a parser.

Exceeding one is a parse failure (SL000) with a clear message, never a traceback; the value budget
(`max_evaluated_chars`) makes the value that exceeds it unknown instead.
"""

from __future__ import annotations

from stagelint.records import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets every decoder respects (each exceeded one is an SL000 finding)."""

    max_file_bytes: int = 5 * MIB
    # Terraform plan JSON (`terraform show -json`) of a real estate is often larger than any template.
    max_plan_bytes: int = 100 * MIB
    # Nodes after YAML alias expansion (cfn-lint stops at 250,000; a 5 MiB template has fewer than 1,000,000).
    max_expanded_nodes: int = 1_000_000
    # Nesting of collections. libyaml's composer recurses in C and crashes near 100,000 levels.
    max_depth: int = 512
    # Characters that evaluation may produce per file (CloudFormation) or module (Terraform): string
    # templates, `Fn::Sub` and `Fn::Join` results. Past it a value is unknown with the reason, so a
    # local that doubles a string, or a `!Join` over YAML aliases, cannot grow without bound.
    max_evaluated_chars: int = 4 * MIB
    # Seconds a single file may take to decode before it is reported and skipped.
    max_seconds_per_file: float = 30.0


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """Raised by a decoder when an input exceeds a budget; the engine reports it as SL000.

    `line`/`column` (1-based, code points) say where, when the decoder knows, so that the finding
    sits there and not at 1:1.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class ValueBudget:
    """Characters produced by evaluation so far, against `Limits.max_evaluated_chars` (one per
    file or module). `spend` says whether a value of that length still fits."""

    def __init__(self, limit: int, unit: str = "file") -> None:
        self.limit = limit
        self.unit = unit
        self.used = 0

    def spend(self, characters: int) -> bool:
        self.used += characters
        return self.used <= self.limit

    def over(self, characters: int) -> str | None:
        """None while a value of that length still fits; else why it does not."""
        return None if self.spend(characters) else self.reason()

    def reason(self) -> str:
        return (f"evaluating this {self.unit}'s values produces more than {self.limit:,} characters "
                "(Limits.max_evaluated_chars; a string doubled through locals or aliases?)")
