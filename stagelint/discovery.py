"""Which files a run lints: explicit paths as given, directories walked.

A walk skips `.git`, `.terraform`, `node_modules`, `.venv` (and other virtualenv/cache folders) and
whatever `.gitignore` ignores. Inside a git work tree git itself answers (`git ls-files --others
--cached --exclude-standard`: exact, and fast); elsewhere the walk honours the `.gitignore` files it
meets with git's own rules (through pathspec), within bounds.

A directory named on the command line is always walked, even when it is build output or ignored
(`stagelint check cdk.out`, `.aws-sam`): the user asked for it. Build output skipped inside a walk is
recorded (`skipped`), for `--verbose` to say.
"""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Any

from stagelint.config import Config, ConfigError
from stagelint.decoders import format_for
from stagelint.git import run_git

SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "venv",
                                 "__pycache__", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                                 ".aws-sam", "cdk.out"})


def display_path(path: str) -> str:
    """Relative to the working directory with `/` separators when inside it; as given otherwise."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    inside = absolute == cwd or absolute.startswith(cwd + os.sep)
    relative = os.path.relpath(absolute, cwd) if inside else absolute
    return relative.replace(os.sep, "/")


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """ruff/flake8-style excludes: a glob matches the whole path or any of its components."""
    return matching_exclude(path, patterns) is not None


def matching_exclude(path: str, patterns: tuple[str, ...]) -> str | None:
    """The first exclude glob that matches `path` (see `is_excluded`), or None."""
    if not patterns:
        return None
    parts = tuple(part for part in path.split("/") if part)
    for pattern in patterns:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*"):
            return pattern
        if any(fnmatch.fnmatch(part, pattern.rstrip("/")) for part in parts):
            return pattern
    return None


def discover(paths: tuple[str, ...], config: Config, skipped: list[str] | None = None,
             why: dict[str, str] | None = None, unreadable: dict[str, str] | None = None,
             partial: dict[str, str] | None = None) -> list[str]:
    """Display paths of every file to lint, sorted and de-duplicated. Raises ConfigError for a missing path.
    `skipped` receives the display paths of the build-output and cache directories a walk left out;
    `why`, when given, every other path left out and the reason (`--show-files`); `unreadable` the
    directories a walk could not open, with why (each is an SL000 for that path); `partial` the
    `.gitignore` files a walk outside git applied only in part, with what was left out of them."""
    found: set[str] = set()
    left_out: set[str] = set()
    reasons: dict[str, str] = {} if why is None else why
    closed: dict[str, str] = {}
    trimmed: dict[str, str] = {}
    for given in paths:
        if config.decode.source(display_path(given)) is not None:  # stdin, named by --stdin-filename
            shown = display_path(given)
            if not (config.force_exclude and is_excluded(shown, config.exclude)):
                found.add(shown)
            continue
        if not os.path.lexists(given):
            raise ConfigError(f"path does not exist: {given}")
        if os.path.isdir(given):
            for path in _walk(given, config, left_out, closed, trimmed):
                shown = display_path(path)
                if format_for(shown) is None:
                    if why is not None:
                        reasons[shown] = "not a file type stagelint reads"
                elif (pattern := matching_exclude(shown, config.exclude)) is not None:
                    reasons[shown] = f"excluded by `{pattern}`"
                else:
                    found.add(shown)
        else:
            shown = display_path(given)
            pattern = matching_exclude(shown, config.exclude) if config.force_exclude else None
            if pattern is not None:
                reasons[shown] = f"excluded by `{pattern}` (--force-exclude)"
                continue
            found.add(shown)
    if skipped is not None:
        skipped.extend(sorted(display_path(directory) for directory in left_out))
    if unreadable is not None:
        for directory, reason in closed.items():
            shown = display_path(directory)
            if not is_excluded(shown, config.exclude):
                unreadable[shown] = reason
    if partial is not None:
        partial.update((display_path(path), what) for path, what in trimmed.items())
    return sorted(found)


def ignored_by_git(directory: str) -> list[str] | None:
    """Display paths of what git ignores under `directory` (a wholly ignored directory once, ending in
    `/`), or None outside a git work tree: what `--show-files` says .gitignore left out."""
    completed = run_git(directory, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
    if completed is None or completed.returncode != 0:
        return None
    entries = completed.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted(display_path(os.path.join(directory, entry)) + ("/" if entry.endswith("/") else "")
                  for entry in entries if entry)


def is_build_output(directory: str) -> bool:
    """A directory a walk leaves out by name (`cdk.out`, `.aws-sam`, `node_modules`, …)."""
    return os.path.basename(os.path.abspath(directory)) in SKIPPED_DIRECTORIES


def _walk(directory: str, config: Config, left_out: set[str], closed: dict[str, str],
          trimmed: dict[str, str]) -> list[str]:
    if config.respect_gitignore and not is_build_output(directory):
        listed = _git_files(directory, left_out, closed)
        if listed is not None and (listed or not _git_ignored(directory)):
            return listed
    # Named build output, or a directory git ignores as a whole: walked with the .gitignore files
    # inside it only, since the user named it.
    return _walk_with_gitignore(directory, config.respect_gitignore, left_out, closed, trimmed)


def _git_ignored(directory: str) -> bool:
    completed = run_git(directory, "check-ignore", "-q", ".")
    return completed is not None and completed.returncode == 0


# git's warning for a directory it cannot open (LC_ALL=C: untranslated); its files are not listed.
_GIT_CLOSED = r"(?m)^warning: could not open directory '(.*)/?': (.*)$"  # compiled when git has spoken


def _git_files(directory: str, left_out: set[str], closed: dict[str, str]) -> list[str] | None:
    completed = run_git(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if completed is None or completed.returncode != 0:
        return None
    for match in re.finditer(_GIT_CLOSED, completed.stderr.decode("utf-8", "surrogateescape")):
        parts = match.group(1).rstrip("/").split("/")
        if not any(part in SKIPPED_DIRECTORIES for part in parts):  # a walk would not have gone there
            closed[os.path.join(directory, *parts)] = f"directory not read: {match.group(2).lower()}"
    files = []
    for entry in completed.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        parts = entry.split("/")
        skipped_at = next((index for index, part in enumerate(parts[:-1]) if part in SKIPPED_DIRECTORIES), None)
        if skipped_at is not None:
            left_out.add(os.path.join(directory, *parts[:skipped_at + 1]))
            continue
        path = os.path.join(directory, *parts)
        if os.path.isfile(path):  # deleted-but-tracked files and submodule directories are listed too
            files.append(path)
    return files


def _walk_with_gitignore(directory: str, respect_gitignore: bool, left_out: set[str],
                         closed: dict[str, str], trimmed: dict[str, str]) -> list[str]:
    files: list[str] = []
    # (base directory, its .gitignore) pairs inherited from parent directories, outermost first.
    stack: list[tuple[str, list[tuple[str, Any]]]] = [(directory, [])]
    seen: set[tuple[int, int]] = set()
    while stack:
        current, inherited = stack.pop()
        try:
            status = os.stat(current)
        except OSError:
            continue
        if (status.st_dev, status.st_ino) in seen:  # symlink loops
            continue
        seen.add((status.st_dev, status.st_ino))
        patterns = list(inherited)
        if respect_gitignore:
            spec = _read_gitignore(os.path.join(current, ".gitignore"), trimmed)
            if spec is not None:
                patterns.append((current, spec))
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            closed[current] = f"directory not read: {(error.strerror or str(error)).lower()}"
            continue
        for entry in entries:
            try:
                is_directory = entry.is_dir()
                # Only regular files: a FIFO would block the read forever, a device is no config.
                is_file = not is_directory and entry.is_file()
                is_real_directory = is_directory and entry.is_dir(follow_symlinks=False)
            except OSError:  # a symlink to itself (ELOOP), an entry removed during the walk…
                continue
            if _ignored(entry.path, is_directory, patterns):
                continue
            if is_real_directory:
                if entry.name not in SKIPPED_DIRECTORIES:
                    stack.append((entry.path, patterns))
                else:
                    left_out.add(entry.path)
            elif is_file:
                files.append(entry.path)
    return files


# Outside git, .gitignore files are read with bounds: what a repository keeps there is far below
# these, and a hostile one cannot make discovery (which has no time limit) take minutes.
MAX_GITIGNORE_BYTES = 256 * 1024
MAX_GITIGNORE_PATTERNS = 2_000


def _read_gitignore(path: str, trimmed: dict[str, str]) -> Any:
    """The file's patterns with git's own semantics (pathspec's GitIgnoreSpec: anchored `/x`, `**/`,
    `a/**/b`, negation, escapes, trailing spaces), or None when there is no such file. Imported here
    only: inside a git work tree git itself answers. What the bounds or pathspec left out of the file
    goes into `trimmed` (path -> what), for `--verbose`: a pattern not applied may lint a file git
    ignores, and a negation not applied may leave out one it keeps."""
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            data = handle.read(MAX_GITIGNORE_BYTES + 1)
    except OSError:
        return None
    import pathspec

    left_out: list[str] = []
    if len(data) > MAX_GITIGNORE_BYTES:
        data = data[:MAX_GITIGNORE_BYTES]
        left_out.append(f"only its first {MAX_GITIGNORE_BYTES // 1024} KiB read")
    lines = data.decode("utf-8", "replace").splitlines()
    patterns = [line for line in lines if line.strip() and not line.startswith("#")]
    if len(patterns) > MAX_GITIGNORE_PATTERNS:
        left_out.append(f"{len(patterns) - MAX_GITIGNORE_PATTERNS:,} pattern(s) beyond the first "
                        f"{MAX_GITIGNORE_PATTERNS:,} not applied")
        patterns = patterns[:MAX_GITIGNORE_PATTERNS]
    spec = None
    if patterns:
        try:
            spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        except (ValueError, TypeError):  # pathspec refuses a pattern git would not match anything with
            valid = [pattern for pattern in patterns if _valid(pattern)]
            left_out.append(f"{len(patterns) - len(valid):,} pattern(s) not understood, not applied")
            spec = pathspec.GitIgnoreSpec.from_lines(valid) if valid else None
    if left_out:
        trimmed[path] = "; ".join(left_out)
    return spec


def _valid(pattern: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except (ValueError, TypeError):
        return False
    return True


def _ignored(path: str, is_directory: bool, patterns: list[tuple[str, Any]]) -> bool:
    """As git decides: the deepest .gitignore with a pattern matching the path wins, and within it
    the last matching pattern (a negation re-includes)."""
    for base, spec in reversed(patterns):
        relative = os.path.relpath(path, base).replace(os.sep, "/") + ("/" if is_directory else "")
        verdict = spec.check_file(relative).include
        if verdict is not None:
            return bool(verdict)
    return False
