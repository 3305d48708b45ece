"""Finding and reading configuration files: `[tool.stagelint]` in `pyproject.toml`, `.stagelint.toml`
or `.stagelint.yaml`.

The search starts in the working directory and goes upward; the first directory holding any of the
three wins (in that directory `.stagelint.toml` beats `.stagelint.yaml` beats `pyproject.toml`, and a
`pyproject.toml` without a `[tool.stagelint]` table does not count). Every key is checked: an unknown
key, rule or severity is a ConfigError (exit 3) naming the file and the closest valid spelling.

Globs (`exclude`, `per-file-ignores`) are written relative to the configuration file's directory;
they are re-anchored to the working directory, which is what the paths findings carry are relative to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from stagelint.config import Config, ConfigError
from stagelint.findings import Severity
from stagelint.hints import did_you_mean
from stagelint.records import replace

if TYPE_CHECKING:
    # pathlib (with urllib and ipaddress behind it) costs ~5 ms at start-up: imported only once a
    # configuration file has been found, since most runs have none.
    from pathlib import Path

CONFIG_NAMES = (".stagelint.toml", ".stagelint.yaml", "pyproject.toml")

# Every key a configuration file may hold (kebab-case, as ruff spells them).
KEYS = ("select", "extend-select", "ignore", "fail-on", "severity", "per-file-ignores", "exclude",
        "force-exclude", "rules", "environments", "max-file-size", "timeout", "jobs", "var-files",
        "respect-gitignore", "format")
ENVIRONMENT_KEYS = ("mapping", "tag-keys", "paths")


def find_config_file(start: str | os.PathLike[str] = ".") -> Path | None:
    """The configuration file that applies to a run started in `start`, or None."""
    directory = os.path.realpath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if not os.path.isfile(candidate):
                continue
            from pathlib import Path

            if name == "pyproject.toml" and not _pyproject_has_section(Path(candidate)):
                continue
            return Path(candidate)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _pyproject_has_section(path: Path) -> bool:
    try:
        data = _load_toml(path)
    except ConfigError:
        # A broken pyproject.toml that may not even be ours: keep looking upward. One that holds our
        # table is ours, broken: an error (exit 3), never a configuration silently dropped.
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        if "[tool.stagelint" in text:
            raise
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "stagelint" in tool


def _read(path: Path) -> str:
    """A configuration file's text, with the limits stage files get (size, FIFOs, encodings): it is
    found automatically from the working directory upward, so a checkout can plant one."""
    from stagelint.limits import DEFAULT_LIMITS
    from stagelint.reader import ReadError, read_text

    try:
        return read_text(str(path), DEFAULT_LIMITS)
    except ReadError as error:
        raise ConfigError(f"{shown(path)}: cannot read: {error}") from None


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib

    text = _read(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if "at end of document" in message:  # tomllib gives no line there: the last one it read
            try:
                lines = len(path.read_text(encoding="utf-8", errors="replace").splitlines()) or 1
            except OSError:
                lines = 1
            message = message.replace("at end of document", f"at end of document, line {lines}")
        raise ConfigError(f"{shown(path)}: invalid TOML: {message}") from None
    except RecursionError:
        raise ConfigError(f"{shown(path)}: invalid TOML: nested too deeply") from None


def _load_yaml(path: Path) -> Any:
    """Composed by the stage-file YAML reader (alias expansion, depth and merge keys bounded by
    `Limits`; nothing is constructed), then turned into plain data."""
    from stagelint.decoders import yaml_tree
    from stagelint.decoders.tree import DecodeError
    from stagelint.limits import DEFAULT_LIMITS, LimitExceeded

    text = _read(path)
    try:
        root = yaml_tree.parse(text, str(path), DEFAULT_LIMITS)
    except DecodeError as error:
        line = f":{error.position.line}" if error.position is not None else ""
        raise ConfigError(f"{shown(path)}{line}: invalid YAML: {error.message}") from None
    except LimitExceeded as error:
        raise ConfigError(f"{shown(path)}:{error.line}: invalid YAML: {error}") from None
    return None if root is None else _plain(root, path)


def _plain(root: Any, path: Path) -> Any:
    """Tree nodes → dicts, lists and scalars; a node shared by aliases is converted once."""
    from stagelint.decoders.tree import MappingNode, SequenceNode

    done: dict[int, Any] = {}

    def convert(node: Any) -> Any:
        key = id(node)
        if key in done:
            return done[key]
        if node.tag is not None:
            raise ConfigError(f"{shown(path)}:{node.span.line}: the tag {node.tag} has no meaning in a "
                              "configuration file")
        if isinstance(node, MappingNode):
            result: Any = {}
            done[key] = result
            for name, value in node.pairs:
                result[convert(name)] = convert(value)
        elif isinstance(node, SequenceNode):
            result = []
            done[key] = result
            result.extend(convert(item) for item in node.items)
        else:
            result = done[key] = node.value
        return result

    return convert(root)


def read_settings(path: Path) -> dict[str, Any]:
    """The raw stagelint table of a configuration file (empty when the file has none)."""
    if path.name == "pyproject.toml":
        tool = _load_toml(path).get("tool", {})
        settings = tool.get("stagelint", {}) if isinstance(tool, dict) else {}
    elif path.suffix in (".yaml", ".yml"):
        settings = _load_yaml(path)
        if settings is None:
            settings = {}
    else:
        settings = _load_toml(path)
    if not isinstance(settings, dict):
        raise ConfigError(f"{shown(path)}: the stagelint configuration must be a table of keys")
    return settings


def load_config(path: Path, base: Config | None = None, cwd: str | None = None) -> Config:
    """`base` with the settings of the configuration file at `path` applied."""
    settings = read_settings(path)
    root = str(path.resolve().parent)
    source = shown(path, cwd)
    try:
        return apply_settings(settings, base or Config(), root=root, source=source, cwd=cwd)
    except ConfigError as error:
        raise ConfigError(with_line(str(error), source, path)) from None


def shown(path: str | os.PathLike[str], cwd: str | None = None) -> str:
    """A configuration file as messages name it: relative to the working directory, `/`-separated."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(cwd or os.getcwd()))
    except ValueError:  # another drive (Windows)
        return absolute
    return relative.replace(os.sep, "/")


def with_line(message: str, source: str, path: Path) -> str:
    """`source: …` → `source:LINE: …`, LINE being where the first key the message names (in backticks)
    is written; the message unchanged when it names none or the key cannot be found."""
    if not message.startswith(f"{source}: "):
        return message
    keys = re.findall(r"`([^`]+)`", message)
    if not keys:
        return message
    key_path = keys[0].split(".")
    if "unknown option" in message and len(keys) > 1:  # a rule's option: `rules.SL003` … `reserved-name`
        key_path.append(keys[1])
    line = key_line(path, key_path)
    if line is None:
        return message
    return f"{source}:{line}: {message[len(source) + 2:]}"


def key_line(path: Path, key_path: list[str]) -> int | None:
    """The line (1-based) where `key_path` (`["rules", "SL003", "reserved-name"]`) is written in a TOML
    or YAML configuration file: each key searched after the previous one, starting at the stagelint
    table of a pyproject.toml. Keys that cannot be found leave the line of the last one that was."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    offset = text.find("[tool.stagelint") if path.name == "pyproject.toml" else 0
    if offset < 0:
        return None
    found: int | None = None
    for key in key_path:
        pattern = rf"(?:^|[\s.\[{{,])[\"']?(?P<key>{re.escape(key)})[\"']?\s*(?:=|:|\]|\.)"
        match = re.compile(pattern, re.MULTILINE).search(text, offset)
        if match is None:
            break
        found, offset = match.start("key"), match.end("key")
    return None if found is None else text.count("\n", 0, found) + 1


def apply_settings(settings: Mapping[str, Any], base: Config, *, root: str, source: str,
                   cwd: str | None = None) -> Config:
    """Validate `settings` (a configuration file's stagelint table) and apply them to `base`."""
    where = source
    for key in settings:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key `{key}`{_hint(str(key), KEYS)}")
    changes: dict[str, Any] = {"root": root}
    for key, attribute in (("select", "select"), ("extend-select", "extend_select"), ("ignore", "ignore")):
        if key in settings:
            changes[attribute] = _string_list(settings[key], f"{where}: `{key}`")
    if "exclude" in settings:
        changes["exclude"] = tuple(_anchor(pattern, root, cwd)
                                   for pattern in _string_list(settings["exclude"], f"{where}: `exclude`"))
    if "force-exclude" in settings:
        value = settings["force-exclude"]
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: `force-exclude` must be true or false")
        changes["force_exclude"] = value
    if "fail-on" in settings:
        value = settings["fail-on"]
        if value == "never":
            changes["fail_on"] = None
        else:
            changes["fail_on"] = _severity(value, f"{where}: `fail-on`", allow_never=True)
    if "severity" in settings:
        table = _table(settings["severity"], f"{where}: `severity`")
        changes["severity_overrides"] = {
            str(rule): _severity(level, f"{where}: `severity.{rule}`") for rule, level in table.items()
        }
    if "per-file-ignores" in settings:
        table = _table(settings["per-file-ignores"], f"{where}: `per-file-ignores`")
        changes["per_file_ignores"] = tuple(
            (_anchor(str(pattern), root, cwd), _string_list(codes, f"{where}: `per-file-ignores.{pattern}`"))
            for pattern, codes in table.items()
        )
    if "rules" in settings:
        table = _table(settings["rules"], f"{where}: `rules`")
        options: dict[str, dict[str, Any]] = {}
        for rule, values in table.items():
            options[str(rule)] = dict(_table(values, f"{where}: `rules.{rule}`"))
        changes["rule_options"] = options
    if "environments" in settings:
        changes["environments"] = _environments(settings["environments"], base, where, root, cwd)
    changes.update(_run_settings(settings, base, where, root, cwd))
    config = replace(base, **changes)
    validate_rule_keys(config, where)
    return config


def _run_settings(settings: Mapping[str, Any], base: Config, where: str, root: str,
                  cwd: str | None) -> dict[str, Any]:
    """The keys for what was command-line only: limits, jobs, Terraform var files, .gitignore and the
    output format. The command line beats each of them."""
    from stagelint.config import DecodeOptions
    from stagelint.limits import MIB

    changes: dict[str, Any] = {}
    limits = base.decode.limits
    if "max-file-size" in settings:
        size = _number(settings["max-file-size"], f"{where}: `max-file-size`", minimum=1, integer=True)
        limits = replace(limits, max_file_bytes=int(size) * MIB)
    if "timeout" in settings:
        seconds = _number(settings["timeout"], f"{where}: `timeout`", minimum=0, integer=False)
        limits = replace(limits, max_seconds_per_file=0 if seconds == float("inf") else seconds)
    var_files = base.decode.terraform_var_files
    if "var-files" in settings:
        working = os.path.abspath(cwd or os.getcwd())
        var_files = tuple(file if os.path.isabs(file) else
                          os.path.relpath(os.path.join(root, file), working).replace(os.sep, "/")
                          for file in _string_list(settings["var-files"], f"{where}: `var-files`"))
    if limits != base.decode.limits or var_files != base.decode.terraform_var_files:
        decode: DecodeOptions = replace(base.decode, limits=limits, terraform_var_files=var_files)
        changes["decode"] = decode
    if "jobs" in settings:
        changes["jobs"] = int(_number(settings["jobs"], f"{where}: `jobs`", minimum=0, integer=True))
    if "respect-gitignore" in settings:
        value = settings["respect-gitignore"]
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: `respect-gitignore` must be true or false")
        changes["respect_gitignore"] = value
    if "format" in settings:
        changes["formats"] = _string_list(settings["format"], f"{where}: `format`")
    return changes


def _number(value: Any, where: str, *, minimum: int, integer: bool) -> float:
    """A TOML/YAML number at least `minimum` (a whole one when `integer`); true/false are not numbers."""
    valid = isinstance(value, int) if integer else isinstance(value, int | float) and value == value
    if isinstance(value, bool) or not valid or value < minimum:
        kind = "a whole number" if integer else "a number"
        raise ConfigError(f"{where} must be {kind} of at least {minimum}, not {value!r}")
    return float(value)


def _environments(value: Any, base: Config, where: str, root: str, cwd: str | None) -> Any:
    """`[tool.stagelint.environments]`: extra words, tag keys and per-path overrides."""
    from stagelint.environments import ENVIRONMENTS, word_pairs

    table = _table(value, f"{where}: `environments`")
    for key in table:
        if key not in ENVIRONMENT_KEYS:
            raise ConfigError(f"{where}: unknown key `environments.{key}`{_hint(str(key), ENVIRONMENT_KEYS)}")

    def environment(name: Any, at: str) -> str:
        if name not in ENVIRONMENTS:
            raise ConfigError(f"{where}: `{at}`: unknown environment {name!r}{_hint(str(name), ENVIRONMENTS)} "
                              f"(expected {', '.join(ENVIRONMENTS)})")
        return str(name)

    settings = base.environments
    changes: dict[str, Any] = {}
    if "mapping" in table:
        words = dict(settings.words)
        for word, name in _table(table["mapping"], f"{where}: `environments.mapping`").items():
            words[str(word).lower()] = environment(name, f"environments.mapping.{word}")
        changes["words"] = word_pairs(words)
    if "tag-keys" in table:
        changes["tag_keys"] = _string_list(table["tag-keys"], f"{where}: `environments.tag-keys`")
    if "paths" in table:
        changes["paths"] = tuple(
            (_anchor(str(pattern), root, cwd), environment(name, f"environments.paths.{pattern}"))
            for pattern, name in _table(table["paths"], f"{where}: `environments.paths`").items())
    return replace(settings, **changes)


def validate_rule_keys(config: Config, where: str) -> None:
    """Rule ids and names used as keys (`severity`, `rules`) must exist: suggest the closest one."""
    if not config.severity_overrides and not config.rule_options:
        return
    from stagelint.registry import RegistryError, load_rules
    from stagelint.rule_api import OptionError, build_options
    from stagelint.style_guide import check_rule_keys

    try:
        rules = load_rules()
    except RegistryError as error:
        raise ConfigError(str(error)) from None
    check_rule_keys(config, rules, where)
    for key, values in config.rule_options.items():  # here, where the file (and line) can still be named
        rule = rules.get(key)
        assert rule is not None  # checked above
        try:
            build_options(rule.module, values)
        except OptionError as error:
            raise ConfigError(f"{where}: `rules.{key}`: {error}") from None


def _hint(key: str, valid: Any) -> str:
    return did_you_mean(key, valid, cutoff=0.5)


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):  # `select = "SL1"` is forgiven, as a one-item list
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table (key = value pairs)")
    return value


def _severity(value: Any, where: str, allow_never: bool = False) -> Severity:
    valid = ("error", "warning", "info", "never") if allow_never else ("error", "warning", "info")
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: unknown level {value!r}{_hint(str(value), valid)} "
                      f"(expected {', '.join(valid)})")


def _anchor(pattern: str, root: str, cwd: str | None) -> str:
    """A glob written relative to the config file's directory, made relative to the working directory.

    Patterns without a `/` (matched against every path component), patterns starting with `*` and
    absolute ones match anywhere already and are kept as written.
    """
    working = os.path.abspath(cwd or os.getcwd())
    if ("/" not in pattern.rstrip("/") or pattern.startswith("*") or os.path.isabs(pattern)
            or os.path.abspath(root) == working):
        return pattern
    anchored = os.path.relpath(os.path.join(root, pattern), working).replace(os.sep, "/")
    return anchored + ("/" if pattern.endswith("/") and not anchored.endswith("/") else "")


def resolve_config(base: Config, config_file: str | None = None, isolated: bool = False,
                   cwd: str | None = None) -> tuple[Config, Path | None]:
    """The run's configuration: `base` (built from defaults) with the applicable file applied."""
    if isolated:
        return base, None
    if config_file is not None:
        from pathlib import Path

        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {config_file}")
    else:
        found = find_config_file(cwd or ".")
        if found is None:
            return base, None
        path = found
    return load_config(path, base, cwd=cwd), path
