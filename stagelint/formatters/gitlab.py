"""GitLab Code Quality report (`artifacts: reports: codequality:`), shown in the merge request widget.

A JSON array of issues, each with `description`, `check_name` (the rule id), a unique `fingerprint`
(stagelint's line-free one, so an issue survives edits above it), `severity` (GitLab's scale: an
error is `major`, a warning `minor`, an info `info`; a file that cannot be read or checked, SL000 or
SL009, is `critical`) and `location` (`path` relative to the repository root, as GitLab resolves it,
and `lines.begin`/`lines.end`). Suppressed and baselined findings are left out, as in SARIF: the widget
would show them as new issues. Same input, same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from stagelint.findings import INTERNAL_ERROR, PARSE_ERROR, Finding, Severity
from stagelint.formatters import FormatContext
from stagelint.formatters.escape import json_safe, printable
from stagelint.formatters.paths import rebase
from stagelint.report import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(finding: Finding, root: str | None) -> dict[str, Any]:
    position = finding.position
    stage = f" (stage {finding.stage})" if finding.stage else ""
    critical = finding.rule_id in (PARSE_ERROR, INTERNAL_ERROR)
    return {
        "description": printable(f"{finding.rule_id} {finding.rule_name}: {finding.message}{stage}"),
        "check_name": finding.rule_id,
        "fingerprint": finding.fingerprint,
        "severity": "critical" if critical else SEVERITIES[finding.severity],
        "location": {"path": rebase(position.path, root),
                     "lines": {"begin": position.line, "end": max(position.end_line, position.line)}},
    }


def render(report: Report, context: FormatContext) -> str:
    issues = [issue(finding, context.project_root) for finding in report.findings]
    return json_safe(json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
