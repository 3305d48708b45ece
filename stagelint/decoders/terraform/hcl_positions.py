"""tree-sitter points (0-based row, byte column) → the 1-based code-point positions of findings (`hcl.py`)."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from stagelint.positions import SourcePosition, multibyte_starts

if TYPE_CHECKING:  # what is read of a tree-sitter node: `hcl.py` stays the only module importing tree-sitter
    from typing import Protocol

    class _Point(Protocol):
        @property
        def row(self) -> int: ...

        @property
        def column(self) -> int: ...

    class SyntaxNode(Protocol):
        @property
        def start_point(self) -> _Point: ...

        @property
        def end_point(self) -> _Point: ...


class Positions:
    """tree-sitter points (0-based row, byte column) → 1-based code-point positions."""

    __slots__ = ("_ascii", "_lines", "_wide", "first_line", "path", "simple_columns")

    def __init__(self, data: bytes, path: str, first_line: int = 1) -> None:
        self.first_line = first_line  # the file's line of `data`'s first row (a chunk's, in a large file)
        self._ascii = data.isascii()  # then every byte column is the code-point column
        # Only columns of a file with multi-byte characters need its lines.
        self._lines = [] if self._ascii else data.split(b"\n")
        self.path = path
        # Spans may be made from a node's start and byte offsets (`hcl_text`): every column is a byte's.
        self.simple_columns = self._ascii
        # Per line: None when ASCII, else where each multi-byte character starts and how many
        # extra bytes precede that point, so that a column is one bisection, never a slice and
        # decode of the line's prefix per node (quadratic on one 2 MB line).
        self._wide: dict[int, tuple[list[int], list[int]] | None] = {}

    def column(self, row: int, byte_column: int) -> int:
        if self._ascii or byte_column == 0 or row >= len(self._lines):
            return byte_column + 1
        if row in self._wide:
            wide = self._wide[row]
        else:
            wide = self._wide[row] = multibyte_starts(self._lines[row])
        if wide is None:
            return byte_column + 1
        starts, extra = wide
        before = bisect.bisect_left(starts, byte_column)  # characters starting before the column
        return byte_column - (extra[before - 1] if before else 0) + 1

    def point(self, row: int, byte_column: int) -> SourcePosition:
        column = self.column(row, byte_column)
        return SourcePosition(self.path, row + self.first_line, column, row + self.first_line, column)

    def span(self, node: SyntaxNode) -> SourcePosition:
        start, end = node.start_point, node.end_point
        if self._ascii:  # byte columns are code-point columns: no per-column call (most files, every node)
            first = self.first_line
            return SourcePosition(self.path, start.row + first, start.column + 1, end.row + first, end.column + 1)
        return self.between(node, node)

    def between(self, first: SyntaxNode, last: SyntaxNode) -> SourcePosition:
        start, end = first.start_point, last.end_point
        return SourcePosition(
            self.path,
            start.row + self.first_line,
            self.column(start.row, start.column),
            end.row + self.first_line,
            self.column(end.row, end.column),
        )


class FixedPositions(Positions):
    """For an expression inside a JSON string: every node is reported at the string's span."""

    __slots__ = ("_span",)

    def __init__(self, span: SourcePosition) -> None:
        super().__init__(b"", span.path)
        self._span = span
        self.simple_columns = False

    def span(self, node: SyntaxNode) -> SourcePosition:
        return self._span

    def between(self, first: SyntaxNode, last: SyntaxNode) -> SourcePosition:
        return self._span
