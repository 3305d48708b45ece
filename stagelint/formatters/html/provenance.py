"""The accepted-risk section (every suppressed or baselined finding, with its justification) and the
provenance section (what produced the report: version, commit, paths, effective configuration,
price table). Values of `--var` and `--parameter` are not shown, only their names: they may be secrets.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from stagelint.findings import SORT_KEY, Finding
from stagelint.formatters.html.context import HtmlContext
from stagelint.formatters.html.markup import esc
from stagelint.pricing import price_table
from stagelint.records import fields, is_dataclass
from stagelint.report import Report
from stagelint.style_guide import StyleGuide


def justification(finding: Finding) -> tuple[str, str]:
    """(what accepted it, the reason given, or "" when none was): an inline comment carries its reason
    after the bracket (`inline ignore[SL102]: legacy size`); config, Metadata and baselines carry none."""
    accepted_by = finding.suppressed_by or ""
    if accepted_by.startswith("inline "):
        mechanism, _, reason = accepted_by.partition(": ")
        return mechanism, reason
    return accepted_by, ""


def accepted_risk(report: Report, context: HtmlContext) -> str:
    suppressed = sorted(report.suppressed, key=SORT_KEY)
    parts = [f"<section id=\"accepted\"><h2>Accepted risk ({len(suppressed)})</h2>",
             "<p class=\"note\">Findings silenced by an inline comment, resource Metadata, per-file-ignores "
             "or the baseline. They do not fail the run; each needs a reason a reviewer accepts.</p>"]
    if context.config.baseline_file:
        stale = (f"; {report.stale_baseline} entr{'y' if report.stale_baseline == 1 else 'ies'} match no finding "
                 "any more (fixed, or the code moved: re-record the baseline)" if report.stale_baseline else "")
        parts.append(f"<p>Baseline: <span class=\"path\">{esc(context.config.baseline_file)}</span>{esc(stale)}</p>")
    if not suppressed:
        parts.append("<p class=\"empty\">none: nothing was suppressed</p></section>")
        return "".join(parts)
    parts.append("<div class=\"scroll\"><table class=\"plain\"><thead><tr><th>rule</th><th>where</th><th>stage</th>"
                 "<th>finding</th><th>accepted by</th><th>justification</th></tr></thead><tbody>")
    for finding in suppressed:
        mechanism, reason = justification(finding)
        position = finding.position
        shown_reason = (esc(reason) if reason
                        else "<span class=\"unjustified\">none given</span>")
        parts.append(
            f"<tr><td>{esc(finding.rule_id)} <span class=\"sev {finding.severity.value}\">"
            f"{finding.severity.value}</span></td>"
            f"<td class=\"path\">{esc(f'{position.path}:{position.line}:{position.column}')}</td>"
            f"<td>{esc(finding.stage or '')}</td><td>{esc(finding.message)}</td>"
            f"<td>{esc(mechanism)}</td><td>{shown_reason}</td></tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def _shown(value: Any) -> str:
    """A configuration value in one line, the same spelling every run."""
    if isinstance(value, Enum):
        return str(value.value)
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if not value:
            return "(none)"
        return ", ".join(f"{key} = {_shown(item)}" for key, item in sorted(value.items(), key=lambda i: str(i[0])))
    if isinstance(value, tuple | list):
        if not value:
            return "(none)"
        return ", ".join(_shown(item) if not isinstance(item, tuple) else " = ".join(_shown(p) for p in item)
                         for item in value)
    if isinstance(value, float | int | bool):
        return json.dumps(value)
    return str(value)


def _configuration(context: HtmlContext) -> list[tuple[str, str]]:
    config = context.config
    hidden = {"decode", "environments", "jobs"}  # jobs changes nothing in the output; the others are below
    rows = [(field.name.replace("_", "-"), _shown(getattr(config, field.name)))
            for field in fields(config) if field.name not in hidden]
    environments = config.environments
    rows += [("environments.tag-keys", _shown(environments.tag_keys)),
             ("environments.paths", _shown(environments.paths)),
             ("environments.mapping", _shown(environments.words))]
    decode = config.decode
    rows += [(f"limits.{field.name.replace('_', '-')}", _shown(getattr(decode.limits, field.name)))
             for field in fields(decode.limits)] if is_dataclass(decode.limits) else []
    rows += [("var-file", _shown(decode.terraform_var_files)),
             ("var (names; values not shown)", _shown(tuple(name for name, _ in decode.terraform_vars))),
             ("parameter (names; values not shown)",
              _shown(tuple(name for name, _ in decode.cloudformation_parameters))),
             ("parameter-file", _shown(decode.cloudformation_parameter_files))]
    return rows


def _enabled_rules(context: HtmlContext) -> str:
    guide = StyleGuide.build(context.config, context.rules)
    return ", ".join(f"{spec.id} ({guide.severity(spec.id).value})" for spec in context.rules.rules
                     if guide.is_enabled(spec.id))


def _definitions(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{esc(term)}</dt><dd>{esc(value)}</dd>" for term, value in rows)
    return f"<dl class=\"facts\">{items}</dl>"


def provenance(context: HtmlContext) -> str:
    table = price_table(context.config.region)
    prices = ("none: cache costs are unknown" if table is None
              else f"{table.region}, {table.currency}, as of {table.as_of}, {table.hours_per_month} h/month "
                   f"(source: {table.source})")
    run = [("stagelint version", context.version),
           ("git commit", context.git_commit or "unknown (not in a git work tree)"),
           ("paths", _shown(context.paths)),
           ("configuration file", context.config_file or "(none: defaults)"),
           ("price table", prices),
           ("enabled rules (severity)", _enabled_rules(context))]
    return ("<section id=\"provenance\"><h2>Provenance</h2>" + _definitions(run)
            + "<h3>Effective configuration</h3>" + _definitions(_configuration(context)) + "</section>")
