"""`stagelint check`'s command line read without click, when it is a plain one: the pre-commit path.

Importing click is about a quarter of what a one-file run costs (issue 15: of a one-file CloudFormation
run's 304 M instructions, 80 M are click's), and a hook passes the same few options every time. So
the entry point (`cli.main`) asks `plain_check` first: when every argument is one of `check`'s
options or paths, in a form click accepts, with a value click accepts, it gives the keyword arguments
click would pass to `run_check`. Anything else gives None and click reads the command line as
always: `--help`, an unknown or misspelt option, a missing or bad value, a shell completion, group
options, Windows (where click expands wildcards). Its messages, suggestions and exit codes stay
click's own.

`OPTIONS` and `DEFAULTS` are `cli/check.py`'s options written as data; tests/test_check_arguments.py
derives them from the click command and checks that the two read generated command lines alike.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from typing import Any

# A value's type, as a tuple: ("text",); ("choice", allowed); ("int", minimum); ("float", minimum);
# ("path", file_okay, dir_okay, readable, writable) as click.Path checks an existing path; ("region",)
# for `--region`'s callback; ("flag", value) for an option that takes no value.
Kind = tuple[Any, ...]
TEXT: Kind = ("text",)
ONE, MANY, FLAG = "one", "many", "flag"
_OUTPUT_FILE: Kind = ("path", True, False, True, True)
_INPUT_FILE: Kind = ("path", True, False, True, False)
_ANY_PATH: Kind = ("path", True, True, True, False)

# option string → (parameter, how often it takes a value, the value's kind)
OPTIONS: dict[str, tuple[str, str, Kind]] = {
    "--format": ("output_format", MANY, TEXT),
    "--output": ("output", ONE, _OUTPUT_FILE), "-o": ("output", ONE, _OUTPUT_FILE),
    "--output-sarif": ("output_sarif", ONE, _OUTPUT_FILE),
    "--select": ("select", MANY, TEXT),
    "--extend-select": ("extend_select", MANY, TEXT),
    "--ignore": ("ignore", MANY, TEXT),
    "--fail-on": ("fail_on", ONE, ("choice", ("error", "warning", "info", "never"))),
    "--fail-on-empty": ("fail_on_empty", FLAG, ("flag", True)),
    "--exit-zero": ("exit_zero", FLAG, ("flag", True)),
    "--sarif-suppressed": ("sarif_suppressed", ONE, ("choice", ("omit", "include"))),
    "--project-root": ("project_root", ONE, ("path", False, True, True, False)),
    "--statistics": ("statistics", FLAG, ("flag", True)),
    "--config": ("config_file", ONE, _INPUT_FILE),
    "--isolated": ("isolated", FLAG, ("flag", True)),
    "--stdin-filename": ("stdin_filename", ONE, TEXT),
    "--exclude": ("exclude", MANY, TEXT),
    "--force-exclude": ("force_exclude", FLAG, ("flag", True)),
    "--baseline": ("baseline_file", ONE, _INPUT_FILE),
    "--write-baseline": ("write_baseline_file", ONE, _INPUT_FILE),
    "--jobs": ("jobs", ONE, ("int", 0)), "-j": ("jobs", ONE, ("int", 0)),
    "--var-file": ("var_file", MANY, _ANY_PATH),
    "--var": ("variables", MANY, TEXT),
    "--parameter": ("parameter", MANY, TEXT),
    "--parameter-file": ("parameter_file", MANY, _ANY_PATH),
    "--max-file-size": ("max_file_size", ONE, ("int", 1)),
    "--timeout": ("timeout", ONE, ("float", 0)),
    "--region": ("region", ONE, ("region",)),
    "--gitignore": ("respect_gitignore", FLAG, ("flag", True)),
    "--no-gitignore": ("respect_gitignore", FLAG, ("flag", False)),
    "--verbose": ("verbose", FLAG, ("flag", True)), "-v": ("verbose", FLAG, ("flag", True)),
    "--quiet": ("quiet", FLAG, ("flag", True)), "-q": ("quiet", FLAG, ("flag", True)),
    "--show-settings": ("show_settings", FLAG, ("flag", True)),
    "--show-files": ("show_files", FLAG, ("flag", True)),
    "--color": ("color_choice", ONE, ("choice", ("auto", "always", "never"))),
}
PATHS: Kind = ("path", True, True, False, False)  # the PATHS argument: unreadable ones are SL000, not usage errors

# What click passes for an option that is not given.
DEFAULTS: dict[str, Any] = {
    "paths": (), "output_format": (), "output": None, "output_sarif": None, "select": (), "extend_select": (),
    "ignore": (), "fail_on": None, "fail_on_empty": False, "exit_zero": False, "sarif_suppressed": "omit",
    "project_root": None, "statistics": False, "config_file": None, "isolated": False, "stdin_filename": None,
    "exclude": (), "force_exclude": False, "baseline_file": None, "write_baseline_file": None, "jobs": None,
    "var_file": (), "variables": (), "parameter": (), "parameter_file": (), "max_file_size": None,
    "timeout": None, "region": None, "respect_gitignore": None, "verbose": False, "quiet": False,
    "show_settings": False, "show_files": False, "color_choice": "auto",
}


class _NotPlain(Exception):
    """A command line click should read (its help, its error, or a form this module leaves to it)."""


def plain_check(arguments: Sequence[str]) -> dict[str, Any] | None:
    """`run_check`'s keyword arguments for `stagelint ARGUMENTS…`, or None when click should read them."""
    if arguments[:1] != ["check"] or os.name == "nt":
        return None
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # a shell asking click to complete a word
    try:
        return parse(arguments[1:])
    except _NotPlain:
        return None


def parse(arguments: Sequence[str]) -> dict[str, Any]:
    """The arguments after `check`, read the way click's parser reads them (`_NotPlain` where it would
    not accept them, or could answer otherwise)."""
    given: dict[str, Any] = {}  # parameter → its last value, or every value of a repeatable option
    paths: list[str] = []
    position, count = 0, len(arguments)
    while position < count:
        argument = arguments[position]
        position += 1
        if argument == "--":
            paths.extend(arguments[position:])
            break
        if argument[:1] != "-" or len(argument) == 1:
            paths.append(argument)
        elif argument[1] == "-":
            name, equals, value = argument.partition("=")
            option = OPTIONS.get(name)
            if option is None:
                raise _NotPlain(name)
            if option[1] == FLAG:
                if equals:
                    raise _NotPlain(name)  # click: "Option --quiet does not take a value"
                _store(given, option, None)
                continue
            if not equals:
                if position == count:
                    raise _NotPlain(name)
                value = arguments[position]
                position += 1
            _store(given, option, value)
        else:
            # `-qv`, `-j4`, `-o FILE`: click tries the whole argument as a long option first; every
            # option of `check` of one dash is one letter, so it is read letter by letter, as click does.
            letter = 1
            while letter < len(argument):
                option = OPTIONS.get("-" + argument[letter])
                letter += 1
                if option is None:
                    raise _NotPlain(argument)
                if option[1] == FLAG:
                    _store(given, option, None)
                    continue
                if letter < len(argument):
                    value = argument[letter:]
                elif position < count:
                    value = arguments[position]
                    position += 1
                else:
                    raise _NotPlain(argument)
                _store(given, option, value)
                break
    options = dict(DEFAULTS)
    options["paths"] = tuple(_converted(PATHS, path) for path in paths)
    for (parameter, how, kind), value in given.values():
        options[parameter] = (tuple(_converted(kind, item) for item in value) if how == MANY
                              else kind[1] if how == FLAG else _converted(kind, value))
    return options


def _store(given: dict[str, Any], option: tuple[str, str, Kind], value: str | None) -> None:
    """As click's parser stores: a repeatable option's values in order, else the last one given (which
    alone is converted, as click converts it)."""
    parameter = option[0]
    if option[1] == MANY:
        given.setdefault(parameter, (option, []))[1].append(value)
    else:
        given[parameter] = (option, value)


def _converted(kind: Kind, value: str) -> Any:
    """`value` as click's type converts it, or `_NotPlain` where click would report it."""
    name = kind[0]
    if name == "text":
        return value
    if name == "choice":
        if value not in kind[1]:
            raise _NotPlain(value)
        return value
    if name == "int" or name == "float":
        try:
            number = int(value) if name == "int" else float(value)
        except ValueError:
            raise _NotPlain(value) from None
        if number < kind[1]:
            raise _NotPlain(value)
        return number
    if name == "region":
        from stagelint.cli.common import REGION_NAME

        if not REGION_NAME.fullmatch(value):
            raise _NotPlain(value)
        return value
    _, file_okay, dir_okay, readable, writable = kind
    if file_okay and dir_okay and not readable and not writable:
        return value  # nothing click.Path would check
    try:
        status = os.stat(value)
    except OSError:
        return value  # not there: click.Path(exists=False) takes it as it is
    if ((not file_okay and stat.S_ISREG(status.st_mode)) or (not dir_okay and stat.S_ISDIR(status.st_mode))
            or (readable and not os.access(value, os.R_OK)) or (writable and not os.access(value, os.W_OK))):
        raise _NotPlain(value)
    return value
