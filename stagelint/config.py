"""The run's configuration: a frozen, picklable value the CLI and the Python API build.

Selection, severities and per-file ignores are interpreted by `style_guide`; decoding options by
the decoders. Reading configuration files (`pyproject.toml`, `.stagelint.toml`) lives in
`config_files` so that a run with no config file imports nothing for it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from stagelint.environments import DEFAULT_SETTINGS, EnvironmentSettings
from stagelint.findings import Severity
from stagelint.limits import DEFAULT_LIMITS, Limits
from stagelint.pricing import DEFAULT_REGION
from stagelint.records import dataclass, field


class ConfigError(Exception):
    """A configuration or usage error: one line for the user, exit code 3."""


K = TypeVar("K")
V = TypeVar("V")


def _canonical(value: Any) -> str:
    """One spelling per value, whatever the order its mappings were written in."""
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{key!r}:{_canonical(item)}" for key, item in value.items())) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    return repr(value)


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping, so that `Config` is a value: equal configs are one cache key
    (the run's prepared rules are cached by Config; an `id()` key once picked the wrong rules).

    Values are deep-copied on the way in, so nothing outside can change them afterwards; the hash is
    taken over a canonical spelling, since option values may be lists (TOML arrays).
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = copy.deepcopy(dict(data or {}))
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(_canonical(self._data))
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self._data == dict(other.items())

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to worker processes
        return (FrozenMap, (self._data,))


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
    # Contents given instead of a file on disk, by display path: stdin with `--stdin-filename` (an
    # editor's unsaved buffer). Read through the same limits and decoders as the file would be.
    sources: tuple[tuple[str, bytes], ...] = ()

    def source(self, path: str) -> bytes | None:
        """The content given for `path` instead of the file on disk, or None."""
        return next((data for given, data in self.sources if given == path), None)

    # Terraform: directories a local module call may be followed into besides the working directory
    # (the run's paths, absolute): nothing outside what the run was pointed at is read.
    module_roots: tuple[str, ...] = ()
    # Whether the notes that list each stage's unknown values are made (what `--verbose` says was
    # skipped, and why): `check` shows notes only with --verbose. Other notes are made either way.
    notes: bool = True


DEFAULT_OPTIONS = DecodeOptions()


@dataclass(frozen=True)
class Config:
    """The settings of one run (command line and configuration file merged)."""

    select: tuple[str, ...] = ()  # empty: every rule enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR  # None: never fail on findings
    severity_overrides: Mapping[str, Severity] = field(default_factory=FrozenMap)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=FrozenMap)
    decode: DecodeOptions = DEFAULT_OPTIONS
    jobs: int = 0  # 0: all cores (the engine still stays serial for small inputs)
    respect_gitignore: bool = True
    root: str = "."  # where the configuration was found; relative globs are anchored here
    # `--baseline`: findings recorded there are reported as suppressed (`style_guide.apply_baseline`).
    baseline_file: str | None = None
    # `[tool.stagelint.environments]`: how stages are classified prod/staging/dev/unknown.
    environments: EnvironmentSettings = DEFAULT_SETTINGS
    # `--region`: the Region whose prices (and account throttling quotas) apply to stages that do not say.
    region: str = DEFAULT_REGION
    # The configuration file's `format` (FMT or FMT:FILE each, as `--format` takes them): what the CLI
    # prints when no --format is given. The API renders nothing, so it only carries the value.
    formats: tuple[str, ...] = ()
    # Whether each file's result carries its stages' summaries (`report.StageSummary`: what the audit's
    # inventory and HTML report show, and `Report.stages`), or only how many there are: `check` shows
    # only the count, and summarising a big template's 10,000 stages took a tenth of its run.
    stage_summaries: bool = True
    # Whether findings carry their fingerprints (`findings.fingerprint`): JSON, SARIF, GitLab and
    # baselines read them, the text formats do not (a baseline given to the run is always matched).
    fingerprints: bool = True

    def __post_init__(self) -> None:
        # A str is a sequence of characters: `select="SL1"` would select S, L and 1.
        for name in ("select", "extend_select", "ignore", "exclude"):
            if isinstance(getattr(self, name), str):
                raise ConfigError(f"Config({name}=...) takes a tuple of strings, not one string: "
                                  f"write {name}=({getattr(self, name)!r},)")
        # Plain dicts given by callers become read-only values, keeping Config hashable.
        for name in ("severity_overrides", "rule_options"):
            value = getattr(self, name)
            if not isinstance(value, FrozenMap):
                object.__setattr__(self, name, FrozenMap(value))

