"""`Tracked[T]`: one attribute of the model, with where it was written and whether it is known.

A decoder never guesses. A value it cannot resolve (`var.size` with no default, `!GetAtt`,
a plan's "known after apply") is UNKNOWN with a `reason`; a value the file does not set is
ABSENT and points at its owner. Rules must ask explicitly (`.is_known`, `.value`): truth
testing a `Tracked` raises, so `if stage.tracing_enabled:` cannot treat unknown as true.
"""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

from stagelint.positions import SourcePosition
from stagelint.records import dataclass, field
from stagelint.text import MAX_SHOWN_CHARS, shortened, shown

T = TypeVar("T")
U = TypeVar("U")


class State(Enum):
    KNOWN = "known"
    UNKNOWN = "unknown"
    ABSENT = "absent"


# The members as module constants, here and for the model's and the rule API's hot paths: an Enum
# class's attribute lookup goes through its metaclass's `__getattr__` hook (~0.1 µs on CPython 3.11),
# and the queries below run about a million times on a 5 MB template.
KNOWN, UNKNOWN, ABSENT = State.KNOWN, State.UNKNOWN, State.ABSENT


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resolved value really comes from, when that is not where the attribute is written.

    `expression` is the reference as written at the attribute (`local.cache_gb`, `!Ref CacheSize`,
    `Globals.Api`); `position` is where the literal value is defined.
    """

    expression: str
    position: SourcePosition


@dataclass(frozen=True, slots=True)
class Tracked(Generic[T]):
    """A model leaf.

    - `position` spans the value as written at the attribute (for ABSENT: the owning block).
    - `spelled_as` is the key in the user's own words (`CacheClusterSize`, `cache_cluster_size`).
    - `raw` is the value's source text, for messages (`"0.5"`, `300`).
    - `origin` is set when the value was resolved through a reference (variable, local, parameter,
      SAM Globals); findings still point at `position`, the message names `origin.position`.
    - `candidates` holds the possible values of an undecidable condition (`Fn::If`); such a value's
      own state is UNKNOWN and rules judge it with `rule_api.first_violation`.
    """

    value: T | None
    state: State
    position: SourcePosition
    spelled_as: str = ""
    raw: str | None = None
    reason: str | None = None
    origin: Origin | None = None
    candidates: tuple[Tracked[T], ...] = field(default=())

    # -- construction -----------------------------------------------------------------------
    @staticmethod
    def known(
        value: U,
        position: SourcePosition,
        spelled_as: str = "",
        raw: str | None = None,
        origin: Origin | None = None,
    ) -> Tracked[U]:
        return Tracked(value, KNOWN, position, spelled_as, raw, None, origin)

    @staticmethod
    def unknown(
        position: SourcePosition,
        reason: str,
        spelled_as: str = "",
        raw: str | None = None,
        candidates: tuple[Tracked[U], ...] = (),
    ) -> Tracked[U]:
        return Tracked(None, UNKNOWN, position, spelled_as, raw, reason, None, candidates)

    @staticmethod
    def absent(owner: SourcePosition, spelled_as: str = "") -> Tracked[U]:
        return Tracked(None, ABSENT, owner, spelled_as)

    # -- queries ----------------------------------------------------------------------------
    @property
    def is_known(self) -> bool:
        return self.state is KNOWN

    @property
    def is_unknown(self) -> bool:
        return self.state is UNKNOWN

    @property
    def is_absent(self) -> bool:
        return self.state is ABSENT

    def get(self) -> T:
        """The value of a KNOWN leaf; asking an unknown or absent one is a bug in the caller."""
        if self.state is not KNOWN:
            raise ValueError(f"{self.spelled_as or 'value'} is {self.state.value}, not known")
        return self.value  # type: ignore[return-value]

    def known_equals(self, expected: object) -> bool:
        """True only when the value is known and equal: unknown never compares equal."""
        return self.state is KNOWN and self.value == expected

    def shown(self) -> str:
        """The value as the user wrote it: `"0.5"`, `300`, `true`."""
        if self.raw is not None:
            # Decoders make `raw` with text.shown (already cut to length, with the length added):
            # cut only what did not come that way.
            return shortened(self.raw, 2 * MAX_SHOWN_CHARS)
        return shown(self.value)

    def describe(self) -> str:
        """`cache_cluster_size "5"`, or with a reference `cache_cluster_size = local.cache_gb → "5" (locals.tf:3)`."""
        name = self.spelled_as or "value"
        if self.origin is not None:
            return f"{name} = {shortened(self.origin.expression)} → {self.shown()} ({self._origin_label()})"
        return f"{name} {self.shown()}"

    def _origin_label(self) -> str:
        """`locals.tf:3` for a sibling file, `line 3` for the same file, the full path otherwise."""
        assert self.origin is not None
        origin = self.origin.position
        if origin.path.startswith("--"):  # given on the command line (`--var NAME`, `--parameter Key=Value`)
            return origin.path
        if origin.path == self.position.path:
            return f"line {origin.line}"
        here, _, _ = self.position.path.rpartition("/")
        there, _, name = origin.path.rpartition("/")
        return f"{name}:{origin.line}" if here == there else origin.label()

    def __bool__(self) -> bool:
        raise TypeError(
            "Tracked values have no truth value: test .is_known and .value explicitly "
            "(an unknown value must never be treated as true or false)"
        )
