"""The report's summary: headline numbers, then small bar charts of stages, findings and cost."""

from __future__ import annotations

from collections import Counter

from stagelint.findings import Severity
from stagelint.formatters.html.markup import bar_chart, esc, money
from stagelint.inventory import price_note, totals, unreadable
from stagelint.report import Report

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _counted(counter: Counter[str]) -> list[tuple[str, float, str]]:
    """Bars largest first, ties by label, so the chart is the same whatever order things were found in."""
    return [(label, float(count), str(count)) for label, count in sorted(counter.items(), key=lambda i: (-i[1], i[0]))]


def _headline(label: str, value: str, css_class: str = "") -> str:
    return f"<div class=\"tile {css_class}\"><span class=\"number\">{esc(value)}</span><span>{esc(label)}</span></div>"


def section(report: Report, region: str, unverified: int) -> str:
    stages = report.stages
    per_total = totals(report)
    everything = per_total.get("all", {"stages": 0, "monthly_cost": 0.0, "unpriced": 0})
    failed = len(unreadable(report))
    tiles = [
        _headline("files checked", str(len(report.files))),
        _headline("stages", str(len(stages))),
        _headline("findings", str(len(report.findings)), "findings"),
        *(_headline(severity.value, str(report.count(severity)), severity.value) for severity in SEVERITIES),
        _headline("could not be verified", str(unverified), "unknown"),
        _headline("files not parsed", str(failed), "error" if failed else ""),
        _headline("accepted risk", str(len(report.suppressed))),
        _headline("cache cost / month", money(everything["monthly_cost"])),
    ]
    severities = [(severity.value, float(report.count(severity)), str(report.count(severity)))
                  for severity in SEVERITIES]
    costs = [(name, float(entry["monthly_cost"]),
              money(entry["monthly_cost"]) + (f" +{entry['unpriced']}?" if entry["unpriced"] else ""))
             for name, entry in per_total.items() if name != "all"]
    charts = [
        bar_chart("Stages per format", _counted(Counter(stage.format for stage in stages))),
        bar_chart("Stages per environment", _counted(Counter(stage.environment for stage in stages))),
        bar_chart("Findings per severity", severities, "severities"),
        bar_chart("Cache cost per environment (per month)", costs),
        bar_chart("Findings per rule", _counted(Counter(finding.rule_id for finding in report.findings))),
    ]
    unpriced = (f" {everything['unpriced']} stage(s) with a cache cluster could not be priced (shown as +N?): "
                "their cost is unknown, not zero." if everything["unpriced"] else "")
    empty = report.checked_nothing
    warning = (f"<p class=\"warning\" role=\"alert\">Nothing was linted: {esc(empty)}. "
               "This report is not evidence that the paths are clean.</p>" if empty else "")
    return (
        f"<section id=\"summary\"><h2>Summary</h2>{warning}"
        f"<div class=\"tiles\">{''.join(tiles)}</div>"
        f"<div class=\"charts\">{''.join(charts)}</div>"
        f"<p class=\"note\">Costs: cache clusters only, {esc(price_note(region))}.{esc(unpriced)}</p>"
        "</section>"
    )
