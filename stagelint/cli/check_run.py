"""`stagelint check` once its arguments are parsed: lint, then print or write one report per output.

The click command (`cli/check.py`) declares the options and calls `run_check` with them.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from stagelint import __version__
from stagelint.cli.common import (
    config_location,
    emit,
    encoded,
    fail,
    frozen_heap,
    is_terminal,
    print_notes,
    refuse_inputs,
    resolved_config,
    say,
    selection_changes,
    split,
    use_color,
    with_decode_options,
    write_bytes,
)
from stagelint.cli.stdin import read_stdin, stdin_paths

FORMATS = ["text", "concise", "full", "json", "sarif", "github", "junit", "gitlab"]
FINGERPRINTED = frozenset({"json", "sarif", "gitlab"})  # the formats that show findings' fingerprints
ROOTED_FORMATS = frozenset({"sarif", "github", "gitlab"})  # resolved against the repository root by GitHub/GitLab


def run_check(paths: tuple[str, ...], output_format: tuple[str, ...], output: str | None, output_sarif: str | None,
              select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None,
              fail_on_empty: bool, exit_zero: bool, sarif_suppressed: str, project_root: str | None,
              statistics: bool, config_file: str | None, isolated: bool, stdin_filename: str | None,
              exclude: tuple[str, ...], force_exclude: bool, baseline_file: str | None,
              write_baseline_file: str | None, jobs: int | None, var_file: tuple[str, ...],
              variables: tuple[str, ...], parameter: tuple[str, ...], parameter_file: tuple[str, ...],
              max_file_size: int | None, timeout: float | None, region: str | None, respect_gitignore: bool | None,
              verbose: bool, quiet: bool, show_settings: bool, show_files: bool, color_choice: str) -> None:
    """Lint stage definitions in PATHS, with the options `stagelint check` was given."""
    from stagelint.config import ConfigError
    from stagelint.findings import Severity
    from stagelint.outputs import OutputError, parse_outputs
    from stagelint.records import replace

    from_stdin = stdin_paths(paths, stdin_filename)
    try:
        config, config_path = resolved_config(config_file, isolated)
    except ConfigError as error:
        fail(str(error))
    from_file = not output_format and bool(config.formats)
    if from_file:
        output_format = config.formats  # the configuration's `format`; any --format replaces it
    elif not output_format and output is None and is_terminal(sys.stdout):
        output_format = ("full",)  # a person is reading: show the source line; pipes and CI keep one line each
    try:
        outputs = parse_outputs(output_format, output, output_sarif)
    except OutputError as error:
        fail(f"{config_location(config_path, 'format')}: `format`: {error}" if from_file else str(error))
    # Command-line options beat the file: --select, --fail-on, --jobs, --[no-]gitignore (and below
    # --max-file-size, --timeout) replace its values; --extend-select, --ignore and --exclude add to them,
    # and --var-file files are read after its `var-files`.
    changes = selection_changes(config, select, extend_select, ignore)
    changes["stage_summaries"] = False  # every format of `check` shows only how many stages were found
    changes["fingerprints"] = bool(write_baseline_file) or any(item.format in FINGERPRINTED for item in outputs)
    if exclude:
        changes["exclude"] = config.exclude + split(exclude)
    if force_exclude:
        changes["force_exclude"] = True
    if fail_on is not None:
        changes["fail_on"] = None if fail_on == "never" else Severity.parse(fail_on)
    if jobs is not None:
        changes["jobs"] = jobs
    if respect_gitignore is not None:
        changes["respect_gitignore"] = respect_gitignore
    if region is not None:
        changes["region"] = region
    config = with_decode_options(replace(config, **changes), var_file, variables, parameter, parameter_file,
                                  max_file_size, timeout)
    if not verbose:  # only --verbose shows notes (in JSON too): no stage's unknown values listed
        config = replace(config, decode=replace(config.decode, notes=False))

    if from_stdin is not None:
        paths = from_stdin
        config = replace(config, decode=replace(config.decode, sources=read_stdin(from_stdin[0])))

    if show_settings or show_files:
        _show(show_settings, paths or (".",), config, config_path, config_file, isolated, outputs)

    from stagelint.api import lint

    if baseline_file and not write_baseline_file:
        config = replace(config, baseline_file=baseline_file)
    try:
        if write_baseline_file:
            from stagelint import baseline  # only for writing one: a plain run (a hook's) never needs it
        if write_baseline_file and baseline_file:
            baseline.load(baseline_file)  # a broken --baseline is an error even when writing a new one
        refuse_inputs([item.file for item in outputs], paths)
        from stagelint.cli.progress import Progress

        progress = Progress(enabled=not quiet)
        try:
            report = lint(paths or (".",), config, progress=progress, streamed=True)
        finally:
            progress.close()
        if write_baseline_file:
            baseline.write(write_baseline_file, report, __version__)
            say(f"stagelint: recorded {len(report.findings)} finding(s) in {write_baseline_file}")
            sys.exit(2 if report.has_input_errors else 0)
    except ConfigError as error:
        fail(str(error))

    # Everything the run built is alive until the process ends: the collector need not walk it
    # again while the report is written (see `frozen_heap`).
    with frozen_heap():
        from stagelint.formatters import FormatContext, stream
        from stagelint.registry import load_rules

        root = None
        if any(item.format in ROOTED_FORMATS for item in outputs):
            from stagelint.formatters.paths import project_root as find_root

            root = find_root(project_root)
        context = FormatContext(load_rules(), __version__, verbose=verbose, quiet=quiet, statistics=statistics,
                                sarif_suppressed=sarif_suppressed == "include", project_root=root,
                                sources=config.decode.sources)
        color = use_color(color_choice)

        def coloured(item: Any) -> bool:
            return color and item.format in ("text", "concise", "full") and item.file is None

        # Each report is made as it is written (`formatters.stream`): the findings are decoded batch by batch.
        rendered = [(item, stream(item.format, report, replace(context, color=True) if coloured(item) else context))
                    for item in outputs]
        if verbose:
            print_notes(report)
        refuse_inputs([item.file for item in outputs],
                      (result.path for result in report.files if result.format is not None or result.failed))
        for item, text in rendered:
            emit(text, item.file, coloured(item))
        if any(item.format == "github" for item in outputs):
            _step_summary(report, context)
    code = report.exit_code
    if exit_zero and code == 1:
        code = 0
    empty = report.checked_nothing
    if empty is not None:
        if not quiet or fail_on_empty:
            say(f"stagelint: warning: {empty}: nothing was linted{_skipped_hint(report)}")
        if fail_on_empty and code == 0:
            code = 1
    sys.exit(code)


def _show(settings: bool, paths: tuple[str, ...], config: Any, config_path: Any, config_file: str | None,
          isolated: bool, outputs: Any) -> None:
    """`--show-settings` / `--show-files`: print, then exit 0 (3 for a configuration error)."""
    from stagelint.cli.settings import show_files, show_settings
    from stagelint.config import ConfigError
    from stagelint.config_files import shown

    how = "--isolated" if isolated else "--config" if config_file else "found upward from the working directory"
    try:
        if settings:
            formats = tuple(f"{item.format}:{item.file}" if item.file else item.format for item in outputs)
            text = show_settings(config, shown(config_path) if config_path is not None else None, how, formats)
        else:
            text = show_files(paths, config)
    except ConfigError as error:
        fail(str(error))
    write_bytes(encoded(text))
    sys.exit(0)


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
        say(f"stagelint: warning: cannot write the step summary {summary_file}: {error.strerror or error}")
