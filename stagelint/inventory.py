"""The audit view: every stage found, its environment, what it has switched on, and what its cache costs.

Rendered from the Report's stage summaries only (no format knowledge). Unknown values print as `?`
(JSON: `null`, with the reason where one is known), never as a guess; costs sum only what is known
and say how many cache clusters could not be priced. Formats: a text table that fits the terminal
(long cells are elided in the middle), JSON, CSV and Markdown; the same rows in each.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from typing import Any

from stagelint.formatters.escape import printable
from stagelint.pricing import DEFAULT_REGION, price_table
from stagelint.report import Report, StageSummary
from stagelint.stage_details import DETAIL_FIELDS

# The text/Markdown columns, in order: source, API, stage, environment, caching, throttling, logging,
# tracing, canary, WAF, client certificate, variables, findings, cost (issue 14, "Inventory").
COLUMNS = ("stage", "env", "api", "kind", "format", "location", "address", "cache", "ttl", "throttle",
           "method-thr", "access-log", "exec-log", "data-trace", "xray", "canary", "waf", "cert", "vars",
           "findings", "$/month")
# The JSON/CSV fields (CSV headers are these names): every column's value, unknowns null (JSON) or `?` (CSV)
# with the reason in JSON's `unknown`; a value that is not set is null there too, but `-` in CSV.
FIELDS = ("name", "environment", "api", "api_kind", "format", "path", "line", "address", "caching",
          "cache_cluster_size", "cache_ttl_min", "cache_ttl_max", "throttling", "throttling_rate_limit",
          "throttling_burst_limit", "method_throttling", "access_logging", "access_log_destination",
          "logging_level", "data_trace", "tracing", "canary", "canary_percent", "waf", "web_acl_arn",
          "client_certificate_id", "variables", "findings", "estimated_monthly_cost")
ELIDABLE = {"stage": 10, "api": 8, "location": 28, "address": 10, "access-log": 12}  # may shorten, to this width
# When eliding is not enough, these columns are left out (first first) and the footer says so.
DROP_ORDER = ("address", "cert", "vars", "method-thr", "data-trace", "exec-log", "canary", "waf", "ttl", "kind",
              "api", "format", "access-log", "xray", "throttle", "findings", "env", "cache")


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


def ordered(report: Report) -> list[StageSummary]:
    """Stages in file order, whatever order the workers finished in."""
    return sorted(report.stages, key=lambda stage: (stage.path, stage.line, stage.address))


def findings_per_stage(report: Report) -> Counter[tuple[str, str]]:
    """Findings per (file, stage address) and per (directory, stage address): a Terraform stage's
    findings may sit in a sibling file of its module; any other stage's are in its own file."""
    counts: Counter[tuple[str, str]] = Counter()
    for finding in report.findings:
        if finding.stage_address is not None:
            counts[(finding.position.path, finding.stage_address)] += 1
            counts[(os.path.dirname(finding.position.path) + os.sep, finding.stage_address)] += 1
    return counts


def _findings(stage: StageSummary, counts: Counter[tuple[str, str]]) -> int:
    if stage.format in ("terraform", "terraform-json"):  # a module: its directory
        return counts[(os.path.dirname(stage.path) + os.sep, stage.address)]
    return counts[(stage.path, stage.address)]


def _text(value: Any, unknown: bool) -> str:
    if value is None:
        return "?" if unknown else "-"
    if isinstance(value, bool):
        return "yes" if value else "-"
    if isinstance(value, float):
        return f"{value:g}"
    return printable(str(value))


def _detail(stage: StageSummary, name: str) -> str:
    return _text(stage.details.value(name), stage.details.reason(name) is not None)


def _ttl(stage: StageSummary) -> str:
    low, high = _detail(stage, "cache_ttl_min"), _detail(stage, "cache_ttl_max")
    return low if low == high else f"{low}-{high}"


def _throttle(stage: StageSummary) -> str:
    rate, burst = _detail(stage, "throttling_rate_limit"), _detail(stage, "throttling_burst_limit")
    return "-" if rate == burst == "-" else f"{rate}/{burst}"


def rows(report: Report) -> list[tuple[str, ...]]:
    """One row of text cells per stage, in COLUMNS order (`?` unknown, `-` not set)."""
    counts = findings_per_stage(report)
    return [
        (printable(stage.name or f"({stage.address})"), stage.environment, _detail(stage, "api"), stage.api_kind,
         stage.format, printable(f"{stage.path}:{stage.line}"), printable(stage.address),
         _cache(stage), _ttl(stage), _throttle(stage), _detail(stage, "method_throttling"),
         _detail(stage, "access_log_destination"), _detail(stage, "logging_level"), _detail(stage, "data_trace"),
         _flag(stage.tracing), _canary(stage), _flag(stage.waf), _detail(stage, "client_certificate_id"),
         _detail(stage, "variables"), str(_findings(stage, counts)), _cost(stage))
        for stage in ordered(report)
    ]


def _canary(stage: StageSummary) -> str:
    if stage.canary is None:
        return "?"
    if not stage.canary:
        return "-"
    percent = _detail(stage, "canary_percent")
    return "yes" if percent == "-" else f"{percent}%"


def records(report: Report) -> list[dict[str, Any]]:
    """One JSON-ready record per stage: unknowns are null, with the reason in `unknown` (and `cost_reason`)."""
    counts = findings_per_stage(report)
    result = []
    for stage in ordered(report):
        record: dict[str, Any] = {
            "name": stage.name, "address": stage.address, "environment": stage.environment,
            "api_kind": stage.api_kind, "format": stage.format, "path": stage.path, "line": stage.line,
            "location": f"{stage.path}:{stage.line}", "caching": stage.caching,
            "cache_cluster_size": stage.cache_cluster_size, "estimated_monthly_cost": stage.estimated_monthly_cost,
            "cost_reason": stage.cost_reason, "access_logging": stage.access_logging, "tracing": stage.tracing,
            "canary": stage.canary, "throttling": stage.throttling, "waf": stage.waf, "region": stage.region,
            "findings": _findings(stage, counts)}
        record.update({name: stage.details.value(name) for name in DETAIL_FIELDS})
        record["unknown"] = dict(stage.details.unknown)
        result.append(record)
    return result


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


def unreadable(report: Report) -> list[dict[str, str]]:
    """The files that could not be read or parsed, with the first reason given."""
    reasons: dict[str, str] = {}
    for error in report.errors:
        reasons.setdefault(error.position.path, error.message)
    return [{"path": result.path, "reason": reasons.get(result.path, "could not be read")}
            for result in sorted(report.files, key=lambda result: result.path) if result.failed]


def _elide(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep // 2] + "…" + text[len(text) - (keep - keep // 2):]


def fit(table: list[tuple[str, ...]], width: int) -> tuple[list[str], list[str]]:
    """The table's lines and the columns left out: the elidable columns are shortened (widest first)
    until a line fits `width`; if that is not enough, columns are dropped in DROP_ORDER."""
    full = [max(len(row[index]) for row in table) for index in range(len(COLUMNS))]
    kept = list(range(len(COLUMNS)))
    dropped: list[str] = []
    minimum = {COLUMNS.index(name): least for name, least in ELIDABLE.items()}

    def narrowest(indexes: list[int]) -> int:
        return sum(min(full[index], minimum.get(index, full[index])) for index in indexes) + 2 * (len(indexes) - 1)

    for name in DROP_ORDER:
        if narrowest(kept) <= width:
            break
        kept.remove(COLUMNS.index(name))
        dropped.append(name)
    widths = {index: full[index] for index in kept}
    while sum(widths.values()) + 2 * (len(widths) - 1) > width:
        shrinkable = [index for index in kept if index in minimum and widths[index] > minimum[index]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda index: widths[index])
        widths[widest] -= 1
    lines = ["  ".join(_elide(row[index], widths[index]).ljust(widths[index]) for index in kept).rstrip()
             for row in table]
    return lines, dropped


def render_text(report: Report, region: str = DEFAULT_REGION, width: int | None = None) -> str:
    """The table, fitted to `width` columns (None: as wide as its cells)."""
    lines, dropped = fit([COLUMNS, *rows(report)], width if width is not None else 1 << 30)
    summary = totals(report)
    everything = summary.get("all", {"stages": 0, "monthly_cost": 0.0, "unpriced": 0})
    total = f"{everything['stages']} stages; cache clusters ${everything['monthly_cost']:,.2f}/month"
    total += f" ({price_note(region)})"
    if everything["unpriced"]:
        total += f"; {everything['unpriced']} stage(s) could not be priced (unknown caching, size or price)"
    per_environment = [f"  {name}: {entry['stages']} stage(s), ${entry['monthly_cost']:,.2f}/month"
                       + (f", {entry['unpriced']} not priced" if entry["unpriced"] else "")
                       for name, entry in summary.items() if name != "all"]
    if dropped:
        per_environment.insert(0, f"(not shown at {width} columns: {', '.join(dropped)}; see --format csv or json)")
    failed = unreadable(report)
    if failed:
        total += f"; {len(failed)} file(s) could not be read (listed on stderr)"
    return "\n".join([*lines, "", *per_environment, total]) + "\n"


def render_json(report: Report, region: str = DEFAULT_REGION) -> str:
    table = price_table(region)
    prices = None if table is None else {"region": table.region, "currency": table.currency, "as_of": table.as_of,
                                         "source": table.source, "hours_per_month": table.hours_per_month}
    document = {"stages": records(report), "totals": totals(report), "region": region, "prices": prices,
                "unreadable": unreadable(report)}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def cell(record: dict[str, Any], name: str) -> str:
    """A record's field as a CSV cell: `?` unknown (null with a reason, or a summary flag that cannot be
    told), `-` not set, `yes`/`no` for flags."""
    value = record[name]
    if value is None:
        return "-" if name in DETAIL_FIELDS and name not in record["unknown"] else "?"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def csv_rows(report: Report) -> list[dict[str, str]]:
    """What the CSV holds: the JSON records' FIELDS as cells."""
    return [{name: cell(record, name) for name in FIELDS} for record in records(report)]


def render_csv(report: Report, region: str = DEFAULT_REGION) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        # A cell starting with = + - @ is a formula in a spreadsheet: quoted with a leading '.
        writer.writerow({key: ("'" + value if value[:1] in ("=", "+", "@") else value) for key, value in row.items()})
    return buffer.getvalue()


def _markdown_cell(text: str) -> str:
    return printable(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")


def render_markdown(report: Report, region: str = DEFAULT_REGION) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_markdown_cell(text) for text in row) + " |" for row in rows(report)]
    everything = totals(report).get("all", {"stages": 0, "monthly_cost": 0.0, "unpriced": 0})
    lines += ["", f"{everything['stages']} stages; cache clusters ${everything['monthly_cost']:,.2f}/month "
              f"({price_note(region)})"]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv, "markdown": render_markdown}
