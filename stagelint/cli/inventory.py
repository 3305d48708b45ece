"""`stagelint inventory`: every stage with its environment, settings and estimated cache cost."""

from __future__ import annotations

import sys
from typing import Any

import click

from stagelint.cli.common import (
    emit,
    encoded,
    fail,
    file_config,
    refuse_inputs,
    region_name,
    split,
    with_decode_options,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: SL000, not a usage error
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the inventory to FILE.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--exclude", multiple=True, help="Paths to skip (glob or directory name; comma-separated).")
@click.option("--no-gitignore", is_flag=True, help="List stages in files that .gitignore ignores, too.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (0: all cores).")
@click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped, and why (to stderr).")
@click.option("--var-file", multiple=True, type=click.Path(), help="Terraform .tfvars file to read (repeatable).")
@click.option("--var", "variables", multiple=True, help="Terraform variable NAME=VALUE (repeatable).")
@click.option("--parameter", multiple=True, help="CloudFormation parameter Key=Value (repeatable).")
@click.option("--parameter-file", multiple=True, type=click.Path(), help="CloudFormation parameters file.")
@click.option("--region", default="us-east-1", show_default=True, callback=lambda _c, _p, value: region_name(value),
              help="AWS Region whose cache prices apply (a Region without prices gives unknown costs).")
def inventory(paths: tuple[str, ...], output_format: str, output: str | None, config_file: str | None,
              isolated: bool, exclude: tuple[str, ...], no_gitignore: bool, jobs: int | None, verbose: bool,
              var_file: tuple[str, ...], variables: tuple[str, ...], parameter: tuple[str, ...],
              parameter_file: tuple[str, ...], region: str) -> None:
    """List every stage in PATHS with its environment, settings and estimated cache cost (an audit view)."""
    from stagelint.api import lint
    from stagelint.config import ConfigError
    from stagelint.formatters.escape import printable
    from stagelint.inventory import RENDERERS, unreadable
    from stagelint.records import replace

    try:
        config = with_decode_options(file_config(config_file, isolated), var_file, variables, parameter,
                                      parameter_file, None, None)
        changes: dict[str, Any] = {"region": region}
        if exclude:
            changes["exclude"] = config.exclude + split(exclude)
        if no_gitignore:
            changes["respect_gitignore"] = False
        if jobs is not None:
            changes["jobs"] = jobs
        report = lint(paths or (".",), replace(config, **changes))
    except ConfigError as error:
        fail(str(error))
    for failed in unreadable(report):
        click.echo(encoded(printable(f"stagelint: cannot read {failed['path']}: {failed['reason']}") + "\n"),
                   err=True, nl=False)
    if verbose:
        for note in report.notes:
            where = f"{note.position.path}:{note.position.line}:{note.position.column}" if note.position else note.path
            click.echo(encoded(printable(f"{where}: note: {note.message}") + "\n"), err=True, nl=False)
    if output_format == "text":
        from stagelint.inventory import render_text, terminal_width

        text = render_text(report, region, None if output else terminal_width())
    else:
        text = RENDERERS[output_format](report, region)
    refuse_inputs([output],
                  [*paths, *(result.path for result in report.files if result.format is not None or result.failed)])
    emit(text, output)
    sys.exit(2 if report.has_input_errors else 0)
