"""What rules yield (`Violation`) and what the engine reports (`Finding`, `Note`)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from operator import attrgetter
from typing import Any

from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.records import dataclass
from stagelint.tracked import Tracked


class Severity(Enum):
    """Ordered: `info < warning < error`. SARIF levels are note / warning / error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def sarif_level(self) -> str:
        return "note" if self is Severity.INFO else self.value

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}

# Rule ids that the engine and the decoders report themselves (their rule modules document them and
# have an empty `check`). Spelled here and nowhere else.
PARSE_ERROR = "SL000"  # a file could not be read or parsed
DUPLICATE_KEY = "SL010"  # found while decoding a YAML or JSON tree
UNUSED_SUPPRESSION = "SL900"  # judged after every other finding is known
UNKNOWN_SUPPRESSED_RULE = "SL901"  # a suppression comment names no rule there is
INTERNAL_ERROR = "SL009"  # a rule (usually a plugin) raised: a tool error, not an input error
UNSUPPRESSIBLE = frozenset({PARSE_ERROR, INTERNAL_ERROR})


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule's `check` yields: a message about one model value.

    `subject` is the Tracked value (or a bare position) the finding points at; `attribute` is its
    model path (`cache_cluster_size`, `method_settings[*/*].cache_ttl_in_seconds`), used for the
    fingerprint so that moving lines does not make a finding "new".
    """

    message: str
    subject: Tracked[Any] | SourcePosition
    attribute: str

    @property
    def position(self) -> SourcePosition:
        return self.subject if isinstance(self.subject, SourcePosition) else self.subject.position


@dataclass(frozen=True, slots=True)
class Note:
    """Something `--verbose` should say: a value skipped as unknown, a file that is not a stage file."""

    path: str
    message: str
    position: SourcePosition | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on a value, stamped with rule, severity, position and a line-free fingerprint."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    position: SourcePosition
    stage: str | None  # the stage's name (or address when the name is unknown)
    stage_address: str | None
    attribute: str
    fingerprint: str = ""
    suppressed_by: str | None = None  # what suppressed it, for people: "baseline", "inline ignore[SL102]: …"
    # SARIF's suppression kind: "inSource" (a comment, resource Metadata) or "external" (config, baseline).
    suppression_kind: str | None = None
    # The stage's identity for the fingerprint (`Stage.identity`) when it differs from its address.
    stage_identity: str | None = None
    # Where the reported value really comes from, when that is elsewhere (a variable default, a
    # parameter, SAM Globals): (the reference as written, the value's position). SARIF relatedLocations.
    related: tuple[tuple[str, SourcePosition], ...] = ()
    # The path the fingerprint is keyed by when the finding is shown elsewhere (a Terraform finding
    # reported in the changed tfvars file its value comes from), so that baselines match either way.
    fingerprint_path: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Where the finding is, then its rule and message: the report's order (`SORT_KEY`)."""
        return SORT_KEY(self)

    def with_fingerprint(self, fingerprint: str) -> Finding:
        """This finding with its fingerprint: `replace(self, fingerprint=...)`, as one positional call
        (every finding of a run is copied so; `tests/test_batches.py` holds it to `replace`)."""
        return Finding(self.rule_id, self.rule_name, self.severity, self.message, self.position, self.stage,
                       self.stage_address, self.attribute, fingerprint, self.suppressed_by, self.suppression_kind,
                       self.stage_identity, self.related, self.fingerprint_path)


# `Finding.sort_key` in one C call (`attrgetter`), for sorts: a big report's asked for ~60,000 of them.
SORT_KEY: Callable[[Finding], tuple[str, int, int, str, str]] = attrgetter(
    "position.path", "position.line", "position.column", "rule_id", "message")


def fingerprint(rule_id: str, path: str, stage_address: str | None, attribute: str, occurrence: int) -> str:
    """A stable id with no line numbers: an edit above a finding does not make it new."""
    text = "\x1f".join((rule_id, path, stage_address or "", attribute, str(occurrence)))
    # surrogatepass: a lone surrogate (a `"\ud800"` escape in a value, a non-UTF-8 file name decoded
    # with surrogateescape) hashes like any other character instead of aborting the run.
    digest: str = (_SHA256 or _sha256())(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:32]


_SHA256: Any = None  # found once: a run with 60,000 findings looked it up 60,000 times


def _sha256() -> Any:
    """SHA-256 without loading OpenSSL where CPython has its own (`_sha256`, `_sha2` from 3.12): the
    same digest, and `hashlib` (~3 ms of a run with findings, `_hashlib`) stays unloaded."""
    global _SHA256
    _SHA256 = _find_sha256()
    return _SHA256


def _find_sha256() -> Any:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]
        except ImportError:
            from hashlib import sha256
    return sha256


def stage_identity(stage: Stage | None) -> str | None:
    """`Stage.identity` when it differs from the address: only then does a finding carry it (the
    fingerprint keys a native stage by name and API, not by its list index)."""
    if stage is None or stage.identity == stage.address:
        return None
    return stage.identity
