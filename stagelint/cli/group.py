"""The `stagelint` click group: its commands are imported when they run (`LazyGroup`), and
`run_click` maps click's exits to stagelint's exit codes (`cli.main` handles everything else)."""

from __future__ import annotations

import sys

import click

from stagelint import __version__
from stagelint.cli.common import EXIT_CONFIG, say

# name → (module, the first paragraph of the command's docstring: what `--help` shortens)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("stagelint.cli.check",
              "Lint stage definitions in PATHS (files or directories; default: the current directory)."),
    "explain": ("stagelint.cli.catalogue", "Show a rule's documentation (by id or name)."),
    "inventory": ("stagelint.cli.inventory", "List every stage in PATHS with its environment, settings and "
                  "estimated cache cost (an audit view)."),
    "report": ("stagelint.cli.report", "Write an HTML audit report of PATHS: summary charts, what could not be "
               "verified, the inventory, every finding with its source and fix, accepted risk and provenance "
               "(one self-contained file)."),
    "rules": ("stagelint.cli.catalogue", "List every rule: id, name, default severity and what it checks."),
    "schema": ("stagelint.cli.catalogue", "Print the JSON Schema of stagelint's own YAML stage format (for editors)."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is looked up, not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        command: click.Command = getattr(importlib.import_module(COMMANDS[cmd_name][0]), cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing, from `COMMANDS` instead of importing every command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):  # a help-only stand-in shortens the text as the command would
            formatter.write_dl([(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                                for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="stagelint", message="%(prog)s %(version)s")
def cli() -> None:
    """A linter for AWS API Gateway stage configuration (Terraform, CloudFormation, SAM, CDK, YAML)."""


def run_click() -> None:
    """click reads the command line and runs the command; its own exits are mapped to our codes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.UsageError as error:
        error.show()
        sys.exit(EXIT_CONFIG)
    except click.Abort:  # Ctrl-C while click ran the command
        say("stagelint: aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_CONFIG)
