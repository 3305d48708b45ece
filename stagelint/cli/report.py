"""`stagelint report`: the audit report, one self-contained HTML page (`stagelint.formatters.html`)."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from stagelint import __version__
from stagelint.cli.audit import audit_options, audit_run, emit_audit
from stagelint.cli.common import encoded

_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def git_commit(path: str) -> str | None:
    """HEAD of the git work tree holding `path`, or None (not in one, no git, or git fails).

    Only `git rev-parse` runs, as `stagelint.git` runs git (the repository's fsmonitor hook off, no
    prompt, no input); any failure means "unknown", never an error."""
    from stagelint.git import run_git

    directory = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
    completed = run_git(directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if completed is None or completed.returncode != 0:
        return None
    commit = completed.stdout.decode("ascii", "replace").strip()
    return commit if _COMMIT.fullmatch(commit) else None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE (default: standard output).")
@click.option("--select", multiple=True, help="Rules to run: ids, prefixes (SL1), names or ALL. Comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run (ids, prefixes or names). Comma-separated.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Baseline file: its findings are listed as accepted risk.")
@audit_options
def report(paths: tuple[str, ...], output: str | None, select: tuple[str, ...], extend_select: tuple[str, ...],
           ignore: tuple[str, ...], baseline_file: str | None, **audit: Any) -> None:
    """Write an HTML audit report of PATHS: summary charts, what could not be verified, the inventory,
    every finding with its source and fix, accepted risk and provenance (one self-contained file)."""
    from stagelint.formatters.escape import printable
    from stagelint.formatters.html import HtmlContext, render
    from stagelint.registry import load_rules

    paths = paths or (".",)
    changes: dict[str, Any] = {}
    if baseline_file:
        changes["baseline_file"] = baseline_file
    result, config, found = audit_run(paths, audit, (select, extend_select, ignore), **changes)
    context = HtmlContext(load_rules(), __version__, config, tuple(paths),
                          config_file=None if found is None else str(found), git_commit=git_commit(paths[0]))
    emit_audit(render(result, context), output, paths, result)
    if output:
        click.echo(encoded(printable(f"stagelint: wrote {output}: {len(result.stages)} stages, "
                                     f"{len(result.findings)} findings") + "\n"), err=True, nl=False)
    if result.checked_nothing is not None:  # an empty audit must not read as a clean one
        click.echo(f"stagelint: warning: {result.checked_nothing}: nothing was linted", err=True)
    sys.exit(2 if result.has_input_errors else 0)
