"""Budgets shared by every decoder, so that no input can hang, exhaust memory or crash a parser.

Exceeding one is a parse failure (SL000) with a clear message, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets every decoder respects (each exceeded one is an SL000 finding)."""

    max_file_bytes: int = 5 * MIB
    # Nodes after YAML alias expansion (cfn-lint stops at 250,000; a 5 MiB template has fewer than 1,000,000).
    max_expanded_nodes: int = 1_000_000
    # Nesting of collections. libyaml's composer recurses in C and crashes near 100,000 levels.
    max_depth: int = 512
    # Seconds a single file may take to decode before it is reported and skipped.
    max_seconds_per_file: float = 30.0


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """Raised by a decoder when an input exceeds a budget; the engine reports it as SL000."""
