"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

What GitHub requires is all here: `tool.driver` with name, version, informationUri and every rule
(help text and Markdown straight from the rule's docstring, `security-severity` for rules that declare
`SECURITY_SEVERITY`); results with ruleId, ruleIndex, level, message, a relative `%SRCROOT%` location
with a full region (columns in UTF-16 code units, as GitHub counts them), and `partialFingerprints`
that contain no line numbers (`stagelint/v1`), so an alert survives unrelated edits above it (GitHub
itself matches alerts by the `primaryLocationLineHash` that upload-sarif adds). Parse errors (SL000)
are results *and* `toolExecutionNotifications`.

Suppressed findings (inline comments, resource Metadata, per-file-ignores, the baseline) are left out
by default: GitHub code scanning does not read `suppressions` (it is not among the properties it
supports), so each would become an *open* alert. `--sarif-suppressed include` emits them with
`suppressions` for consumers that do read it. Keys are sorted and nothing depends on the machine: same
input, same bytes.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from stagelint.findings import PARSE_ERROR, SORT_KEY, Finding, Severity
from stagelint.formatters import FormatContext
from stagelint.formatters.columns import Utf16Columns
from stagelint.formatters.escape import json_safe
from stagelint.formatters.paths import rebase
from stagelint.positions import SourcePosition
from stagelint.registry import RuleSpec
from stagelint.report import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stagelint/stagelint"
FINGERPRINT_KEY = "stagelint/v1"


# GitHub's `problem.severity` for rules without a security severity.
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}


def rule_descriptor(rule: RuleSpec) -> dict[str, Any]:
    """GitHub shows `shortDescription` beside every alert (the docstring's one-line title), links
    `helpUri` (the rule's page, docs/rules/SLxxx.md) and sorts by `precision` and `problem.severity`."""
    doc = rule.doc
    properties: dict[str, Any] = {"tags": sorted(set(rule.tags)), "precision": rule.precision,
                                  "problem.severity": PROBLEM_SEVERITY[rule.default_severity]}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
        properties["tags"] = sorted({*rule.tags, "security"})
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": doc.title or doc.summary},
        "fullDescription": {"text": " ".join(doc.section("What it does").split()) or doc.title},
        "help": {"text": doc.plain_text, "markdown": doc.markdown},
        "defaultConfiguration": {"level": rule.default_severity.sarif_level,
                                 "enabled": rule.enabled_by_default},
        "properties": properties,
    }
    if rule.help_uri is not None:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def artifact_location(path: str, root: str | None = None) -> dict[str, Any]:
    """Paths relative to the repository root (`formatters/paths.py`) resolve against `%SRCROOT%`; a
    path outside it becomes a file URI."""
    path = rebase(path, root)
    if path.startswith("/"):
        return {"uri": "file://" + _quote(path)}
    return {"uri": _quote(path), "uriBaseId": "%SRCROOT%"}


def _quote(path: str) -> str:
    """Percent-encoded; a non-UTF-8 file name (decoded with surrogateescape) keeps its own bytes."""
    try:
        return quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, errors="backslashreplace")


def region(position: SourcePosition) -> dict[str, int]:
    end_line = max(position.end_line, position.line)
    end_column = position.end_column
    if end_line == position.line and end_column <= position.column:
        end_column = position.column + 1  # an empty span would be an insertion point, not a location
    return {"startLine": position.line, "startColumn": position.column,
            "endLine": end_line, "endColumn": end_column}


def _message_text(text: str) -> str:
    """SARIF message text in which `[...](n)` are links: literal brackets and backslashes escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def result(finding: Finding, index: dict[str, int], columns: Utf16Columns, root: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": finding.severity.sarif_level,
        "message": {"text": finding.message + (f" (stage {finding.stage})" if finding.stage else "")},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(finding.position.path, root),
                                            "region": region(columns.position(finding.position))}}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        # The value's origin, one click away: `[text](id)` in the message links relatedLocations[id].
        links = ", ".join(f"[{_message_text(expression)}]({number})"
                          for number, (expression, _) in enumerate(finding.related, start=1))
        record["message"] = {"text": f"{_message_text(record['message']['text'])} (value from {links})"}
        record["relatedLocations"] = [
            {"id": number, "message": {"text": expression},
             "physicalLocation": {"artifactLocation": artifact_location(position.path, root),
                                  "region": region(columns.position(position))}}
            for number, (expression, position) in enumerate(finding.related, start=1)]
    if finding.rule_id in index:
        record["ruleIndex"] = index[finding.rule_id]
    if finding.stage_address:
        record["properties"] = {"stage": finding.stage, "stageAddress": finding.stage_address}
    if finding.suppressed_by is not None:
        record["suppressions"] = [{"kind": finding.suppression_kind or "external",
                                   "justification": finding.suppressed_by}]
    return record


def notification(finding: Finding, index: dict[str, int], columns: Utf16Columns,
                 root: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "level": "error",
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(finding.position.path, root),
                                            "region": region(columns.position(finding.position))}}],
    }
    if PARSE_ERROR in index:
        record["associatedRule"] = {"id": PARSE_ERROR, "index": index[PARSE_ERROR]}
    return record


def document(report: Report, context: FormatContext) -> dict[str, Any]:
    rules = context.rules.rules
    index = {rule.id: position for position, rule in enumerate(rules)}
    shown = (*report.findings, *report.suppressed) if context.sarif_suppressed else report.findings
    findings = sorted(shown, key=SORT_KEY)
    columns = Utf16Columns()
    root = context.project_root
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "stagelint",
            "version": context.version,
            "semanticVersion": context.version,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(rule) for rule in rules],
        }},
        "columnKind": "utf16CodeUnits",  # as GitHub counts (formatters/columns.py)
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The repository root (the git top level, or --project-root); result paths are relative to it."}}},
        "invocations": [{
            "executionSuccessful": not (report.has_input_errors or report.internal_errors),
            "exitCode": report.exit_code,
            "toolExecutionNotifications": [notification(error, index, columns, root) for error in report.errors],
        }],
        "results": [result(finding, index, columns, root) for finding in findings],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, context: FormatContext) -> str:
    return json_safe(json.dumps(document(report, context), indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
