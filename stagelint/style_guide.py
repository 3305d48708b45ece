"""What is enabled, at what severity, for which file (flake8's style-guide layer).

Selectors are rule ids, id prefixes (`SL1`), rule names (`cache-size-invalid`) or `ALL`. Between a
matching `select` and a matching `ignore`, the longer (more specific) selector wins, and `ignore`
wins a tie: `--select SL1 --ignore SL102` runs SL101 and SL103, `--select SL102 --ignore SL1` runs SL102.
Rules that are off by default (e.g. SL900) run only when named exactly.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass

from stagelint.config import Config, ConfigError
from stagelint.findings import Severity
from stagelint.registry import RuleSet, RuleSpec

PARSE_ERROR = "SL000"


def _match_length(selector: str, rule: RuleSpec) -> int | None:
    """How specific `selector` is for `rule` (longer = more specific), or None when it does not match."""
    if selector == "ALL":
        return 0
    if selector == rule.name:
        return 100
    if rule.id.startswith(selector.upper()):
        return len(selector)
    return None


def validate_selectors(selectors: tuple[str, ...], rules: RuleSet, option: str) -> None:
    for selector in selectors:
        if selector == "ALL" or any(_match_length(selector, rule) is not None for rule in rules.rules):
            continue
        close = difflib.get_close_matches(selector, rules.keys(), n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise ConfigError(f"unknown rule selector `{selector}` in {option}{hint}")


@dataclass(frozen=True)
class StyleGuide:
    """The decisions of one run: which rules are on, at what severity, and for which files."""

    enabled: frozenset[str]
    severities: dict[str, Severity]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    rules: RuleSet

    @classmethod
    def build(cls, config: Config, rules: RuleSet) -> StyleGuide:
        validate_selectors(config.select, rules, "select")
        validate_selectors(config.extend_select, rules, "extend-select")
        validate_selectors(config.ignore, rules, "ignore")
        for _, codes in config.per_file_ignores:
            validate_selectors(codes, rules, "per-file-ignores")
        enabled = set()
        for rule in rules.rules:
            if cls._is_enabled(rule, config):
                enabled.add(rule.id)
        enabled.add(PARSE_ERROR)  # input errors are always reported
        severities = {rule.id: rule.default_severity for rule in rules.rules}
        for key, severity in config.severity_overrides.items():
            overridden = rules.get(key)
            if overridden is None:
                close = difflib.get_close_matches(key, rules.keys(), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                raise ConfigError(f"unknown rule `{key}` in severity{hint}")
            severities[overridden.id] = severity
        return cls(frozenset(enabled), severities, config.per_file_ignores, rules)

    @staticmethod
    def _is_enabled(rule: RuleSpec, config: Config) -> bool:
        selectors = (config.select or ("ALL",)) + config.extend_select
        lengths = [length for selector in selectors if (length := _match_length(selector, rule)) is not None]
        if not rule.enabled_by_default:
            # Off-by-default rules need their exact id or name.
            lengths = [length for length in lengths if length >= len(rule.id)]
        if not lengths:
            return False
        ignored = [length for selector in config.ignore if (length := _match_length(selector, rule)) is not None]
        return max(lengths) > max(ignored, default=-1)

    def is_enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled

    def severity(self, rule_id: str) -> Severity:
        return self.severities.get(rule_id, Severity.ERROR)

    def ignored_for_file(self, rule_id: str, path: str) -> str | None:
        """The per-file-ignores glob that silences `rule_id` in `path`, if any."""
        if rule_id == PARSE_ERROR:
            return None
        rule = self.rules.get(rule_id)
        for pattern, selectors in self.per_file_ignores:
            matches_path = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")
            if matches_path and (rule is None or any(_match_length(s, rule) is not None for s in selectors)):
                return pattern
        return None
