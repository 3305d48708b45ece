"""`stagelint report`: the audit report, one self-contained HTML page (`stagelint.formatters.html`)."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from stagelint import __version__
from stagelint.cli.common import emit, encoded, fail, region_name, split, with_decode_options

_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def git_commit(path: str) -> str | None:
    """HEAD of the git work tree holding `path`, or None (not in one, no git, or git fails).

    Only `git rev-parse` runs, with the repository's fsmonitor hook switched off (a linted
    repository's configuration must not make us run its commands), no prompt and no input; any
    failure means "unknown", never an error."""
    import subprocess

    directory = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
    environment = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        completed = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
            capture_output=True, text=True, timeout=30, check=False, stdin=subprocess.DEVNULL, env=environment)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    commit = completed.stdout.strip()
    return commit if completed.returncode == 0 and _COMMIT.fullmatch(commit) else None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE (default: standard output).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, help="Rules to run: ids, prefixes (SL1), names or ALL. Comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run (ids, prefixes or names). Comma-separated.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Baseline file: its findings are listed as accepted risk.")
@click.option("--exclude", multiple=True, help="Paths to skip (glob or directory name; comma-separated).")
@click.option("--no-gitignore", is_flag=True, help="Report on files that .gitignore ignores, too.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (0: all cores).")
@click.option("--verbose", "-v", is_flag=True, help="Also print what was skipped, and why (to stderr).")
@click.option("--var-file", multiple=True, type=click.Path(), help="Terraform .tfvars file to read (repeatable).")
@click.option("--var", "variables", multiple=True, help="Terraform variable NAME=VALUE (repeatable).")
@click.option("--parameter", multiple=True, help="CloudFormation parameter Key=Value (repeatable).")
@click.option("--parameter-file", multiple=True, type=click.Path(), help="CloudFormation parameters file.")
@click.option("--region", default="us-east-1", show_default=True, callback=lambda _c, _p, value: region_name(value),
              help="AWS Region whose cache prices apply (a Region without prices gives unknown costs).")
def report(paths: tuple[str, ...], output: str | None, config_file: str | None, isolated: bool,
           select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
           baseline_file: str | None, exclude: tuple[str, ...], no_gitignore: bool, jobs: int | None, verbose: bool,
           var_file: tuple[str, ...], variables: tuple[str, ...], parameter: tuple[str, ...],
           parameter_file: tuple[str, ...], region: str) -> None:
    """Write an HTML audit report of PATHS: summary charts, what could not be verified, the inventory,
    every finding with its source and fix, accepted risk and provenance (one self-contained file)."""
    from dataclasses import replace

    from stagelint.api import lint
    from stagelint.config import Config, ConfigError
    from stagelint.config_files import resolve_config
    from stagelint.formatters.escape import printable
    from stagelint.formatters.html import HtmlContext, render
    from stagelint.inventory import unreadable
    from stagelint.registry import load_rules

    paths = paths or (".",)
    try:
        config, found = resolve_config(Config(), config_file=config_file, isolated=isolated)
        config = with_decode_options(config, var_file, variables, parameter, parameter_file, None, None)
        changes: dict[str, Any] = {"region": region}
        if select:
            changes["select"] = split(select)
        if extend_select:
            changes["extend_select"] = config.extend_select + split(extend_select)
        if ignore:
            changes["ignore"] = config.ignore + split(ignore)
        if exclude:
            changes["exclude"] = config.exclude + split(exclude)
        if no_gitignore:
            changes["respect_gitignore"] = False
        if jobs is not None:
            changes["jobs"] = jobs
        if baseline_file:
            changes["baseline_file"] = baseline_file
        config = replace(config, **changes)
        result = lint(paths, config)
    except ConfigError as error:
        fail(str(error))
    for failed in unreadable(result):
        click.echo(encoded(printable(f"stagelint: cannot read {failed['path']}: {failed['reason']}") + "\n"),
                   err=True, nl=False)
    if verbose:
        for note in result.notes:
            where = f"{note.position.path}:{note.position.line}:{note.position.column}" if note.position else note.path
            click.echo(encoded(printable(f"{where}: note: {note.message}") + "\n"), err=True, nl=False)
    context = HtmlContext(load_rules(), __version__, config, tuple(paths),
                          config_file=None if found is None else str(found), git_commit=git_commit(paths[0]))
    emit(render(result, context), output)
    if output:
        click.echo(encoded(printable(f"stagelint: wrote {output}: {len(result.stages)} stages, "
                                     f"{len(result.findings)} findings") + "\n"), err=True, nl=False)
    if result.checked_nothing is not None:  # an empty audit must not read as a clean one
        click.echo(f"stagelint: warning: {result.checked_nothing}: nothing was linted", err=True)
    sys.exit(2 if result.has_input_errors else 0)
