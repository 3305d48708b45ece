"""Paths as GitHub (and GitLab) resolve them: relative to the repository root.

Findings carry paths relative to the working directory, which is what a terminal and an editor want.
Code scanning resolves a SARIF URI against the repository root, and so do workflow annotations, so a
step with `working-directory: infra` would otherwise point every alert at a file that does not exist.
The CI formats therefore rebase paths on the project root: `--project-root`, else the git top level of
the working directory, else the working directory itself.
"""

from __future__ import annotations

import os


def git_top_level(directory: str = ".") -> str | None:
    """`git rev-parse --show-toplevel`, or None outside a work tree (or without git)."""
    from stagelint.git import run_git  # only the CI formats ask: a text run never pays for it

    completed = run_git(directory, "rev-parse", "--show-toplevel")
    if completed is None or completed.returncode != 0:
        return None
    return completed.stdout.decode("utf-8", "surrogateescape").strip() or None


def project_root(explicit: str | None) -> str:
    """The directory CI paths are relative to, absolute and with symlinks resolved."""
    return os.path.realpath(explicit or git_top_level() or os.getcwd())


def rebase(path: str, root: str | None) -> str:
    """`path` (relative to the working directory, or absolute) relative to `root`, with `/` separators;
    a path outside `root` comes back absolute. With no root, the path is returned as it is."""
    if root is None:
        return path
    absolute = os.path.normpath(os.path.join(os.getcwd(), path))
    for candidate in (absolute, os.path.realpath(absolute)):
        relative = os.path.relpath(candidate, root)
        if relative != ".." and not relative.startswith(".." + os.sep):
            return relative.replace(os.sep, "/")
    return absolute.replace(os.sep, "/")
