"""`check --show-settings` and `check --show-files`: what a run would use, without running it.

`--show-settings` prints the effective configuration (defaults, then the configuration file, then
the command line) as the keys a configuration file takes, so the output can be pasted into one, and
names the file it came from. `--show-files` lists every file that would be linted and every path left
out, with the reason (a walk's file types, `exclude`, build output, `.gitignore`), as ruff does.
"""

from __future__ import annotations

import json
from typing import Any

from stagelint.config import Config


def _value(value: Any) -> str:
    """A TOML value: JSON's spelling of strings, numbers, booleans and arrays is TOML's too."""
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(str(key))} = {_value(item)}" for key, item in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def show_settings(config: Config, source: str | None, how: str, formats: tuple[str, ...]) -> str:
    """The effective settings as configuration-file keys, after a comment naming where they came from."""
    from stagelint.limits import MIB
    from stagelint.registry import load_rules
    from stagelint.style_guide import StyleGuide

    limits = config.decode.limits
    size = limits.max_file_bytes / MIB
    settings: list[tuple[str, Any]] = [
        ("select", config.select), ("extend-select", config.extend_select), ("ignore", config.ignore),
        ("fail-on", config.fail_on.value if config.fail_on is not None else "never"),
        ("severity", {key: level.value for key, level in config.severity_overrides.items()}),
        ("per-file-ignores", {pattern: codes for pattern, codes in config.per_file_ignores}),
        ("exclude", config.exclude), ("force-exclude", config.force_exclude),
        ("max-file-size", int(size) if size == int(size) else size),
        ("timeout", limits.max_seconds_per_file),
        ("jobs", config.jobs),
        ("var-files", config.decode.terraform_var_files),
        ("respect-gitignore", config.respect_gitignore),
        ("format", formats),
        ("rules", {rule: dict(options) for rule, options in config.rule_options.items()}),
        ("environments", {"mapping": dict(config.environments.words), "tag-keys": config.environments.tag_keys,
                          "paths": dict(config.environments.paths)}),
    ]
    origin = f"{source} ({how})" if source is not None else f"no configuration file ({how}): defaults"
    guide = StyleGuide.build(config, load_rules())
    lines = [f"# Settings from {origin}, then the command line.",
             f"# Rules that run: {', '.join(sorted(guide.enabled))}."]
    lines += [f"{key} = {_value(value)}" for key, value in settings]
    return "\n".join(lines) + "\n"


def show_files(paths: tuple[str, ...], config: Config) -> str:
    """Every file that would be linted, then every path left out with the reason, sorted by path."""
    import os

    from stagelint.discovery import discover, display_path, ignored_by_git

    skipped: list[str] = []
    why: dict[str, str] = {}
    partial: dict[str, str] = {}
    files = discover(paths, config, skipped, why, partial=partial)
    for directory in skipped:
        why[directory + "/"] = "build output or a tool's cache; name it on the command line to lint it"
    if config.respect_gitignore:
        for given in paths:
            if os.path.isdir(given) and (ignored := ignored_by_git(given)) is not None:
                for path in ignored:
                    why.setdefault(path, "ignored by .gitignore; --no-gitignore lints it")
    lines = [f"{path}" for path in files]
    lines += [f"{path}  (skipped: {reason})" for path, reason in sorted(why.items())
              if path.rstrip("/") not in files and display_path(path) not in files]
    lines.append(f"# {len(files)} file(s) would be linted; {len(lines) - len(files)} path(s) skipped. "
                 "A file whose content holds no stage is skipped when it is read (--verbose says so).")
    lines += [f"# {path} applied only in part: {what}" for path, what in sorted(partial.items())]
    return "\n".join(lines) + "\n"
