"""`stagelint check - --stdin-filename infra/api.yaml`: lint an editor's buffer from stdin.

The file name decides the format (and, for a `.tf` file, the module directory whose sibling files
give variables and method settings), appears in every finding, and is matched by `per-file-ignores`
and, with `--force-exclude` (what editor integrations pass), by `exclude`, as ruff does. The file
need not exist on disk; when it does, the text from stdin is linted instead of it.
"""

from __future__ import annotations

import sys

from stagelint.cli.common import fail


def stdin_paths(paths: tuple[str, ...], stdin_filename: str | None) -> tuple[str, ...] | None:
    """The paths to lint when stdin is read (the one --stdin-filename), or None when it is not."""
    if "-" not in paths and not (stdin_filename is not None and not paths):
        if stdin_filename is not None:
            fail("--stdin-filename names the text read from stdin: give `-` as the only path (or none)")
        return None
    if paths not in (("-",), ()):
        fail("`-` (stdin) cannot be combined with other paths")
    if not stdin_filename:
        fail("reading stdin (`-`) needs --stdin-filename PATH: its name decides the format and appears "
             "in the findings")
    return (stdin_filename,)


def read_stdin(path: str) -> tuple[tuple[str, bytes], ...]:
    """stdin's bytes as the content of `path` (a display path), for `DecodeOptions.sources`."""
    from stagelint.discovery import display_path

    return ((display_path(path), sys.stdin.buffer.read()),)
