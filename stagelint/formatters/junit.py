"""JUnit XML for CI systems that show test reports: one testsuite, one testcase per stage file, a
`failure` per finding (an `error` for SL000: the file could not be read or parsed). A file that holds
no stages and has no finding (a `package.json`, a CI pipeline) was not tested: it is no test case, so
it cannot inflate the count of passing tests."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from stagelint.findings import PARSE_ERROR, Finding
from stagelint.formatters import FormatContext
from stagelint.formatters.escape import printable
from stagelint.formatters.text import line
from stagelint.report import Report


def render(report: Report, context: FormatContext) -> str:
    by_path: dict[str, list[Finding]] = {result.path: [] for result in report.files if result.stage_count}
    for finding in report.findings:
        by_path.setdefault(finding.position.path, []).append(finding)
    errors = sum(1 for finding in report.findings if finding.rule_id == PARSE_ERROR)
    suite = ElementTree.Element("testsuite", {
        "name": "stagelint", "tests": str(len(by_path)), "failures": str(len(report.findings) - errors),
        "errors": str(errors), "skipped": "0", "time": "0",
    })
    for path in sorted(by_path):
        shown = printable(path)  # XML 1.0 cannot hold NUL, ESC or BEL at all, even as a character reference
        case = ElementTree.SubElement(suite, "testcase", {"classname": "stagelint", "name": shown, "file": shown,
                                                          "time": "0"})
        for finding in by_path[path]:
            tag = "error" if finding.rule_id == PARSE_ERROR else "failure"
            element = ElementTree.SubElement(case, tag, {
                "type": finding.rule_id,
                "message": printable(f"{finding.rule_id} {finding.rule_name}: {finding.message}")})
            element.text = line(finding)
    suites = ElementTree.Element("testsuites", {"name": "stagelint"})
    suites.append(suite)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
