"""What the audit commands (`inventory`, `report`) share: the options that choose what is read, and
the run itself, with unreadable files named on stderr and, under `--verbose`, what was skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from stagelint.cli.common import (
    emit,
    encoded,
    fail,
    print_notes,
    refuse_inputs,
    region_name,
    resolved_config,
    selection_changes,
    split,
    with_decode_options,
)

Command = TypeVar("Command", bound=Callable[..., Any])

# The parameter names these options give the command (collected into `audit` by the command).
AUDIT_PARAMETERS = ("config_file", "isolated", "exclude", "no_gitignore", "jobs", "verbose", "var_file", "variables",
                    "parameter", "parameter_file", "region")


def audit_options(command: Command) -> Command:
    """The path, configuration and input options of `check` that an audit needs, in `check`'s words."""
    options = (
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration file to use."),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option("--exclude", multiple=True, help="Paths to skip (glob or directory name; comma-separated)."),
        click.option("--no-gitignore", is_flag=True, help="Include files that .gitignore ignores, too."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
                     help="Worker processes (0: all cores)."),
        click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped, and why (to stderr)."),
        click.option("--var-file", multiple=True, type=click.Path(),
                     help="Terraform .tfvars file to read (repeatable)."),
        click.option("--var", "variables", multiple=True, help="Terraform variable NAME=VALUE (repeatable)."),
        click.option("--parameter", multiple=True, help="CloudFormation parameter Key=Value (repeatable)."),
        click.option("--parameter-file", multiple=True, type=click.Path(), help="CloudFormation parameters file."),
        click.option("--region", default="us-east-1", show_default=True,
                     callback=lambda _c, _p, value: region_name(value),
                     help="AWS Region of stages whose file names none: its cache prices apply (a Region without "
                          "prices gives unknown costs)."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def audit_run(paths: tuple[str, ...], audit: dict[str, Any],
              selection: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ()),
              **changes: Any) -> tuple[Any, Any, Any]:
    """Lint PATHS for an audit: (report, effective configuration, configuration file or None).
    `selection` is the command's (--select, --extend-select, --ignore); `changes` are further
    configuration values from the command's own options."""
    from stagelint.api import lint
    from stagelint.config import ConfigError
    from stagelint.formatters.escape import printable
    from stagelint.inventory import unreadable
    from stagelint.records import replace

    try:
        config, found = resolved_config(audit["config_file"], audit["isolated"])
        config = with_decode_options(config, audit["var_file"], audit["variables"], audit["parameter"],
                                     audit["parameter_file"], None, None)
        changes.update(selection_changes(config, *selection), region=audit["region"])
        if audit["exclude"]:
            changes["exclude"] = config.exclude + split(audit["exclude"])
        if audit["no_gitignore"]:
            changes["respect_gitignore"] = False
        if audit["jobs"] is not None:
            changes["jobs"] = audit["jobs"]
        config = replace(config, **changes)
        report = lint(paths, config)
    except ConfigError as error:
        fail(str(error))
    for failed in unreadable(report):
        click.echo(encoded(printable(f"stagelint: cannot read {failed['path']}: {failed['reason']}") + "\n"),
                   err=True, nl=False)
    if audit["verbose"]:
        print_notes(report)
    return report, config, found


def emit_audit(text: str, output: str | None, paths: tuple[str, ...], report: Any) -> None:
    """Print the audit, or write it to `--output` unless that file is one of its inputs (a usage error:
    `-o x.yaml x.yaml` would replace the input with its own report)."""
    refuse_inputs([output],
                  [*paths, *(result.path for result in report.files if result.format is not None or result.failed)])
    emit(text, output)
