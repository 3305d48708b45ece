"""`stagelint check`: its options and help (the run itself is `cli/check_run.py`)."""

from __future__ import annotations

from typing import Any

import click

from stagelint.cli.check_run import FORMATS, run_check
from stagelint.cli.common import region_name
from stagelint.cli.help import SectionedCommand, complete_rules

SECTIONS = (
    ("Rule selection", ("select", "extend_select", "ignore", "fail_on", "fail_on_empty", "exit_zero",
                        "baseline_file", "write_baseline_file")),
    ("Files", ("exclude", "force_exclude", "respect_gitignore", "stdin_filename", "max_file_size", "timeout",
               "jobs", "show_files")),
    ("Configuration", ("config_file", "isolated", "show_settings")),
    ("Output", ("output_format", "output", "output_sarif", "sarif_suppressed", "project_root", "statistics",
                "verbose", "quiet", "color_choice")),
    ("Terraform and CloudFormation inputs", ("var_file", "variables", "parameter", "parameter_file", "region")),
)
EXAMPLES = (
    "stagelint check                                  # the working directory",
    "stagelint check --select SL1 --ignore SL102 infra/",
    "stagelint check --format text --format sarif:stagelint.sarif .",
    "stagelint check --var-file prod.tfvars --parameter Env=prod infra/",
    "stagelint check - --stdin-filename infra/api.yaml < buffer.yaml",
    "stagelint check --show-settings                  # what applies, and from which file",
    "Docs: https://github.com/stagelint/stagelint#options-of-stagelint-check",
)



@click.command(cls=SectionedCommand, sections=SECTIONS, examples=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: SL000, not a usage error
@click.option("--format", "output_format", multiple=True, metavar="FMT[:FILE]",
              help=f"Output format: {', '.join(FORMATS)} [default: full on a terminal, else text (= concise)]. "
                   "Repeatable, each as FMT:FILE to write "
                   "several reports from one run (one format may go without FILE: printed, or to --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report of the --format without FILE to FILE.")
@click.option("--output-sarif", type=click.Path(dir_okay=False, writable=True),
              help="Also write SARIF to FILE (the same as --format sarif:FILE).")
@click.option("--select", multiple=True, metavar="RULES", shell_complete=complete_rules,
              help="Rules to run: ids, prefixes (SL1), names or ALL. Comma-separated.")
@click.option("--extend-select", multiple=True, metavar="RULES", shell_complete=complete_rules,
              help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, metavar="RULES", shell_complete=complete_rules,
              help="Rules not to run (ids, prefixes or names). Comma-separated.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1. [default: error]")
@click.option("--fail-on-empty", is_flag=True,
              help="Exit 1 when the run checked no file or found no stage (for CI gates that must see stages).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (input and usage errors still fail).")
@click.option("--sarif-suppressed", type=click.Choice(["omit", "include"]), default="omit", show_default=True,
              help="SARIF: leave suppressed and baselined findings out (GitHub code scanning ignores "
                   "`suppressions` and would open alerts for them), or include them with `suppressions`.")
@click.option("--project-root", type=click.Path(file_okay=False),
              help="SARIF, github and gitlab formats: make paths relative to DIR (default: the git top level, else "
                   "the working directory), as GitHub resolves them.")
@click.option("--statistics", is_flag=True, help="Print counts per rule after the findings (text format).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Configuration file to use (default: .stagelint.toml, .stagelint.yaml or "
                   "pyproject.toml [tool.stagelint], found upward from the working directory).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--stdin-filename", metavar="PATH",
              help="Read the file to lint from stdin (path `-`, or none), as if it were PATH: its name decides "
                   "the format and is what findings show (for editors).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Glob of paths not to lint, added to the configured ones.")
@click.option("--force-exclude", is_flag=True,
              help="Apply excludes to files named on the command line too (for pre-commit).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False),
              help="Record every current finding in FILE (then exit 0, or 2 if some input was unreadable).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (0: all cores). Small inputs always run in one process.")
@click.option("--var-file", multiple=True, type=click.Path(), help="Terraform .tfvars file to read (repeatable).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Terraform variable NAME=VALUE (repeatable).")
@click.option("--parameter", multiple=True, metavar="KEY=VALUE",
              help="CloudFormation parameter Key=Value (repeatable).")
@click.option("--parameter-file", multiple=True, type=click.Path(), help="CloudFormation parameters file.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="MIB",
              help="Largest file to read, in MiB (a Terraform plan JSON: 100). [default: 5]")
@click.option("--timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="CPU seconds one file (or Terraform module) may take before it is stopped and reported "
                   "(10 times as much wall-clock time at most); 0: no limit. [default: 30]")
@click.option("--region", default=None,
              callback=lambda _c, _p, value: None if value is None else region_name(value),
              help="AWS Region of stages whose file names none: its cache prices and account throttling quota "
                   "apply. [default: us-east-1]")
@click.option("--gitignore/--no-gitignore", "respect_gitignore", default=None,
              help="Leave out what .gitignore ignores, or lint it too. [default: leave out]")
@click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped, and why (to stderr).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only; nothing at all when clean.")
@click.option("--show-settings", is_flag=True,
              help="Print the effective settings (as configuration keys) and the file they came from, then exit.")
@click.option("--show-files", is_flag=True,
              help="Print the files that would be linted, and each path left out with the reason, then exit.")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text report: auto is on a terminal only, off with NO_COLOR, "
                                      "on with FORCE_COLOR. Never in files or other formats.")
def check(**options: Any) -> None:
    """Lint stage definitions in PATHS (files or directories; default: the current directory)."""
    run_check(**options)
