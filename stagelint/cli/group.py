"""The `stagelint` click group: its commands are imported when they run (`LazyGroup`), and its entry
point maps every exit to stagelint's exit codes."""

from __future__ import annotations

import os
import sys

import click

from stagelint import __version__
from stagelint.cli.common import EXIT_CONFIG

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


def main() -> None:
    """Entry point: click's own exits are mapped to our codes, and no traceback ever escapes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.UsageError as error:
        error.show()
        sys.exit(EXIT_CONFIG)
    except (click.Abort, KeyboardInterrupt):  # Ctrl-C (click turns most into Abort)
        click.echo("stagelint: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_CONFIG)
    except SystemExit:
        raise
    except BrokenPipeError:
        os._exit(1)  # the reader went away (`stagelint check | head`): nothing left to tell anyone
    except Exception as error:
        if os.environ.get("STAGELINT_DEBUG"):
            raise
        click.echo(f"stagelint: internal error: {type(error).__name__}: {error} "
                   "(set STAGELINT_DEBUG=1 for details, and please report it)", err=True)
        sys.exit(EXIT_CONFIG)
    sys.exit(0)
