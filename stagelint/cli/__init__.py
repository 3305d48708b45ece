"""The command line: `stagelint check|rules|explain|schema|inventory|report`.

Exit codes: 0 clean (or nothing at or above --fail-on); 1 findings at or above --fail-on; 2 some input
could not be read or parsed (everything else is still linted); 3 usage, configuration or internal
error. No traceback reaches the user (set STAGELINT_DEBUG=1 to see one).

The engine, decoders and formatters are imported inside the commands, so `--version` and a
pre-commit run on one file pay only for what they use. A plain `check` command line (what hooks and
CI pass) is read without click at all (`check_arguments`), since importing click costs more than the
rest of a one-file run's own imports; every other command line, and `check --help`, is click's.

One module per command (group): `check`, `inventory`, `report`, `catalogue` (rules, explain,
schema); `common` holds what they share. A command's module is imported only when that command runs
(`group.LazyGroup`): `stagelint check` does not build the options of `inventory` and `report`.
`stagelint --help` lists every command from `COMMANDS`' short help, kept as data
(tests/test_cli_lazy.py checks it against each docstring).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main() -> None:
    """Entry point: a plain `check` command line runs without click (`check_arguments.plain_check`),
    any other goes to click (`group.run_click`, which maps click's own exits to our codes); either way
    no traceback ever escapes."""
    from stagelint.cli.check_arguments import plain_check
    from stagelint.cli.common import EXIT_CONFIG, say

    try:
        options = plain_check(sys.argv[1:])
        if options is None:
            from stagelint.cli.group import run_click

            run_click()
        else:
            _run_plain(options)
    except SystemExit:
        raise
    except KeyboardInterrupt:  # Ctrl-C (click turns most into Abort)
        say("stagelint: aborted")
        sys.exit(130)
    except BrokenPipeError:
        os._exit(1)  # the reader went away (`stagelint check | head`): nothing left to tell anyone
    except Exception as error:
        if os.environ.get("STAGELINT_DEBUG"):
            raise
        say(f"stagelint: internal error: {type(error).__name__}: {error} "
            "(set STAGELINT_DEBUG=1 for details, and please report it)")
        sys.exit(EXIT_CONFIG)
    sys.exit(0)


def _run_plain(options: dict[str, Any]) -> None:
    from stagelint.cli.check_run import run_check
    from stagelint.cli.common import say

    try:
        run_check(**options)
    except (EOFError, KeyboardInterrupt):
        say("")  # as click's main ends the line first
        say("stagelint: aborted")
        sys.exit(130)


def __getattr__(name: str) -> Any:
    """The click group (`cli`, `COMMANDS`, `LazyGroup`), imported when it is asked for: a plain `check`
    never builds it."""
    if name in ("cli", "COMMANDS", "LazyGroup"):
        from stagelint.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
