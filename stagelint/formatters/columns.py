"""Columns as GitHub counts them: UTF-16 code units.

stagelint's positions count Unicode code points (what an editor's cursor and the text format show).
GitHub code scanning and workflow annotations count UTF-16 code units (SARIF `columnKind:
utf16CodeUnits`, the unit of its own SARIF example), so each character outside the Basic Multilingual
Plane (an emoji, say) before a value shifts it by one more column. Only those characters matter, so a
file is read again only for the SARIF and github formats, and a line is converted only when the file
holds such a character. A file that cannot be read again keeps its code-point columns.
"""

from __future__ import annotations

import codecs
import re

from stagelint.positions import SourcePosition
from stagelint.records import replace

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _read_lines(path: str) -> list[str] | None:
    """The file's lines if it holds a character outside the BMP, else None (columns are equal)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="surrogateescape")
    if not _ASTRAL.search(text):
        return None
    return text.split("\n")


class Utf16Columns:
    """Converts positions to UTF-16 columns, reading each file at most once."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def _column(self, path: str, line: int, column: int) -> int:
        if path not in self._files:
            self._files[path] = _read_lines(path)
        lines = self._files[path]
        if lines is None or not 1 <= line <= len(lines):
            return column
        before = lines[line - 1][: max(column - 1, 0)]
        return column + len(_ASTRAL.findall(before))

    def position(self, position: SourcePosition) -> SourcePosition:
        return replace(position,
                       column=self._column(position.path, position.line, position.column),
                       end_column=self._column(position.path, position.end_line, position.end_column))
