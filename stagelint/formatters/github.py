"""GitHub Actions workflow commands: findings show inline on a pull request, no SARIF upload needed.

`::error file=infra/api.yaml,line=5,col=25,endLine=5,endColumn=30,title=SL102 cache-size-invalid::message`
(`warning` and `notice` for the other severities). Escaping follows the runner's rules: `%`, CR and
LF in the message; additionally `:` and `,` in property values.

GitHub shows at most 10 annotations of each level per step (and 50 per job) and drops the rest
silently, so when there are more, a last line says how many were not shown. `step_summary` is the
Markdown table the CLI appends to `$GITHUB_STEP_SUMMARY` when it is set: every finding, one click away.
"""

from __future__ import annotations

import itertools
import re

from stagelint.findings import Finding, Severity
from stagelint.formatters import FormatContext
from stagelint.formatters.columns import Utf16Columns
from stagelint.formatters.escape import printable
from stagelint.formatters.paths import rebase
from stagelint.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, columns: Utf16Columns | None = None, root: str | None = None) -> str:
    """One annotation: the path relative to the repository root (`formatters/paths.py`), columns in
    UTF-16 code units, as GitHub counts them (`formatters/columns.py`)."""
    position = (columns or Utf16Columns()).position(finding.position)
    properties = [
        ("file", rebase(position.path, root)), ("line", str(position.line)), ("col", str(position.column)),
        ("endLine", str(position.end_line)), ("endColumn", str(position.end_column)),
        ("title", f"{finding.rule_id} {finding.rule_name}"),
    ]
    rendered = ",".join(f"{key}={escape_property(printable(value))}" for key, value in properties)
    stage = f" (stage {finding.stage})" if finding.stage else ""
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(printable(finding.message + stage))}"


ANNOTATIONS_PER_LEVEL = 10  # per step (actions/toolkit docs/problem-matchers.md)
SUMMARY_ROWS = 500  # a step summary may hold 1 MiB


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def not_shown(report: Report) -> str | None:
    """The line saying how many annotations GitHub will drop, or None when all are shown."""
    hidden = [(report.count(severity) - ANNOTATIONS_PER_LEVEL, COMMANDS[severity])
              for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
              if report.count(severity) > ANNOTATIONS_PER_LEVEL]
    if not hidden:
        return None
    counts = ", ".join(_plural(count, level) for count, level in hidden)
    return (f"stagelint: {counts} not shown as annotations (GitHub shows {ANNOTATIONS_PER_LEVEL} of each level "
            f"per step): the step summary lists all {_plural(len(report.findings), 'finding')}.")


def render(report: Report, context: FormatContext) -> str:
    columns = Utf16Columns()
    lines = [command(finding, columns, context.project_root) for finding in report.findings]
    note = not_shown(report)
    if note is not None:
        lines.append(note)
    return "".join(line + "\n" for line in lines)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def markdown_text(text: str) -> str:
    """Text from the linted files, inert in a Markdown table cell: escaped, then punctuation quoted."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def step_summary(report: Report, context: FormatContext) -> str:
    """A Markdown report for `$GITHUB_STEP_SUMMARY`: the counts, then a table of the findings."""
    if not report.findings:
        lines = [f"### stagelint: all clear\n\n{_plural(len(report.files), 'file')} checked, "
                 f"{_plural(report.stage_count, 'stage')} found."]
    else:
        counts = ", ".join(_plural(report.count(severity), severity.value)
                           for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO) if report.count(severity))
        lines = [f"### stagelint: {_plural(len(report.findings), 'finding')} ({counts})\n",
                 f"{_plural(len(report.files), 'file')} checked, {_plural(report.stage_count, 'stage')} found.\n",
                 "| Severity | Rule | Location | Message |", "|---|---|---|---|"]
        help_uris = {rule.id: rule.help_uri for rule in context.rules.rules}
        for finding in itertools.islice(report.findings, SUMMARY_ROWS):
            position = finding.position
            uri = help_uris.get(finding.rule_id)
            rule = f"[{finding.rule_id}]({uri})" if uri else finding.rule_id
            where = f"{rebase(position.path, context.project_root)}:{position.line}:{position.column}"
            stage = f" (stage {finding.stage})" if finding.stage else ""
            lines.append(f"| {finding.severity.value} | {rule} {finding.rule_name} | {markdown_text(where)} | "
                         f"{markdown_text(finding.message + stage)} |")
        if len(report.findings) > SUMMARY_ROWS:
            lines.append(f"\n… and {len(report.findings) - SUMMARY_ROWS} more (see the log).")
    if report.suppressed:
        lines.append(f"\n{len(report.suppressed)} suppressed (inline, per-file-ignores or the baseline).")
    return "\n".join(lines) + "\n"
