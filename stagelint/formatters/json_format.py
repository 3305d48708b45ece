"""One JSON object: `{"version", "findings", "suppressed", "errors", "summary"}`, keys sorted, byte-stable.

`suppressed` lists the findings an inline comment, resource Metadata, per-file-ignores or the baseline
silenced, each with its `suppression` (`kind`: inSource or external, as in SARIF, and `justification`:
what silenced it and why), so a dashboard can see accepted risk.
"""

from __future__ import annotations

import json
from typing import Any

from stagelint.findings import Finding, Severity
from stagelint.formatters import FormatContext
from stagelint.formatters.escape import json_safe
from stagelint.report import Report


def finding_record(finding: Finding) -> dict[str, Any]:
    position = finding.position
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": position.path,
        "line": position.line,
        "column": position.column,
        "end_line": position.end_line,
        "end_column": position.end_column,
        "stage": finding.stage,
        "fingerprint": finding.fingerprint,
    }


def suppressed_record(finding: Finding) -> dict[str, Any]:
    record = finding_record(finding)
    record["suppression"] = {"kind": finding.suppression_kind or "external", "justification": finding.suppressed_by}
    return record


def render(report: Report, context: FormatContext) -> str:
    document: dict[str, Any] = {
        "version": context.version,
        "findings": [finding_record(finding) for finding in report.findings],
        "suppressed": [suppressed_record(finding) for finding in report.suppressed],
        "errors": [
            {"path": error.position.path, "line": error.position.line, "column": error.position.column,
             "message": error.message}
            for error in report.errors
        ],
        "summary": {
            "files": len(report.files),
            "stages": report.stage_count,
            "findings": len(report.findings),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "suppressed": len(report.suppressed),
            "stale_baseline_entries": report.stale_baseline,
            "unreadable_files": report.failed_count,
            "exit_code": report.exit_code,
        },
    }
    if context.verbose:
        document["notes"] = [
            {"path": note.path, "line": note.position.line if note.position else None,
             "column": note.position.column if note.position else None, "message": note.message}
            for note in report.notes
        ]
    return json_safe(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
