"""The command line: `stagelint check|rules|explain|schema|inventory|report`.

Exit codes: 0 clean (or nothing at or above --fail-on); 1 findings at or above --fail-on; 2 some input
could not be read or parsed (everything else is still linted); 3 usage, configuration or internal
error. No traceback reaches the user (set STAGELINT_DEBUG=1 to see one).

The engine, decoders and formatters are imported inside the commands, so `--version` and a
pre-commit run on one file pay only for what they use. One module per command (group):
`check`, `inventory`, `report`, `catalogue` (rules, explain, schema); `common` holds what they share.
"""

from __future__ import annotations

import os
import sys

import click

from stagelint import __version__
from stagelint.cli.catalogue import explain, rules, schema
from stagelint.cli.check import check
from stagelint.cli.common import EXIT_CONFIG
from stagelint.cli.inventory import inventory
from stagelint.cli.report import report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="stagelint", message="%(prog)s %(version)s")
def cli() -> None:
    """A linter for AWS API Gateway stage configuration (Terraform, CloudFormation, SAM, CDK, YAML)."""


for _command in (check, rules, explain, schema, inventory, report):
    cli.add_command(_command)


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
