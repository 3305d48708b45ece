"""Source positions: the one place where 0- and 1-based conventions meet.

Every position stagelint reports is 1-based in lines and columns, and columns count
Unicode code points (what the text format shows). The SARIF and github formats convert them to
UTF-16 code units, as GitHub counts them (`formatters/columns.py`). Parsers disagree: YAML marks
are 0-based, tree-sitter rows are 0-based with *byte* columns, JSON scanners give string
offsets. Decoders convert through the helpers here and nowhere else.
"""

from __future__ import annotations

import bisect
import re

from stagelint.records import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SourcePosition:
    """A span in a file. `path` is relative to the working directory, with `/` separators."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def start(self) -> tuple[int, int]:
        return (self.line, self.column)

    def label(self) -> str:
        """`path:line` — how messages name another place."""
        return f"{self.path}:{self.line}"


def from_zero_based(path: str, line: int, column: int, end_line: int, end_column: int) -> SourcePosition:
    """Convert a 0-based (line, column) span, as YAML marks and tree-sitter rows give them."""
    return SourcePosition(path, line + 1, column + 1, end_line + 1, end_column + 1)


def file_start(path: str) -> SourcePosition:
    """The position used when nothing better is known (an unreadable file, an empty one)."""
    return SourcePosition(path, 1, 1, 1, 1)


class LineIndex:
    """Maps string offsets (code points) to 1-based (line, column), by binary search over line starts."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        index = find("\n")
        while index != -1:
            starts.append(index + 1)
            index = find("\n", index + 1)
        self._starts = starts

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, path: str, start: int, end: int) -> SourcePosition:
        line, column = self.line_column(start)
        end_line, end_column = self.line_column(end)
        return SourcePosition(path, line, column, end_line, end_column)


_LEAD_BYTE = rb"[\xc0-\xff]"  # compiled on first use (re's cache): only lines with non-ASCII text need it


def multibyte_starts(line: bytes) -> tuple[list[int], list[int]] | None:
    """Byte offsets of a line's multi-byte UTF-8 characters and the running count of their extra
    bytes (a character of n bytes adds n - 1); None for an ASCII line. With them, a byte column (as
    tree-sitter gives) becomes a code-point column by one bisection."""
    if line.isascii():
        return None
    starts: list[int] = []
    extra: list[int] = []
    total = 0
    for match in re.finditer(_LEAD_BYTE, line):
        lead = line[match.start()]
        total += 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        starts.append(match.start())
        extra.append(total)
    return starts, extra
