"""The audit view: every stage found, what it has switched on, and what its cache costs.

Rendered from the Report's stage summaries only (no format knowledge). Unknown values print as `?`,
never as a guess; the cost column sums only what is known and says how many stages it could not price.
"""

from __future__ import annotations

import json
from typing import Any

from stagelint.formatters.escape import printable
from stagelint.pricing import DEFAULT_REGION, price_table
from stagelint.report import Report, StageSummary

COLUMNS = ("stage", "api", "format", "env", "location", "cache", "$/month", "logs", "xray", "canary", "throttle", "waf")


def _flag(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "-")


def _cache(stage: StageSummary) -> str:
    if stage.caching is None:
        return "?"
    if not stage.caching:
        return "-"
    return f"{stage.cache_cluster_size} GB" if stage.cache_cluster_size else "yes (size ?)"


def _cost(stage: StageSummary) -> str:
    if stage.caching is False:
        return "-"  # no cache cluster: no cost (not 0.00)
    return "?" if stage.estimated_monthly_cost is None else f"{stage.estimated_monthly_cost:,.2f}"


def totals(report: Report) -> dict[str, dict[str, Any]]:
    """Known cost, stage count and unpriced cache clusters per environment, and `all`."""
    result: dict[str, dict[str, Any]] = {}
    for stage in report.stages:
        for key in (stage.environment, "all"):
            entry = result.setdefault(key, {"stages": 0, "monthly_cost": 0.0, "unpriced": 0})
            entry["stages"] += 1
            if stage.estimated_monthly_cost is not None:
                entry["monthly_cost"] = round(entry["monthly_cost"] + stage.estimated_monthly_cost, 2)
            elif stage.caching is not False:
                entry["unpriced"] += 1
    return dict(sorted(result.items(), key=lambda item: (item[0] == "all", item[0])))


def price_note(region: str) -> str:
    table = price_table(region)
    if table is None:
        return f"no {region} prices: cache costs unknown"
    return f"{table.region} prices as of {table.as_of}, {table.hours_per_month} h/month"


def ordered(report: Report) -> list[StageSummary]:
    """Stages in file order, whatever order the workers finished in."""
    return sorted(report.stages, key=lambda stage: (stage.path, stage.line, stage.address))


def rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (printable(stage.name or f"({stage.address})"), stage.api_kind, stage.format, stage.environment,
         printable(f"{stage.path}:{stage.line}"),
         _cache(stage), _cost(stage), _flag(stage.access_logging), _flag(stage.tracing), _flag(stage.canary),
         _flag(stage.throttling), _flag(stage.waf))
        for stage in ordered(report)
    ]


def render_text(report: Report, region: str = DEFAULT_REGION) -> str:
    table = [COLUMNS, *rows(report)]
    widths = [max(len(row[index]) for row in table) for index in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    summary = totals(report)
    everything = summary.get("all", {"stages": 0, "monthly_cost": 0.0, "unpriced": 0})
    total = f"{everything['stages']} stages; cache clusters ${everything['monthly_cost']:,.2f}/month"
    total += f" ({price_note(region)})"
    if everything["unpriced"]:
        total += f"; {everything['unpriced']} stage(s) could not be priced (unknown caching, size or price)"
    per_environment = [f"  {name}: {entry['stages']} stage(s), ${entry['monthly_cost']:,.2f}/month"
                       + (f", {entry['unpriced']} not priced" if entry["unpriced"] else "")
                       for name, entry in summary.items() if name != "all"]
    return "\n".join([*lines, "", *per_environment, total]) + "\n"


def render_json(report: Report, region: str = DEFAULT_REGION) -> str:
    records: list[dict[str, Any]] = [
        {"name": stage.name, "address": stage.address, "api_kind": stage.api_kind, "format": stage.format,
         "path": stage.path, "line": stage.line, "environment": stage.environment, "caching": stage.caching,
         "cache_cluster_size": stage.cache_cluster_size, "estimated_monthly_cost": stage.estimated_monthly_cost,
         "cost_reason": stage.cost_reason,
         "access_logging": stage.access_logging, "tracing": stage.tracing, "canary": stage.canary,
         "throttling": stage.throttling, "waf": stage.waf}
        for stage in ordered(report)
    ]
    table = price_table(region)
    prices = None if table is None else {"region": table.region, "currency": table.currency, "as_of": table.as_of,
                                         "source": table.source, "hours_per_month": table.hours_per_month}
    document = {"stages": records, "totals": totals(report), "region": region, "prices": prices}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
