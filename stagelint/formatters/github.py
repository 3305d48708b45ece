"""GitHub Actions workflow commands: findings show inline on a pull request, no SARIF upload needed.

`::error file=infra/api.yaml,line=5,col=25,endLine=5,endColumn=30,title=SL102 cache-size-invalid::message`
(`warning` and `notice` for the other severities). Escaping follows the runner's rules: `%`, CR and
LF in the message; additionally `:` and `,` in property values.
"""

from __future__ import annotations

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


def render(report: Report, context: FormatContext) -> str:
    columns = Utf16Columns()
    lines = [command(finding, columns, context.project_root) for finding in report.findings]
    return "".join(line + "\n" for line in lines)
