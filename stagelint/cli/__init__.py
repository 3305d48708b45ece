"""The command line: `stagelint check|rules|explain|schema|inventory|report`.

Exit codes: 0 clean (or nothing at or above --fail-on); 1 findings at or above --fail-on; 2 some input
could not be read or parsed (everything else is still linted); 3 usage, configuration or internal
error. No traceback reaches the user (set STAGELINT_DEBUG=1 to see one).

The engine, decoders and formatters are imported inside the commands, so `--version` and a
pre-commit run on one file pay only for what they use. One module per command (group):
`check`, `inventory`, `report`, `catalogue` (rules, explain, schema); `common` holds what they share.
A command's module is imported only when that command runs (`LazyGroup`): `stagelint check` does not
build the options of `inventory` and `report`. `stagelint --help` lists every command from
`COMMANDS`' short help, kept as data (tests/test_cli_lazy.py checks it against each docstring).
"""

from __future__ import annotations

from stagelint.cli.group import COMMANDS, LazyGroup, cli, main

__all__ = ["COMMANDS", "LazyGroup", "cli", "main"]
