"""What a rule module is, and the helpers rules share.

A rule module (yamllint's shape, ruff's documentation) has:

- a module docstring in Markdown with fixed sections — `## What it does`, `## Why is this bad?`,
  `## Example` (then a "Use instead:" block), optionally `## Options`, and `## References`. It is the
  single source for `stagelint explain`, the docs and SARIF `help`;
- `ID` (`SL102`), `NAME` (`cache-size-invalid`), `DEFAULT_SEVERITY` (`"error"`), optional `SECURITY_SEVERITY`
  (a CVSS-like score for GitHub code scanning), `TAGS`, `OPTIONS` (a frozen dataclass type whose defaults are
  the rule's defaults, or None); optional `FORMATS`, the formats in which the property exists (default:
  every one; `tests/test_fixture_coverage.py` holds each to a passing and a failing fixture), and
  `SOURCE` (`"decoder"` or `"engine"`) for the reserved rules whose findings are made outside `check`;
  optional `PRECISION` (SARIF: `very-high` by default, `high`, `medium`, `low`) and, for plugins,
  `HELP_URI` (the rule's documentation page);
- `check(stage, options) -> Iterator[Violation]`, which reads only the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any, Protocol, TypeVar

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.records import dataclass, fields
from stagelint.tracked import KNOWN, UNKNOWN, Tracked

T = TypeVar("T")


class RuleModule(Protocol):
    """The structural type of a rule module (checked by mypy and by `registry.validate_rule`)."""

    ID: str
    NAME: str
    DEFAULT_SEVERITY: str

    def check(self, stage: Stage, options: Any) -> Iterator[Violation]: ...


REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's docstring, split into its sections."""

    title: str
    sections: tuple[tuple[str, str], ...]
    markdown: str

    def section(self, name: str) -> str:
        for title, body in self.sections:
            if title.lower() == name.lower():
                return body
        return ""

    @property
    def summary(self) -> str:
        """One sentence: the *What it does* section's first sentence (SARIF shortDescription)."""
        text = " ".join(self.section("What it does").split()) or self.title
        match = re.match(r"(.+?[.!?])(\s|$)", text)
        return match.group(1) if match else text

    @property
    def plain_text(self) -> str:
        """The docs as plain text (SARIF help.text): Markdown headings and fences dropped."""
        lines = []
        for line in self.markdown.splitlines():
            if line.startswith("```"):
                continue
            lines.append(line[3:] if line.startswith("## ") else line)
        return "\n".join(lines).strip()


def parse_doc(docstring: str | None) -> RuleDoc:
    text = _dedent(docstring or "")
    title, _, rest = text.partition("\n")
    sections: list[tuple[str, str]] = []
    current: str | None = None
    body: list[str] = []
    for line in rest.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections.append((current, "\n".join(body).strip()))
            current, body = line[3:].strip(), []
        elif current is not None:
            body.append(line)
    if current is not None:
        sections.append((current, "\n".join(body).strip()))
    return RuleDoc(title.strip(), tuple(sections), text.strip())


def _dedent(text: str) -> str:
    import textwrap

    first, _, rest = text.strip("\n").partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """Fenced blocks as (language, code): the docs test lints each Example and Use instead block."""
    return [(match.group(1), match.group(2)) for match in
            re.finditer(r"```(\w[\w.-]*)?\n(.*?)```", markdown, re.DOTALL)]


# -- options ---------------------------------------------------------------------------------------
class OptionError(ValueError):
    """A rule option in the configuration is unknown or of the wrong type (exit code 3)."""


def build_options(module: ModuleType, given: Mapping[str, Any]) -> Any:
    """The rule's Options dataclass with the configured values (kebab-case keys) applied."""
    options_type = getattr(module, "OPTIONS", None)
    if options_type is None:
        if given:
            raise OptionError(f"rule {module.ID} ({module.NAME}) takes no options, got: {', '.join(sorted(given))}")
        return None
    defaults = options_type()
    known = {field.name.replace("_", "-"): field for field in fields(options_type)}
    values: dict[str, Any] = {}
    for key, value in given.items():
        field = known.get(key) or known.get(key.replace("_", "-"))
        if field is None:
            from stagelint.hints import did_you_mean

            hint = did_you_mean(key, known)
            raise OptionError(f"unknown option `{key}` for rule {module.ID} ({module.NAME}){hint}")
        default = getattr(defaults, field.name)
        values[field.name] = _coerce(module, key, default, value)
    return options_type(**values) if values else defaults


def _coerce(module: ModuleType, key: str, default: Any, value: Any) -> Any:
    where = f"option `{key}` of rule {module.ID}"
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise OptionError(f"{where} must be a list of strings")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise OptionError(f"{where} must be true or false")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise OptionError(f"{where} must be a number")
        return type(default)(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise OptionError(f"{where} must be a string")
        if key.endswith("pattern"):
            try:
                re.compile(value)
            except re.error as error:
                raise OptionError(f"{where} is not a valid regular expression: {error}") from None
        return value
    return value


# -- judging values ------------------------------------------------------------------------------
def first_violation(tracked: Tracked[T], is_violation: Callable[[T], bool]) -> Tracked[T] | None:
    """The value to report if it violates, else None.

    - KNOWN: reported when `is_violation(value)`.
    - UNKNOWN with `candidates` (an undecidable `Fn::If`): reported only when every KNOWN candidate
      violates and at least one is known; the returned Tracked is the conditional value itself, so the
      finding points at the condition and `conditional_note` can say so in the message.
    - UNKNOWN otherwise, or ABSENT: never reported.
    """
    state = tracked.state
    if state is KNOWN:
        return tracked if is_violation(tracked.value) else None  # type: ignore[arg-type]
    if state is UNKNOWN and tracked.candidates:
        known = [candidate for candidate in tracked.candidates if candidate.is_known]
        absent = [candidate for candidate in tracked.candidates if candidate.is_absent]
        if known and not absent and all(is_violation(candidate.value) for candidate in known):  # type: ignore[arg-type]
            return tracked
    return None


def conditional_note(tracked: Tracked[Any]) -> str:
    """For a value reported through its candidates: ' (in every branch of the condition: "7", "9")'."""
    if not tracked.candidates:
        return ""
    known = [candidate.shown() for candidate in tracked.candidates if candidate.is_known]
    skipped = len(tracked.candidates) - len(known)
    unknown_note = f"; {skipped} unresolved branch(es) skipped" if skipped else ""
    return f" (in every known branch of the condition: {', '.join(known)}{unknown_note})"


def shown_value(tracked: Tracked[Any]) -> str:
    """How to quote the reported value in a message, whether it is plain, referenced or conditional."""
    if tracked.candidates:
        return f"{tracked.spelled_as or 'value'}{conditional_note(tracked)}"
    return tracked.describe()
