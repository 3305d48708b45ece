"""The run's configuration: a frozen, picklable value the CLI and the Python API build.

Selection, severities and per-file ignores are interpreted by `style_guide`; decoding options by
the decoders. Reading configuration files (`pyproject.toml`, `.stagelint.toml`) lives in
`config_files` so that a run with no config file imports nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stagelint.findings import Severity
from stagelint.limits import DEFAULT_LIMITS, Limits


class ConfigError(Exception):
    """A configuration or usage error: one line for the user, exit code 3."""


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """What decoders may be told beyond the file itself: limits, Terraform variables, CloudFormation
    parameters. Frozen and made of plain data, so it can be sent to worker processes."""

    limits: Limits = DEFAULT_LIMITS
    # Terraform: extra `.tfvars` files (--var-file) and `--var NAME=VALUE` pairs, applied in that order.
    terraform_var_files: tuple[str, ...] = ()
    terraform_vars: tuple[tuple[str, str], ...] = ()
    # CloudFormation: `--parameter Key=Value` pairs and parameter files (JSON list or mapping).
    cloudformation_parameters: tuple[tuple[str, str], ...] = ()
    cloudformation_parameter_files: tuple[str, ...] = ()


DEFAULT_OPTIONS = DecodeOptions()


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
