"""The audit view: every stage found, what it has switched on, and what its cache costs.

Rendered from the Report's stage summaries only (no format knowledge). Unknown values print as `?`,
never as a guess; the cost column sums only what is known and says how many stages it could not price.
"""

from __future__ import annotations

import json
from typing import Any

from stagelint.formatters.escape import printable
from stagelint.model import cache_price_table
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
    return "?" if stage.estimated_monthly_cost is None else f"{stage.estimated_monthly_cost:,.2f}"


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


def render_text(report: Report) -> str:
    table = [COLUMNS, *rows(report)]
    widths = [max(len(row[index]) for row in table) for index in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    known = [stage.estimated_monthly_cost for stage in report.stages if stage.estimated_monthly_cost is not None]
    unpriced = len(report.stages) - len(known)
    prices = cache_price_table()
    total = f"{len(report.stages)} stages; cache clusters ${sum(known):,.2f}/month"
    total += f" ({prices['region']} prices as of {prices['as_of']}, {prices['hours_per_month']} h/month)"
    if unpriced:
        total += f"; {unpriced} stage(s) could not be priced (unknown caching or size)"
    return "\n".join([*lines, "", total]) + "\n"


def render_json(report: Report) -> str:
    records: list[dict[str, Any]] = [
        {"name": stage.name, "address": stage.address, "api_kind": stage.api_kind, "format": stage.format,
         "path": stage.path, "line": stage.line, "environment": stage.environment, "caching": stage.caching,
         "cache_cluster_size": stage.cache_cluster_size, "estimated_monthly_cost": stage.estimated_monthly_cost,
         "access_logging": stage.access_logging, "tracing": stage.tracing, "canary": stage.canary,
         "throttling": stage.throttling, "waf": stage.waf}
        for stage in ordered(report)
    ]
    return json.dumps({"stages": records}, indent=2, sort_keys=True) + "\n"
