"""The run's configuration: a frozen, picklable value the CLI and the Python API build.

Selection, severities and per-file ignores are interpreted by `style_guide`; decoding options by
the decoders. Reading configuration files (`pyproject.toml`, `.stagelint.toml`) lives in
`config_files` so that a run with no config file imports nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stagelint.decoders.options import DEFAULT_OPTIONS, DecodeOptions
from stagelint.findings import Severity


class ConfigError(Exception):
    """A configuration or usage error: one line for the user, exit code 3."""


@dataclass(frozen=True)
class Config:
    """The settings of one run (command line and configuration file merged)."""

    select: tuple[str, ...] = ()  # empty: every rule enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR  # None: never fail on findings
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    decode: DecodeOptions = DEFAULT_OPTIONS
    jobs: int = 0  # 0: all cores (the engine still stays serial for small inputs)
    respect_gitignore: bool = True
    root: str = "."  # where the configuration was found; relative globs are anchored here


DEFAULT_CONFIG = Config()
