"""`--help` in sections, with examples: click lists every option in one flat list and has no option
groups, so this small `click.Command` subclass formats them (no new dependency).

    @click.command(cls=SectionedCommand, sections=(("Rule selection", ("select", "ignore")),),
                   examples=("stagelint check .",))

`sections` names each section's parameters (by their Python names), in order; an option no section
names is listed under "Other options", so a new option is never left out of the help.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click


class SectionedCommand(click.Command):
    """A command whose `--help` lists its options in named sections, then examples."""

    def __init__(self, *args: Any, sections: Sequence[tuple[str, Sequence[str]]] = (),
                 examples: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = tuple((title, tuple(names)) for title, names in sections)
        self.examples = tuple(examples)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        by_name = {param.name: param for param in self.get_params(ctx) if isinstance(param, click.Option)}
        listed: set[str] = set()
        for title, names in self.sections:
            records = [record for name in names if name in by_name
                       and (record := by_name[name].get_help_record(ctx)) is not None]
            listed.update(names)
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)
        rest = [record for name, param in by_name.items() if name not in listed
                and (record := param.get_help_record(ctx)) is not None]
        if rest:
            with formatter.section("Other options"):
                formatter.write_dl(rest)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.examples:
            with formatter.section("Examples"):
                for example in self.examples:  # written as given: commands must not be re-wrapped
                    formatter.write(f"{'':>{formatter.current_indent}}{example}\n")
        super().format_epilog(ctx, formatter)


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of rule ids and names (`--select SL1<TAB>`, `explain cache-<TAB>`); after a
    comma, the next item of a comma-separated list."""
    from click.shell_completion import CompletionItem

    from stagelint.registry import RegistryError, load_rules

    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    try:
        rules = load_rules().rules
    except RegistryError:
        return []
    items = []
    wanted = last.lower()
    for rule in rules:
        if rule.id.lower().startswith(wanted):
            items.append(CompletionItem(prefix + rule.id, help=rule.name))
        elif wanted and rule.name.startswith(wanted):
            items.append(CompletionItem(prefix + rule.name, help=rule.id))
    if param.name != "rule" and "ALL".lower().startswith(wanted):
        items.append(CompletionItem(prefix + "ALL", help="every rule"))
    return items
