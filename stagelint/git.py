"""Asking git, the one way every caller does it: a linted repository's own configuration must not make
us run its commands, and git must never wait for input or fail the run.

`core.fsmonitor` is switched off (a repository's `.git/config` can name a hook program that index
commands run), there is no credential prompt, no optional lock, no stdin, C-locale messages (callers
parse git's warnings) and a time limit. Any failure to run git is None: callers treat that as "not in
a work tree" and go on without it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

GIT_SECONDS = 30


def run_git(directory: str, *arguments: str) -> subprocess.CompletedProcess[bytes] | None:
    """`git -C DIRECTORY ARGUMENTS…` with its output captured, or None when git cannot be run."""
    # Imported here: only a directory walk or a CI format asks git, and a single-file pre-commit run
    # should not pay for subprocess (and its selectors, signal, …) at start-up.
    import subprocess

    environment = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        return subprocess.run(["git", "-c", "core.fsmonitor=false", "-C", directory, *arguments],
                              capture_output=True, timeout=GIT_SECONDS, check=False, stdin=subprocess.DEVNULL,
                              env=environment)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
