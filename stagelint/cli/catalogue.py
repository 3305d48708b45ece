"""The rule catalogue and the native format: `stagelint rules`, `explain` and `schema`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from stagelint.cli.common import fail
from stagelint.cli.help import complete_rules

if TYPE_CHECKING:
    from collections.abc import Iterable

    from stagelint.registry import RuleSpec


def peer_ids() -> tuple[tuple[str, ...], dict[str, dict[str, list[str]]]]:
    """The peer tools, and for each rule id the equivalent checks of each tool
    (`stagelint/data/peer_ids.json`, from the design notes on the peers' checks)."""
    import json
    from importlib import resources

    data = json.loads(resources.files("stagelint.data").joinpath("peer_ids.json").read_text(encoding="utf-8"))
    return tuple(data["tools"]), data["rules"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_catalogue(rules: Iterable[RuleSpec]) -> str:
    """Every rule as a Markdown table row, with the peer tools' equivalent checks, so that a user of
    checkov, KICS, trivy, cfn-lint or cdk-nag sees what to migrate (and what has no equivalent)."""
    tools, equivalents = peer_ids()
    header = ["ID", "name", "severity", "what it checks", *tools]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for rule in rules:
        severity = rule.default_severity.value + ("" if rule.enabled_by_default else " (off by default)")
        peers = equivalents.get(rule.id, {})
        cells = [rule.id, rule.name, severity, rule.doc.title,
                 *("<br>".join(peers.get(tool, [])) or "-" for tool in tools)]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


@click.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown: a table with each rule's checkov, KICS, trivy, cfn-lint and "
              "cdk-nag equivalents")
def rules(output_format: str) -> None:
    """List every rule: id, name, default severity and what it checks."""
    from stagelint.registry import RegistryError, load_rules

    try:
        rule_set = load_rules()
    except RegistryError as error:
        fail(str(error))
    if output_format == "json":
        import json

        records = [{"id": rule.id, "name": rule.name, "severity": rule.default_severity.value,
                    "enabled_by_default": rule.enabled_by_default, "plugin": rule.plugin,
                    "summary": rule.doc.summary, "tags": list(rule.tags)} for rule in rule_set.rules]
        click.echo(json.dumps(records, indent=2, sort_keys=True))
        return
    if output_format == "markdown":
        click.echo(markdown_catalogue(rule_set.rules), nl=False)
        return
    width = max(len(rule.name) for rule in rule_set.rules)
    for rule in rule_set.rules:
        status = "" if rule.enabled_by_default else " (off by default)"
        origin = "" if rule.plugin == "builtin" else f" [plugin {rule.plugin}]"
        click.echo(f"{rule.id:<6} {rule.name:<{width}}  {rule.default_severity.value:<7}  "
                   f"{rule.doc.title}{status}{origin}")


@click.command()
@click.argument("rule", shell_complete=complete_rules)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(rule: str, output_format: str) -> None:
    """Show a rule's documentation (by id or name)."""
    from stagelint.hints import did_you_mean
    from stagelint.registry import RegistryError, load_rules

    try:
        rule_set = load_rules()
    except RegistryError as error:
        fail(str(error))
    spec = rule_set.get(rule)
    if spec is None:
        fail(f"unknown rule `{rule}`{did_you_mean(rule, rule_set.keys())}")
    if output_format == "json":
        import json

        click.echo(json.dumps({"id": spec.id, "name": spec.name, "severity": spec.default_severity.value,
                               "title": spec.doc.title, "sections": dict(spec.doc.sections),
                               "markdown": spec.doc.markdown}, indent=2, sort_keys=True))
        return
    click.echo(f"# {spec.id} {spec.name} ({spec.default_severity.value})\n")
    click.echo(spec.doc.markdown)


@click.command()
def schema() -> None:
    """Print the JSON Schema of stagelint's own YAML stage format (for editors)."""
    from importlib import resources

    click.echo(resources.files("stagelint.data").joinpath("stage-schema.json").read_text(encoding="utf-8"),
               nl=False)
