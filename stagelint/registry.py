"""Finding and indexing rules.

The built-in rules are the static table `stagelint.rules.RULES`, imported directly. Third-party rules
come through the entry-point group `stagelint.rules` (flake8's way). An entry point names a module that
is either a rule module (it has `ID`) or a package whose `RULES` tuple lists rule modules (yamllint's
explicit table, the shape of ours); the built-in package's own entry point is skipped, it is loaded anyway.

Finding plugins must stay off a pre-commit hook's path: `importlib.metadata` alone costs 20–30 ms
to import. So the scan reads the `entry_points.txt` of each `*.dist-info` / `*.egg-info` directory on
the trusted `sys.path` itself (~1 ms on a cache miss: fresh CI containers, pre-commit.ci), and its
result is cached on disk, keyed by the interpreter and the modification times of every `sys.path`
directory: installing, removing or upgrading a distribution changes its site-packages directory,
which invalidates the cache. The cache keeps a few keys per interpreter, so two callers of one
interpreter with different `sys.path` (one with PYTHONPATH set) do not rescan in turn.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from collections.abc import Iterable
from functools import cached_property
from types import ModuleType

from stagelint.findings import Severity
from stagelint.records import dataclass
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


def validate_rule(module: ModuleType, plugin: str, check_doc: bool = True) -> RuleSpec:
    """Check a module has the shape of a rule; a plugin that does not is refused with a clear message.
    The built-in rules skip the docstring check (`check_doc=False`, ~2 ms a run): tests/test_rule_docs.py
    checks their docs."""
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
    if check_doc:
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


def _read_cache(environments: list[dict[str, object]], key: str) -> list[tuple[str, str]] | None:
    """The cached entry points for `key`, or None when they are missing, stale or corrupt in any way
    (`[]`, `null`, truncated, wrong shapes): then they are rebuilt, never an error."""
    cached = next((entry for entry in environments if entry.get("key") == key), None)
    entries = cached.get("entry_points") if cached is not None else None
    if not isinstance(entries, list) or not all(
            isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
            for entry in entries):
        return None
    return [(name, value) for name, value in entries]


CACHED_KEYS = 4  # environments remembered per interpreter (the most recent first)


def _cache_entries(cache_file: str) -> list[dict[str, object]]:
    try:
        with open(cache_file, encoding="utf-8") as handle:
            cached = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return []
    entries = cached.get("environments") if isinstance(cached, dict) else None
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def discover_entry_points(use_cache: bool = True) -> list[tuple[str, str]]:
    """(name, module) for every entry point in the group, sorted; cached as described above."""
    key = _environment_key()
    import zlib

    directory = _cache_dir()
    cache_file = os.path.join(directory, f"entry-points-{zlib.crc32(sys.executable.encode()):08x}.json")
    environments = _cache_entries(cache_file) if use_cache else []
    if use_cache:
        cached = _read_cache(environments, key)
        if cached is not None:
            return cached
    found = _scan_entry_points(_trusted_path())
    if use_cache:
        kept = [entry for entry in environments if entry.get("key") != key][: CACHED_KEYS - 1]
        try:
            os.makedirs(directory, exist_ok=True)
            temporary = f"{cache_file}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"environments": [{"key": key, "entry_points": found}, *kept]}, handle)
            os.replace(temporary, cache_file)
        except OSError:
            pass  # a read-only home only costs the scan
    return found


_METADATA_DIRECTORY = r"(?i)^(?P<name>[^-]+)(-.*)?\.(dist|egg)-info$"  # compiled on a cache miss only


def _scan_entry_points(path: list[str]) -> list[tuple[str, str]]:
    """The group's entry points of the distributions installed on `path`, read from their
    `entry_points.txt` as `importlib.metadata` would: the first distribution of a name on the path
    wins, and within a directory they are read in sorted order."""
    found: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for entry in path:
        try:
            names = sorted(os.listdir(entry or "."))
        except (OSError, ValueError):
            continue  # not a directory (a zip file holds no installed distributions), or gone
        for name in names:
            # Most names on the path are modules (the standard library's ~200): a suffix test is a
            # tenth of a regular expression's cost, and a miss pays it for every one.
            if name[-5:].lower() != "-info":  # `.dist-info`, `.egg-info`
                continue
            match = re.match(_METADATA_DIRECTORY, name)
            if match is None:
                continue
            normalized = re.sub(r"[-_.]+", "_", match.group("name")).lower()
            if normalized in seen:
                continue
            seen.add(normalized)
            try:
                with open(os.path.join(entry, name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue  # no entry points, or unreadable: nothing for us
            found.update(_group_entries(text))
    return sorted(found)


def _group_entries(text: str) -> list[tuple[str, str]]:
    """(name, value) of the `[stagelint.rules]` section of an entry_points.txt (an INI file)."""
    entries: list[tuple[str, str]] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == GROUP and "=" in line:
            name, _, value = line.partition("=")
            entries.append((name.strip(), value.strip()))
    return entries


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
    import stagelint.rules as builtin

    for rule_module in _rule_modules(builtin):
        specs.append(validate_rule(rule_module, "builtin", check_doc=False))
    for plugin, value in discover_entry_points(use_cache):
        if value.split(":")[0].strip() == BUILTIN_MODULE:
            continue  # our own entry point (pyproject.toml): the table above
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
