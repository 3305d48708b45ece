"""The command line: `stagelint check|rules|explain|schema|inventory`.

Exit codes: 0 clean (or nothing at or above --fail-on); 1 findings at or above --fail-on; 2 some input
could not be read or parsed (everything else is still linted); 3 usage, configuration or internal
error. No traceback reaches the user (set STAGELINT_DEBUG=1 to see one).

The engine, decoders and formatters are imported inside the commands, so `--version` and a
pre-commit run on one file pay only for what they use.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from stagelint import __version__

EXIT_CONFIG = 3


def _fail(message: str) -> NoReturn:
    click.echo(f"stagelint: error: {message}", err=True)
    sys.exit(EXIT_CONFIG)


def _encoded(text: str) -> bytes:
    """UTF-8 with anything unencodable escaped: a lone surrogate from a `"\\ud800"` escape in a value,
    or a non-UTF-8 file name (decoded with surrogateescape), is printed as `\\ud800` / `\\udcff`
    instead of aborting the run."""
    return text.encode("utf-8", "backslashreplace")


def _emit(text: str, output: str | None, color: bool = False) -> None:
    """The rendered report to `--output FILE` (LF line endings on every platform), or to stdout."""
    if output:
        try:
            with open(output, "wb") as handle:
                handle.write(_encoded(text))
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    elif text:
        # Bytes, so that an unencodable character (a lone surrogate) is escaped, never fatal; without
        # colour our own styling is taken off (user text has no escape codes left: formatters escape them).
        click.echo(_encoded(text if color else click.unstyle(text)), nl=False)


def _use_color(choice: str) -> bool:
    """Colour for the printed text report: `--color always|never`, else NO_COLOR (off) and FORCE_COLOR
    (on) as https://no-color.org and force-color.org say, else only when stdout is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select SL1,SL2 --select SL3` → ("SL1", "SL2", "SL3")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _pairs(values: tuple[str, ...], option: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, equals, rest = value.partition("=")
        if not equals or not key:
            _fail(f"{option} takes KEY=VALUE, got {value!r}")
        pairs.append((key.strip(), rest))
    return tuple(pairs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="stagelint", message="%(prog)s %(version)s")
def cli() -> None:
    """A linter for AWS API Gateway stage configuration (Terraform, CloudFormation, SAM, CDK, YAML)."""


FORMATS = ["text", "concise", "full", "json", "sarif", "github", "junit", "gitlab"]
ROOTED_FORMATS = frozenset({"sarif", "github", "gitlab"})  # resolved against the repository root by GitHub/GitLab


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", multiple=True, metavar="FMT[:FILE]",
              help=f"Output format: {', '.join(FORMATS)} [default: full on a terminal, else text (= concise)]. "
                   "Repeatable, each as FMT:FILE to write "
                   "several reports from one run (one format may go without FILE: printed, or to --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report of the --format without FILE to FILE.")
@click.option("--output-sarif", type=click.Path(dir_okay=False, writable=True),
              help="Also write SARIF to FILE (the same as --format sarif:FILE).")
@click.option("--select", multiple=True, help="Rules to run: ids, prefixes (SL1), names or ALL. Comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run (ids, prefixes or names). Comma-separated.")
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
@click.option("--exclude", multiple=True, help="Glob of paths not to lint, added to the configured ones.")
@click.option("--force-exclude", is_flag=True,
              help="Apply excludes to files named on the command line too (for pre-commit).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False),
              help="Record every current finding in FILE (then exit 0, or 2 if some input was unreadable).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (0: all cores). Small inputs always run in one process.")
@click.option("--var-file", multiple=True, type=click.Path(), help="Terraform .tfvars file to read (repeatable).")
@click.option("--var", "variables", multiple=True, help="Terraform variable NAME=VALUE (repeatable).")
@click.option("--parameter", multiple=True, help="CloudFormation parameter Key=Value (repeatable).")
@click.option("--parameter-file", multiple=True, type=click.Path(), help="CloudFormation parameters file.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, help="Largest file to read, in MiB.")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="CPU seconds one file (or Terraform module) may take before it is stopped and reported "
                   "(10 times as much wall-clock time at most); 0: no limit. [default: 30]")
@click.option("--no-gitignore", is_flag=True, help="Lint files that .gitignore ignores, too.")
@click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped, and why (to stderr).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only; nothing at all when clean.")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text report: auto is on a terminal only, off with NO_COLOR, "
                                      "on with FORCE_COLOR. Never in files or other formats.")
def check(paths: tuple[str, ...], output_format: tuple[str, ...], output: str | None, output_sarif: str | None,
          select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, fail_on_empty: bool,
          exit_zero: bool,
          sarif_suppressed: str, project_root: str | None, statistics: bool, config_file: str | None,
          isolated: bool, exclude: tuple[str, ...],
          force_exclude: bool, baseline_file: str | None, write_baseline_file: str | None,
          jobs: int | None, var_file: tuple[str, ...], variables: tuple[str, ...],
          parameter: tuple[str, ...], parameter_file: tuple[str, ...], max_file_size: int | None,
          timeout: float | None, no_gitignore: bool, verbose: bool, quiet: bool, color_choice: str) -> None:
    """Lint stage definitions in PATHS (files or directories; default: the current directory)."""
    from dataclasses import replace

    from stagelint.config import ConfigError
    from stagelint.findings import Severity
    from stagelint.outputs import OutputError, parse_outputs

    if not output_format and output is None and sys.stdout.isatty():
        output_format = ("full",)  # a person is reading: show the source line; pipes and CI keep one line each
    try:
        outputs = parse_outputs(output_format, output, output_sarif)
    except OutputError as error:
        _fail(str(error))
    try:
        config = _file_config(config_file, isolated)
    except ConfigError as error:
        _fail(str(error))
    # Command-line options beat the file: --select and --fail-on replace its values,
    # --extend-select, --ignore and --exclude add to them.
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = _split(select)
    if extend_select:
        changes["extend_select"] = config.extend_select + _split(extend_select)
    if ignore:
        changes["ignore"] = config.ignore + _split(ignore)
    if exclude:
        changes["exclude"] = config.exclude + _split(exclude)
    if force_exclude:
        changes["force_exclude"] = True
    if fail_on is not None:
        changes["fail_on"] = None if fail_on == "never" else Severity.parse(fail_on)
    if jobs is not None:
        changes["jobs"] = jobs
    if no_gitignore:
        changes["respect_gitignore"] = False
    config = _with_decode_options(replace(config, **changes), var_file, variables, parameter, parameter_file,
                                  max_file_size, timeout)

    from stagelint import baseline
    from stagelint.api import lint

    if baseline_file and not write_baseline_file:
        config = replace(config, baseline_file=baseline_file)
    try:
        if write_baseline_file and baseline_file:
            baseline.load(baseline_file)  # a broken --baseline is an error even when writing a new one
        report = lint(paths or (".",), config)
        if write_baseline_file:
            baseline.write(write_baseline_file, report, __version__)
            click.echo(f"stagelint: recorded {len(report.findings)} finding(s) in {write_baseline_file}", err=True)
            sys.exit(2 if report.has_input_errors else 0)
    except ConfigError as error:
        _fail(str(error))

    from stagelint.formatters import FormatContext, render
    from stagelint.formatters.escape import printable
    from stagelint.registry import load_rules

    root = None
    if any(item.format in ROOTED_FORMATS for item in outputs):
        from stagelint.formatters.paths import project_root as find_root

        root = find_root(project_root)
    context = FormatContext(load_rules(), __version__, verbose=verbose, quiet=quiet, statistics=statistics,
                            sarif_suppressed=sarif_suppressed == "include", project_root=root)
    color = _use_color(color_choice)

    def coloured(item: Any) -> bool:
        return color and item.format in ("text", "concise", "full") and item.file is None

    rendered = [(item, render(item.format, report, replace(context, color=True) if coloured(item) else context))
                for item in outputs]
    if verbose:
        for note in report.notes:
            where = f"{note.position.path}:{note.position.line}:{note.position.column}" if note.position else note.path
            click.echo(_encoded(printable(f"{where}: note: {note.message}") + "\n"), err=True, nl=False)
    for item, text in rendered:
        _emit(text, item.file, coloured(item))
    if any(item.format == "github" for item in outputs):
        _step_summary(report, context)
    code = report.exit_code
    if exit_zero and code == 1:
        code = 0
    empty = report.checked_nothing
    if empty is not None:
        if not quiet or fail_on_empty:
            click.echo(f"stagelint: warning: {empty}: nothing was linted{_skipped_hint(report)}", err=True)
        if fail_on_empty and code == 0:
            code = 1
    sys.exit(code)


def _skipped_hint(report: Any) -> str:
    skipped = report.skipped_stages
    if skipped:
        return f" ({len(skipped)} stage(s) not created; --verbose says why)"
    return " (--verbose says what was skipped)"



def _step_summary(report: Any, context: Any) -> None:
    """On GitHub Actions (`$GITHUB_STEP_SUMMARY` is set), append the Markdown summary of the run."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    from stagelint.formatters.github import step_summary

    try:
        with open(summary_file, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(step_summary(report, context))
    except OSError as error:
        click.echo(f"stagelint: warning: cannot write the step summary {summary_file}: {error.strerror or error}",
                   err=True)


def _with_decode_options(config: Any, var_file: tuple[str, ...], variables: tuple[str, ...],
                         parameter: tuple[str, ...], parameter_file: tuple[str, ...], max_file_size: int | None,
                         timeout: float | None) -> Any:
    """The configuration with what the command line says about reading files (limits, variables, parameters)."""
    from dataclasses import replace

    from stagelint.config import DecodeOptions
    from stagelint.limits import MIB

    limits = config.decode.limits
    if max_file_size is not None:
        limits = replace(limits, max_file_bytes=max_file_size * MIB)
    if timeout is not None:
        if timeout != timeout:  # nan
            _fail("--timeout takes a number of seconds (0 or inf for no limit), not nan")
        limits = replace(limits, max_seconds_per_file=0 if timeout == float("inf") else timeout)
    return replace(config, decode=DecodeOptions(
        limits=limits,
        terraform_var_files=var_file,
        terraform_vars=_pairs(variables, "--var"),
        cloudformation_parameters=_pairs(parameter, "--parameter"),
        cloudformation_parameter_files=parameter_file,
    ))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
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
@click.option("--region", default="us-east-1", show_default=True, callback=lambda _c, _p, value: _region(value),
              help="AWS Region whose cache prices apply (a Region without prices gives unknown costs).")
def inventory(paths: tuple[str, ...], output_format: str, output: str | None, config_file: str | None,
              isolated: bool, exclude: tuple[str, ...], no_gitignore: bool, jobs: int | None, verbose: bool,
              var_file: tuple[str, ...], variables: tuple[str, ...], parameter: tuple[str, ...],
              parameter_file: tuple[str, ...], region: str) -> None:
    """List every stage in PATHS with its environment, settings and estimated cache cost (an audit view)."""
    from dataclasses import replace

    from stagelint.api import lint
    from stagelint.config import ConfigError
    from stagelint.formatters.escape import printable
    from stagelint.inventory import RENDERERS, unreadable

    try:
        config = _with_decode_options(_file_config(config_file, isolated), var_file, variables, parameter,
                                      parameter_file, None, None)
        changes: dict[str, Any] = {"region": region}
        if exclude:
            changes["exclude"] = config.exclude + _split(exclude)
        if no_gitignore:
            changes["respect_gitignore"] = False
        if jobs is not None:
            changes["jobs"] = jobs
        report = lint(paths or (".",), replace(config, **changes))
    except ConfigError as error:
        _fail(str(error))
    for failed in unreadable(report):
        click.echo(_encoded(printable(f"stagelint: cannot read {failed['path']}: {failed['reason']}") + "\n"),
                   err=True, nl=False)
    if verbose:
        for note in report.notes:
            where = f"{note.position.path}:{note.position.line}:{note.position.column}" if note.position else note.path
            click.echo(_encoded(printable(f"{where}: note: {note.message}") + "\n"), err=True, nl=False)
    if output_format == "text":
        from stagelint.inventory import render_text, terminal_width

        text = render_text(report, region, None if output else terminal_width())
    else:
        text = RENDERERS[output_format](report, region)
    _emit(text, output)
    sys.exit(2 if report.has_input_errors else 0)


def _region(value: str) -> str:
    import re

    if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", value):
        raise click.BadParameter(f"{value!r} is not an AWS Region name (like us-east-1)")
    return value


def _file_config(config_file: str | None, isolated: bool) -> Any:
    """The defaults with the configuration file applied (a file is read only when there is one)."""
    from stagelint.config import Config
    from stagelint.config_files import resolve_config

    config, _ = resolve_config(Config(), config_file=config_file, isolated=isolated)
    return config


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(output_format: str) -> None:
    """List every rule: id, name, default severity and what it checks."""
    from stagelint.registry import RegistryError, load_rules

    try:
        rule_set = load_rules()
    except RegistryError as error:
        _fail(str(error))
    if output_format == "json":
        import json

        records = [{"id": rule.id, "name": rule.name, "severity": rule.default_severity.value,
                    "enabled_by_default": rule.enabled_by_default, "plugin": rule.plugin,
                    "summary": rule.doc.summary, "tags": list(rule.tags)} for rule in rule_set.rules]
        click.echo(json.dumps(records, indent=2, sort_keys=True))
        return
    width = max(len(rule.name) for rule in rule_set.rules)
    for rule in rule_set.rules:
        status = "" if rule.enabled_by_default else " (off by default)"
        origin = "" if rule.plugin == "builtin" else f" [plugin {rule.plugin}]"
        click.echo(f"{rule.id:<6} {rule.name:<{width}}  {rule.default_severity.value:<7}  "
                   f"{rule.doc.title}{status}{origin}")


@cli.command()
@click.argument("rule")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(rule: str, output_format: str) -> None:
    """Show a rule's documentation (by id or name)."""
    from stagelint.hints import did_you_mean
    from stagelint.registry import RegistryError, load_rules

    try:
        rule_set = load_rules()
    except RegistryError as error:
        _fail(str(error))
    spec = rule_set.get(rule)
    if spec is None:
        _fail(f"unknown rule `{rule}`{did_you_mean(rule, rule_set.keys())}")
    if output_format == "json":
        import json

        click.echo(json.dumps({"id": spec.id, "name": spec.name, "severity": spec.default_severity.value,
                               "title": spec.doc.title, "sections": dict(spec.doc.sections),
                               "markdown": spec.doc.markdown}, indent=2, sort_keys=True))
        return
    click.echo(f"# {spec.id} {spec.name} ({spec.default_severity.value})\n")
    click.echo(spec.doc.markdown)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of stagelint's own YAML stage format (for editors)."""
    from importlib import resources

    click.echo(resources.files("stagelint.data").joinpath("stage-schema.json").read_text(encoding="utf-8"),
               nl=False)


def main() -> None:
    """Entry point: click's own exits are mapped to our codes, and no traceback ever escapes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.UsageError as error:
        error.show()
        sys.exit(EXIT_CONFIG)
    except click.Abort:
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
