"""`path:line:col: SL102 [error] message (stage prod)`, sorted, then a one-line summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from stagelint.findings import Finding, Severity
from stagelint.formatters import FormatContext
from stagelint.formatters.escape import printable
from stagelint.report import Report


def line(finding: Finding) -> str:
    """One finding on one line, whatever its path, message or stage name hold (`escape.printable`)."""
    position = finding.position
    stage = f" (stage {finding.stage})" if finding.stage else ""
    return printable(f"{position.path}:{position.line}:{position.column}: {finding.rule_id} "
                     f"[{finding.severity.value}] {finding.message}{stage}")


COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def coloured_line(finding: Finding) -> str:
    """`line` with the location bold and the rule and severity in the severity's colour. The text is
    escaped first, so a stage name cannot add or cancel a colour."""
    from stagelint.formatters.ansi import style

    position = finding.position
    stage = f" (stage {finding.stage})" if finding.stage else ""
    colour = COLOURS[finding.severity]
    where = style(printable(f"{position.path}:{position.line}:{position.column}:"), bold=True)
    rule = style(finding.rule_id, fg=colour, bold=True)
    severity = style(f"[{finding.severity.value}]", fg=colour)
    return f"{where} {rule} {severity} {printable(finding.message + stage)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    files = len(report.files)
    stages = report.stage_count
    failed = report.failed_count
    skipped = report.skipped_count
    found = _plural(stages, 'stage') + " found" + (f", {skipped} skipped (not created)" if skipped else "")
    if not report.findings:
        text = f"All clear: {_plural(files, 'file')} checked, {found}."
    else:
        counts = ", ".join(_plural(report.count(severity), severity.value)
                           for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
                           if report.count(severity))
        text = (f"Found {_plural(len(report.findings), 'finding')} ({counts}) in "
                f"{_plural(files, 'file')} checked, {found}.")
    if failed:
        text += f" {_plural(failed, 'file')} could not be read or parsed."
    if report.suppressed:
        text += f" {len(report.suppressed)} suppressed."
    if report.stale_baseline:
        entries = "1 baseline entry no longer matches" if report.stale_baseline == 1 else \
            f"{report.stale_baseline} baseline entries no longer match"
        text += f" {entries}; run --write-baseline to prune."
    return text


def statistics(report: Report) -> list[str]:
    """ruff's `--statistics`: count, code and name, most frequent first."""
    counts = Counter((finding.rule_id, finding.rule_name) for finding in report.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(count)) for _, count in rows), default=1)
    return [f"{count:>{width}}  {rule_id}  {name}" for (rule_id, name), count in rows]


# Lines per piece of `stream`: large enough that writing is a few calls per MiB, small enough that a
# piece is nothing beside the report.
PIECE_LINES = 1024


def stream(report: Report, context: FormatContext) -> Iterator[str]:
    """The report in pieces that each end a line, made as the findings are read (a streamed report's
    are decoded batch by batch), so a 50,000-file run never holds its whole text."""
    if context.quiet and not report.findings:
        return
    shown = coloured_line if context.color else line
    lines: list[str] = []
    for finding in report.findings:
        lines.append(shown(finding))
        if len(lines) == PIECE_LINES:
            yield "\n".join(lines) + "\n"
            lines = []
    if context.statistics:
        lines += statistics(report)
    if not context.quiet:
        lines.append(summary(report))
    if lines:
        yield "\n".join(lines) + "\n"


def render(report: Report, context: FormatContext) -> str:
    return "".join(stream(report, context))
