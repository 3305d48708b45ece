"""`stagelint check` read without click (`cli/check_arguments.py`) is `check` read by click.

The table is derived from the click command, so an option added to, changed in or removed from
`cli/check.py` fails here until the table says the same; and generated command lines are read by
both, which must agree wherever the plain reader answers, and leave to click whatever click refuses.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagelint.cli.check import check
from stagelint.cli.check_arguments import DEFAULTS, FLAG, MANY, ONE, OPTIONS, PATHS, Kind, plain_check
from tests.conftest import REPO


def _kind(parameter: click.Parameter) -> Kind:
    kind = parameter.type
    if isinstance(kind, click.Choice):
        assert kind.case_sensitive
        return ("choice", tuple(kind.choices))
    if isinstance(kind, click.IntRange | click.FloatRange):
        assert kind.max is None and not kind.min_open and not kind.clamp
        return ("int" if isinstance(kind, click.IntRange) else "float", kind.min)
    if isinstance(kind, click.Path):
        assert not kind.exists and not kind.allow_dash and not kind.resolve_path and not kind.executable
        assert kind.type is None
        return ("path", kind.file_okay, kind.dir_okay, kind.readable, kind.writable)
    assert kind is click.STRING, (parameter.name, kind)
    if parameter.callback is not None:
        assert parameter.name == "region"  # common.region_name: the REGION_NAME pattern the table uses
        return ("region",)
    return ("text",)


def _derived() -> tuple[dict[str, tuple[str, str, Kind]], Kind]:
    """`OPTIONS` and `PATHS` as the click command declares them."""
    table: dict[str, tuple[str, str, Kind]] = {}
    paths: Kind = ()
    for parameter in check.params:
        assert parameter.name is not None and parameter.envvar is None and not parameter.is_eager
        if isinstance(parameter, click.Argument):
            assert parameter.name == "paths" and parameter.nargs == -1
            paths = _kind(parameter)
            continue
        assert isinstance(parameter, click.Option) and parameter.nargs == 1 and not parameter.count
        assert not parameter.prompt and not parameter.hidden
        for name in (*parameter.opts, *parameter.secondary_opts):
            assert name.startswith("--") or len(name) == 2, name  # the plain reader splits `-xy` by letter
        if parameter.is_flag:
            assert parameter.callback is None
            for name in (*parameter.opts, *parameter.secondary_opts):  # the value click gives each spelling
                with check.make_context("check", [name]) as context:
                    table[name] = (parameter.name, FLAG, ("flag", context.params[parameter.name]))
        else:
            assert not parameter.secondary_opts
            how = MANY if parameter.multiple else ONE
            table.update({name: (parameter.name, how, _kind(parameter)) for name in parameter.opts})
    return table, paths


def test_the_table_is_the_click_command() -> None:
    from stagelint.cli.group import cli

    # Nothing but the arguments decides a value: no environment variables, default map or colour setting.
    assert check.context_settings == {} and set(cli.context_settings) == {"help_option_names"}
    table, paths = _derived()
    # An option added to or changed in cli/check.py goes into check_arguments.OPTIONS and DEFAULTS too.
    assert table == OPTIONS
    assert paths == PATHS
    with check.make_context("check", []) as context:
        assert context.params == DEFAULTS


def _click_reads(arguments: Sequence[str]) -> dict[str, Any] | None:
    """What click passes to `check` for these arguments, or None where it prints help or an error."""
    try:
        with (contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()),
              check.make_context("check", list(arguments)) as context):
            return dict(context.params)
    except (click.exceptions.Exit, click.ClickException):
        return None


def _spelled(options: dict[str, Any]) -> list[tuple[str, str]]:
    """Options compared by value and type, `nan` equal to itself (`--timeout nan`)."""
    return sorted((name, repr(value)) for name, value in options.items())


@contextlib.contextmanager
def _in(directory: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def paths_of_each_kind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("kinds")
    (directory / "stages.yaml").write_text("stages: []\n")
    (directory / "infra").mkdir()
    locked = directory / "locked.yaml"
    locked.write_text("")
    locked.chmod(0o000)  # unreadable and unwritable (unless the tests run as root, who can do both)
    return directory


VALUES = ("x", "", "-", "--", "-q", "error", "never", "info", "Error", "omit", "include", "always", "0", "3", "-1",
          "+2", " 4", "1_0", "2.5", "1e3", "nan", "inf", "-inf", "0x10", "us-east-1", "eu-west-1x", "US-EAST-1",
          "SL1,SL2", "ALL", "sarif:out.sarif", "A=B", "stages.yaml", "infra", "missing.yaml", "locked.yaml")
WORDS = (*OPTIONS, "--help", "-h", "--nope", "-x", "--verb", "--qu", "-qv", "-vq", "-qvq", "-j2", "-jx", "-j",
         "-ofile.txt", "-qo", "-oq", "-vj0", "-q=1", "--quiet=1", "--quiet=", "--fail-on=error", "--fail-on=",
         "--jobs=", "--jobs=2", "--timeout=nan", "--select=", "--select=SL1", "--=x", "--gitignore=no",
         "--no-gitignore", "--region=us-west-2", "--output=infra", "--config=infra", "--project-root=stages.yaml",
         *VALUES)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=7))
def test_both_read_every_command_line_alike(paths_of_each_kind: Path, arguments: list[str]) -> None:
    with _in(paths_of_each_kind):
        plain = plain_check(["check", *arguments])
        clicked = _click_reads(arguments)
    if plain is not None:
        assert clicked is not None and _spelled(plain) == _spelled(clicked)
    if clicked is None:
        assert plain is None


# What hooks, CI jobs and people type: read without click.
USUAL = (
    (), ("stages.yaml",), ("--force-exclude", "--quiet", "stages.yaml", "infra"),
    ("--select", "SL1,SL2", "--ignore=SL102", "-j", "0", "infra"), ("-q", "-j2", "--", "-stages.yaml"),
    ("--format", "text", "--format", "sarif:out.sarif", "--fail-on", "warning", "."),
    ("--config", "stages.yaml", "--isolated", "--timeout", "2.5", "--max-file-size", "3", "--region", "eu-west-1"),
    ("--var-file", "prod.tfvars", "--var", "a=b", "--parameter", "Env=prod", "--no-gitignore", "-v", "-o", "r.txt"),
    ("-", "--stdin-filename", "infra/api.yaml"),
)


@pytest.mark.parametrize("arguments", USUAL, ids=" ".join)
def test_the_usual_command_lines_are_read_without_click(paths_of_each_kind: Path, arguments: tuple[str, ...]) -> None:
    with _in(paths_of_each_kind):
        plain = plain_check(["check", *arguments])
        clicked = _click_reads(arguments)
        assert plain is not None and clicked is not None and _spelled(plain) == _spelled(clicked)


@pytest.mark.parametrize("arguments", [["--version"], ["rules"], ["check", "--help"], ["check", "-h"],
                                       ["check", "--nope"], ["check", "--jobs"], ["check", "-qx"], []])
def test_everything_else_is_left_to_click(arguments: list[str]) -> None:
    assert plain_check(arguments) is None


def test_a_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    assert plain_check(["check", "."]) is not None
    monkeypatch.setenv("_STAGELINT_COMPLETE", "bash_complete")
    assert plain_check(["check", "."]) is None


def _console(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONPATH=str(REPO), STAGELINT_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-m", "stagelint", *arguments], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False, env=environment)


def test_click_still_answers_what_it_reads(tmp_path: Path) -> None:
    """A misspelt option gets click's error and suggestion, and `--help` click's help, from the console script."""
    misspelt = _console(tmp_path, "check", "--quite", ".")
    assert misspelt.returncode == 3 and "No such option" in misspelt.stderr and "--quite" in misspelt.stderr
    assert "Did you mean" in misspelt.stderr and "--quiet" in misspelt.stderr
    assert misspelt.stderr.startswith("Usage: python -m stagelint check [OPTIONS] [PATHS]...")
    shown = _console(tmp_path, "check", "--help")
    assert shown.returncode == 0 and "Rule selection:" in shown.stdout and "--fail-on" in shown.stdout
    bad = _console(tmp_path, "check", "--jobs", "-1", ".")
    assert bad.returncode == 3 and "Invalid value for '--jobs'" in bad.stderr and bad.stdout == ""
