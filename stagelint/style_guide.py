"""What is reported, at what severity, and what is suppressed (flake8's style-guide layer).

One place decides: `StyleGuide.build` validates the selection; `finding` stamps a rule's violation
with its id, name and severity; `apply` runs per-file-ignores, resource `Metadata` ignores and inline
`# stagelint: ignore` comments (with SL900 for the comments that match nothing) over one unit's
findings; `apply_baseline` moves findings recorded in a baseline to the suppressed ones.

Selectors are rule ids, id prefixes (`SL1`), rule names (`cache-size-invalid`) or `ALL`. Between a
matching `select` and a matching `ignore`, the longer (more specific) selector wins, and `ignore`
wins a tie: `--select SL1 --ignore SL102` runs SL101 and SL103, `--select SL102 --ignore SL1` runs SL102.
Rules that are off by default (e.g. SL900) run only when named exactly.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Mapping, Sequence

from stagelint.config import Config, ConfigError
from stagelint.findings import (
    UNKNOWN_SUPPRESSED_RULE,
    UNSUPPRESSIBLE,
    UNUSED_SUPPRESSION,
    Finding,
    Severity,
    Violation,
    stage_identity,
)
from stagelint.hints import did_you_mean
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.records import dataclass, replace
from stagelint.registry import RuleSet, RuleSpec
from stagelint.suppressions import Suppression


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
        raise ConfigError(f"unknown rule selector `{selector}` in {option}{did_you_mean(selector, rules.keys())}")


def check_rule_keys(config: Config, rules: RuleSet, where: str | None = None) -> None:
    """Rule ids and names used as keys (`severity`, `rules`) must name a rule: the one check, with the
    closest rule suggested. `where` names the configuration file they came from."""
    for section, keys in (("severity", config.severity_overrides), ("rules", config.rule_options)):
        for key in keys:
            if rules.get(key) is None:
                prefix = f"{where}: " if where else ""
                raise ConfigError(f"{prefix}unknown rule `{key}` in `{section}`{did_you_mean(key, rules.keys())}")


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
        enabled.update(UNSUPPRESSIBLE)  # input errors and failing rules are always reported
        severities = {rule.id: rule.default_severity for rule in rules.rules}
        check_rule_keys(config, rules)
        for key, severity in config.severity_overrides.items():
            overridden = rules.get(key)
            assert overridden is not None  # checked above
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

    def finding(self, rule_id: str, violation: Violation, stage: Stage | None) -> Finding:
        """A rule's violation as a finding, at the rule's configured severity."""
        return self.stamper(stage)(rule_id, violation)

    def stamper(self, stage: Stage | None) -> Callable[[str, Violation], Finding]:
        """`finding` for one stage's violations: what the findings say of the stage (its name,
        address, identity, condition) is found once, and each rule's name and severity once a run."""
        labels = self._labels
        if stage is None:
            shown = address = identity = condition = None
        else:
            shown, address, identity, condition = \
                stage.display_name, stage.address, stage_identity(stage), stage.condition

        def stamp(rule_id: str, violation: Violation) -> Finding:
            label = labels.get(rule_id)
            if label is None:  # not a rule id as the registry spells it (a name, another case)
                rule = self.rules.get(rule_id)
                label = (rule.name if rule else rule_id, self.severity(rule_id))
            name, severity = label
            subject = violation.subject
            related: tuple[tuple[str, SourcePosition], ...] = ()
            if isinstance(subject, SourcePosition):
                position = subject
            else:
                position, origin = subject.position, subject.origin
                if origin is not None:
                    related = ((origin.expression, origin.position),)
            message = violation.message
            if condition is not None:  # a conditional resource (CloudFormation)
                message = f"{message} (the stage exists only when condition {condition} is true)"
            return Finding(rule_id, name, severity, message, position, shown, address, violation.attribute,
                           stage_identity=identity, related=related)

        return stamp

    @functools.cached_property
    def _labels(self) -> dict[str, tuple[str, Severity]]:
        """Each rule's name and configured severity, by id (what `finding` stamps)."""
        return {rule.id: (rule.name, self.severity(rule.id)) for rule in self.rules.rules}

    def ignored_for_file(self, rule_id: str, path: str) -> str | None:
        """The per-file-ignores glob that silences `rule_id` in `path`, if any."""
        if rule_id in UNSUPPRESSIBLE:
            return None
        rule = self.rules.get(rule_id)
        for pattern, selectors in self.per_file_ignores:
            matches_path = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")
            if matches_path and (rule is None or any(_match_length(s, rule) is not None for s in selectors)):
                return pattern
        return None

    def apply(self, findings: Sequence[Finding], *, metadata_ignores: Mapping[str, frozenset[str]],
              suppressions: Mapping[str, Sequence[Suppression]], judged_paths: Sequence[str]) -> list[Finding]:
        """One unit's findings with every suppression applied, plus SL900 for unused comments.

        In order: per-file-ignores, the stage resource's `Metadata` ignores (`metadata_ignores`, by
        stage address: ids and names), then inline comments (`suppressions`, by path). A finding
        already suppressed still counts as a match for a comment, so a comment is never called unused
        because per-file-ignores got there first. `judged_paths` are the files whose comments are
        judged for SL900 (a Terraform module is judged whole: a comment in settings.tf may silence a
        finding about a stage written in main.tf). SL000 and SL009 are never suppressed.
        """
        if not self.per_file_ignores and not metadata_ignores:  # nothing to match a finding against
            return self._apply_inline(list(findings), suppressions, judged_paths)
        result: list[Finding] = []
        for finding in findings:
            if finding.rule_id not in UNSUPPRESSIBLE and finding.suppressed_by is None:
                pattern = self.ignored_for_file(finding.rule_id, finding.position.path)
                ignored = metadata_ignores.get(finding.stage_address or "", frozenset())
                if pattern is not None:
                    finding = replace(finding, suppressed_by=f"per-file-ignores: {pattern}",
                                      suppression_kind="external")
                elif finding.rule_id in ignored or finding.rule_name in ignored:
                    finding = replace(finding, suppressed_by="resource Metadata", suppression_kind="inSource")
            result.append(finding)
        return self._apply_inline(result, suppressions, judged_paths)

    def _apply_inline(self, findings: list[Finding], suppressions: Mapping[str, Sequence[Suppression]],
                      judged_paths: Sequence[str]) -> list[Finding]:
        report_unused = UNUSED_SUPPRESSION in self.enabled
        report_unknown = UNKNOWN_SUPPRESSED_RULE in self.enabled
        unused: list[Finding] = []
        for path in sorted(suppressions):
            comments = suppressions[path]
            used: list[set[str]] = [set() for _ in comments]
            for position, finding in enumerate(findings):
                if finding.position.path != path:
                    continue
                for index, suppression in enumerate(comments):
                    if suppression.covers(finding):
                        used[index].add(finding.rule_id)
                        if finding.suppressed_by is None:
                            reason = f": {suppression.reason}" if suppression.reason else ""
                            finding = findings[position] = replace(
                                finding, suppressed_by=f"inline {suppression.label}{reason}",
                                suppression_kind="inSource")
            if path not in judged_paths:
                continue
            for suppression in comments if report_unknown else ():
                message = self._unknown_message(suppression)
                if message is not None:
                    unused.append(Finding(UNKNOWN_SUPPRESSED_RULE, "suppression-unknown-rule",
                                          self.severity(UNKNOWN_SUPPRESSED_RULE), message, suppression.position,
                                          None, None, f"suppression:{suppression.label}"))
            for index, suppression in enumerate(comments if report_unused else ()):
                message = self._unused_message(suppression, used[index])
                if message is not None:
                    unused.append(Finding(UNUSED_SUPPRESSION, "unused-suppression", self.severity(UNUSED_SUPPRESSION),
                                          message, suppression.position, None, None,
                                          f"suppression:{suppression.label}"))
        return findings + unused

    def _unused_message(self, suppression: Suppression, used: set[str]) -> str | None:
        if not suppression.codes:
            return None if used else f"unused suppression `{suppression.label}`: no finding to suppress here"
        stale = []
        for code in suppression.codes:
            rule = self.rules.get(code)
            if rule is not None and rule.id not in used and rule.id in self.enabled:
                stale.append(rule.id)  # a rule that did not run cannot be judged stale
        if not stale:  # a rule that does not exist is SL901's (suppression-unknown-rule)
            return None
        return (f"unused suppression `{suppression.label}`: "
                f"{', '.join(stale)} {'matches' if len(stale) == 1 else 'match'} no finding here")

    def _unknown_message(self, suppression: Suppression) -> str | None:
        unknown = [code for code in suppression.codes if self.rules.get(code) is None]
        if not unknown:
            return None
        names = ", ".join(f"{code}{did_you_mean(code, self.rules.keys())}" for code in unknown)
        return (f"suppression `{suppression.label}` names unknown rule{'s' if len(unknown) > 1 else ''} {names}: "
                f"nothing is silenced for {'it' if len(unknown) == 1 else 'them'}")

    @staticmethod
    def apply_baseline(findings: Sequence[Finding], fingerprints: frozenset[str]) -> list[Finding]:
        """Findings recorded in a baseline (by fingerprint) become suppressed. SL000 and SL009 never
        are: a file that did not parse, or a rule that failed, has not been checked."""
        return [
            replace(finding, suppressed_by="baseline", suppression_kind="external")
            if finding.suppressed_by is None and finding.rule_id not in UNSUPPRESSIBLE
            and finding.fingerprint in fingerprints else finding
            for finding in findings
        ]
