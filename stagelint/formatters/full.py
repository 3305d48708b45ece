"""The `full` text format (the default on a terminal), as ruff's: each finding's line, then the source
line with a caret under the value, and the value's origin (a variable default, a parameter, Globals)
below it when it comes from elsewhere. `text` (the one-line form, also called `concise`) stays the
default in pipes, CI logs and the pre-commit hook.

Source lines are read again from the files (each at most once) and shown escaped, like every value
from a linted file; a file that cannot be read again shows the finding's line alone.
"""

from __future__ import annotations

from stagelint.findings import Finding
from stagelint.formatters import FormatContext
from stagelint.formatters.escape import printable
from stagelint.formatters.text import coloured_line, line, statistics, summary
from stagelint.positions import SourcePosition
from stagelint.report import Report


class _Sources:
    def __init__(self, given: tuple[tuple[str, bytes], ...] = ()) -> None:
        self._files: dict[str, list[str] | None] = {}
        self._given = dict(given)  # stdin's content, by its --stdin-filename: not what is on disk

    def line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            try:
                data = self._given.get(path)
                if data is None:
                    with open(path, "rb") as handle:
                        data = handle.read()
                text = data.decode("utf-8-sig", errors="surrogateescape")
                self._files[path] = [row.rstrip("\r") for row in text.split("\n")]
            except OSError:
                self._files[path] = None
        rows = self._files[path]
        return rows[number - 1] if rows is not None and 1 <= number <= len(rows) else None


def snippet(position: SourcePosition, sources: _Sources, color: bool) -> list[str]:
    """`  4 | source line` and `    |    ^^^^^` under the span (to the line's end for a multi-line span)."""
    source = sources.line(position.path, position.line)
    if source is None:
        return []
    source = source.replace("\t", " ")  # one column per tab keeps the caret under the value
    start = max(position.column - 1, 0)
    end = position.end_column - 1 if position.end_line == position.line else len(source)
    prefix, value = printable(source[:start]), printable(source[start:max(end, start + 1)])
    gutter = str(position.line)
    carets = "^" * max(len(value), 1)
    if color:
        from stagelint.formatters.ansi import style

        carets = style(carets, fg="red", bold=True)
    return [f" {gutter} | {printable(source)}".rstrip(), f" {' ' * len(gutter)} | {' ' * len(prefix)}{carets}"]


def finding_block(finding: Finding, sources: _Sources, color: bool) -> list[str]:
    lines = [coloured_line(finding) if color else line(finding), *snippet(finding.position, sources, color)]
    for expression, origin in finding.related:
        lines.append(printable(f"  = value from {expression}, at {origin.path}:{origin.line}:{origin.column}"))
        lines += snippet(origin, sources, color)
    return lines


def render(report: Report, context: FormatContext) -> str:
    if context.quiet and not report.findings:
        return ""
    sources = _Sources(context.sources)
    lines: list[str] = []
    for finding in report.findings:
        lines += [*finding_block(finding, sources, context.color), ""]
    if context.statistics:
        lines += statistics(report)
    if not context.quiet:
        lines.append(summary(report))
    elif lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + ("\n" if lines else "")
