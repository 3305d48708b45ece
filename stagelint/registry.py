"""Finding and indexing rules.

Every rule — built-in or third-party — comes through the entry-point group `stagelint.rules`
(flake8's way), so the plugin path is the one our own rules use. An entry point names a module that
is either a rule module (it has `ID`) or a package whose `RULES` tuple lists rule modules (yamllint's
explicit table; ours is `stagelint.rules`).

Scanning installed distributions costs tens of milliseconds (`importlib.metadata` alone ~40-80 ms),
which a pre-commit hook would pay on every commit. The scan's result is cached on disk, keyed by the
interpreter and the modification times of every `sys.path` directory: installing, removing or
upgrading a distribution changes its site-packages directory, which invalidates the cache.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

from stagelint.findings import Severity
from stagelint.rule_api import REQUIRED_SECTIONS, RuleDoc, parse_doc

GROUP = "stagelint.rules"
BUILTIN_MODULE = "stagelint.rules"
_ID = re.compile(r"^[A-Z]{1,5}[0-9]{1,4}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PRECISIONS = ("very-high", "high", "medium", "low")
# Where scripts/rule_docs.py's pages are published (the repository's docs/rules/ folder).
DOCS_URI = "https://github.com/stagelint/stagelint/blob/main/docs/rules"


class RegistryError(Exception):
    """A plugin failed to load, or two rules claim one id or name (exit code 3)."""


@dataclass(frozen=True)
class RuleSpec:
    """A loaded rule module, indexed by id and name."""

    id: str
    name: str
    default_severity: Severity
    module: ModuleType
    plugin: str  # the entry point's name (`builtin` for ours)

    @cached_property
    def doc(self) -> RuleDoc:
        return parse_doc(self.module.__doc__)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "TAGS", ()))

    @property
    def security_severity(self) -> float | None:
        value = getattr(self.module, "SECURITY_SEVERITY", None)
        return None if value is None else float(value)

    @property
    def precision(self) -> str:
        """How often a finding is right (SARIF `precision`: very-high, high, medium or low). A rule reports
        only values it knows, so `very-high` unless the module says otherwise (`PRECISION`)."""
        value = getattr(self.module, "PRECISION", "very-high")
        return value if value in PRECISIONS else "very-high"

    @property
    def help_uri(self) -> str | None:
        """The rule's documentation page: docs/rules/SLxxx.md for ours, a plugin's own `HELP_URI`."""
        explicit = getattr(self.module, "HELP_URI", None)
        if isinstance(explicit, str) and explicit:
            return explicit
        return f"{DOCS_URI}/{self.id}.md" if self.plugin == "builtin" else None

    @property
    def enabled_by_default(self) -> bool:
        return bool(getattr(self.module, "ENABLED_BY_DEFAULT", True))


class RuleSet:
    def __init__(self, specs: Iterable[RuleSpec]) -> None:
        self.rules: tuple[RuleSpec, ...] = tuple(sorted(specs, key=lambda spec: spec.id))
        self._by_key: dict[str, RuleSpec] = {}
        for spec in self.rules:
            for key in (spec.id, spec.name):
                other = self._by_key.get(key)
                if other is not None:
                    raise RegistryError(
                        f"rule {key!r} is defined twice: by plugin {other.plugin!r} ({other.module.__name__}) "
                        f"and by plugin {spec.plugin!r} ({spec.module.__name__})"
                    )
                self._by_key[key] = spec

    def get(self, key: str) -> RuleSpec | None:
        return self._by_key.get(key) or self._by_key.get(key.upper())

    def keys(self) -> list[str]:
        return sorted(self._by_key)


def validate_rule(module: ModuleType, plugin: str) -> RuleSpec:
    """Check a module has the shape of a rule; a plugin that does not is refused with a clear message."""
    where = f"rule module {module.__name__} (plugin {plugin!r})"
    rule_id = getattr(module, "ID", None)
    name = getattr(module, "NAME", None)
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RegistryError(f"{where}: ID must look like 'SL102' (letters then digits), got {rule_id!r}")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistryError(f"{where}: NAME must be kebab-case, got {name!r}")
    if not callable(getattr(module, "check", None)):
        raise RegistryError(f"{where}: has no check(stage, options) function")
    try:
        severity = Severity.parse(str(getattr(module, "DEFAULT_SEVERITY", "")))
    except ValueError as error:
        raise RegistryError(f"{where}: {error}") from None
    doc = parse_doc(module.__doc__)
    missing = [section for section in REQUIRED_SECTIONS if not doc.section(section)]
    if missing:
        raise RegistryError(f"{where}: docstring lacks section(s) {', '.join(missing)}")
    return RuleSpec(rule_id, name, severity, module, plugin)


def _cache_dir() -> str:
    explicit = os.environ.get("STAGELINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "stagelint")


def _environment_key() -> str:
    parts = [sys.executable, sys.version]
    working_directory = os.getcwd()
    for entry in sys.path:
        if entry in ("", ".") or entry == working_directory:
            # `python -m stagelint` puts the working directory first on sys.path. Distributions are
            # installed into site-packages (editable ones too, through a .pth or finder there), so the
            # working directory's mtime would only make every run in a changing folder rescan.
            continue
        try:
            parts.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}:-")
    # The key is stored as it is, not hashed: hashlib loads OpenSSL (~3 ms), pathlib ~5 ms, and a
    # pre-commit hook pays every millisecond of start-up on every commit.
    return "\n".join(parts)


def _trusted_path() -> list[str]:
    """`sys.path` without the working directory. `python -m stagelint` puts it first, and a checkout
    being linted is not trusted: a `*.dist-info/entry_points.txt` or a module in it must never be
    imported as a rule plugin. Plugins are installed distributions (site-packages, PYTHONPATH)."""
    working_directory = os.path.realpath(os.getcwd())
    trusted = []
    for entry in sys.path:
        if entry in ("", "."):
            continue
        try:
            if os.path.realpath(entry) == working_directory:
                continue
        except (OSError, ValueError):
            continue
        trusted.append(entry)
    return trusted


def _read_cache(cache_file: str, key: str) -> list[tuple[str, str]] | None:
    """The cached entry points, or None when the cache is missing, stale or corrupt in any way
    (`[]`, `null`, truncated, wrong shapes): then it is rebuilt, never an error."""
    try:
        with open(cache_file, encoding="utf-8") as handle:
            cached = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    entries = cached.get("entry_points")
    if not isinstance(entries, list) or not all(
            isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
            for entry in entries):
        return None
    return [(name, value) for name, value in entries]


def discover_entry_points(use_cache: bool = True) -> list[tuple[str, str]]:
    """(name, module) for every entry point in the group, sorted; cached as described above."""
    key = _environment_key()
    import zlib

    directory = _cache_dir()
    cache_file = os.path.join(directory, f"entry-points-{zlib.crc32(sys.executable.encode()):08x}.json")
    if use_cache:
        cached = _read_cache(cache_file, key)
        if cached is not None:
            return cached
    from importlib.metadata import distributions

    found_set: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for distribution in distributions(path=_trusted_path()):
        # The first of a name on the path wins, as in `importlib.metadata.entry_points()`.
        name = getattr(distribution, "_normalized_name", None) or str(distribution.metadata["Name"])
        if name in seen:
            continue
        seen.add(name)
        found_set.update((entry.name, entry.value) for entry in distribution.entry_points if entry.group == GROUP)
    found = sorted(found_set)
    if use_cache:
        try:
            os.makedirs(directory, exist_ok=True)
            temporary = f"{cache_file}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "entry_points": found}, handle)
            os.replace(temporary, cache_file)
        except OSError:
            pass  # a read-only home only costs the scan
    return found


def _import_trusted(name: str) -> ModuleType:
    """Import a plugin module with the working directory off `sys.path`, so that a file in the
    checkout being linted cannot stand in for an installed plugin."""
    saved = list(sys.path)
    sys.path[:] = _trusted_path()
    try:
        return importlib.import_module(name)
    finally:
        sys.path[:] = saved


def _rule_modules(module: ModuleType) -> list[ModuleType]:
    if hasattr(module, "ID"):
        return [module]
    listed = getattr(module, "RULES", None)
    if listed is None:
        raise RegistryError(f"{module.__name__} is neither a rule module (no ID) nor lists RULES")
    return list(listed)


_loaded: dict[bool, RuleSet] = {}


def load_rules(use_cache: bool = True) -> RuleSet:
    """Every rule, loaded once per process (the engine and the formatters both ask)."""
    loaded = _loaded.get(use_cache)
    if loaded is None:
        loaded = _loaded[use_cache] = _load_rules(use_cache)
    return loaded


def _load_rules(use_cache: bool) -> RuleSet:
    specs: list[RuleSpec] = []
    entry_points = discover_entry_points(use_cache)
    if not any(value.split(":")[0] == BUILTIN_MODULE for _, value in entry_points):
        # Running from a source tree that is not installed: the built-in table is still ours.
        entry_points = [("builtin", BUILTIN_MODULE), *entry_points]
    for plugin, value in entry_points:
        module_name, _, attribute = value.partition(":")
        try:
            loaded = _import_trusted(module_name.strip())
            if attribute:
                loaded = getattr(loaded, attribute.strip())
        except (Exception, SystemExit) as error:  # a broken plugin must not produce a traceback, or exit
            raise RegistryError(
                f"plugin {plugin!r} ({value}) failed to load: {type(error).__name__}: {error}"
            ) from None
        for rule_module in _rule_modules(loaded):
            specs.append(validate_rule(rule_module, plugin))
    return RuleSet(specs)
