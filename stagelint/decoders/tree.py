"""A positioned document tree shared by the YAML and JSON decoders (and every format built on them).

Scalars keep their source span, their raw text and any local tag (`!Ref`); mappings keep every
pair in order, so a duplicate key can be reported at both places while lookups see the later
value (what YAML loaders and CloudFormation do).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar, cast, overload

from stagelint.positions import SourcePosition
from stagelint.records import dataclass, field

ScalarValue = str | int | float | bool | None

# A scalar's span as one int (`packed_span`), made a SourcePosition when first read: a 5 MB template
# has 300,000 scalars, and a SourcePosition each (with an int object per line number past 256) was a
# quarter of the tree's memory and time, for the third of them a decoder ever asks where they are.
# 0-based (line, column, end line - line, end column), 12 bits each but the line's.
SPAN_BITS = 12
SPAN_LOW = (1 << SPAN_BITS) - 1


def packed_span(line: int, column: int, end_line: int, end_column: int) -> int | None:
    """A 0-based span (YAML marks) as `ScalarNode` keeps it until read; None when a part does not fit."""
    if column > SPAN_LOW or end_column > SPAN_LOW or not 0 <= end_line - line <= SPAN_LOW:
        return None
    return line << 3 * SPAN_BITS | column << 2 * SPAN_BITS | (end_line - line) << SPAN_BITS | end_column


def unpacked_span(path: str, packed: int) -> SourcePosition:
    line = (packed >> 3 * SPAN_BITS) + 1
    lines = (packed >> SPAN_BITS) & SPAN_LOW
    return SourcePosition(path, line, ((packed >> 2 * SPAN_BITS) & SPAN_LOW) + 1, line + lines if lines else line,
                          (packed & SPAN_LOW) + 1)


class _PackedSpan:
    """`span` for a node whose `_span` may be packed (`packed_span`) with its file's `_path`: unpacked
    on first read, and kept (one SourcePosition per node, as before)."""

    if not TYPE_CHECKING:  # the slots are each node class's own; mypy would want them here
        __slots__ = ()
    _span: SourcePosition | int
    _path: str

    @property
    def span(self) -> SourcePosition:
        span = self._span
        if type(span) is int:
            made = self._span = unpacked_span(self._path, span)
            return made
        return cast(SourcePosition, span)

    @span.setter
    def span(self, span: SourcePosition) -> None:
        self._span = span

    @property
    def lines(self) -> tuple[int, int]:
        """The span's first and last lines (from 1), without making its SourcePosition."""
        span = self._span
        if type(span) is int:
            line = (span >> 3 * SPAN_BITS) + 1
            return line, line + ((span >> SPAN_BITS) & SPAN_LOW)
        position = cast(SourcePosition, span)
        return position.line, position.end_line


class ScalarNode(_PackedSpan):
    """A scalar: its value, span, local tag as written (`!Ref`; None for an untagged scalar), source
    text (for messages) and whether it was quoted. `span` may be given packed (`packed_span`, with
    the file's `path`), as the YAML events builder does."""

    __slots__ = ("_path", "_span", "quoted", "raw", "tag", "value")

    def __init__(self, value: ScalarValue, span: SourcePosition | int, tag: str | None = None, raw: str = "",
                 quoted: bool = False, path: str = "") -> None:
        self.value = value
        self._span = span
        self.tag = tag
        self.raw = raw
        self.quoted = quoted
        self._path = path

    def __repr__(self) -> str:
        return (f"ScalarNode(value={self.value!r}, span={self.span!r}, tag={self.tag!r}, raw={self.raw!r}, "
                f"quoted={self.quoted!r})")


@dataclass(slots=True, eq=False)
class SequenceNode(_PackedSpan):
    """A list; `_span` may be packed as a scalar's (with `_path`), and is read as `span`."""

    items: list[Node]
    _span: SourcePosition | int
    tag: str | None = None
    _path: str = field(default="", repr=False)


class FlatPairs(Sequence[tuple[ScalarNode, "Node"]]):
    """A mapping's pairs as the YAML events builder keeps them: keys and values alternating in one
    tuple, each pair made when read. A tuple per pair (and a list) was a quarter of a 5 MB
    template's tree; the pairs are read a few times each, mostly by looking one up (`get`)."""

    __slots__ = ("flat",)

    def __init__(self, flat: tuple[Node, ...]) -> None:
        self.flat = flat

    def __len__(self) -> int:
        return len(self.flat) >> 1

    @overload
    def __getitem__(self, index: int) -> tuple[ScalarNode, Node]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[ScalarNode, Node]]: ...

    def __getitem__(self, index: int | slice) -> tuple[ScalarNode, Node] | list[tuple[ScalarNode, Node]]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("pair index out of range")
        flat = self.flat
        return cast(ScalarNode, flat[2 * index]), flat[2 * index + 1]

    def __iter__(self) -> Iterator[tuple[ScalarNode, Node]]:
        flat = self.flat
        return zip(cast("tuple[ScalarNode, ...]", flat[::2]), flat[1::2], strict=True)

    def __reversed__(self) -> Iterator[tuple[ScalarNode, Node]]:
        flat = self.flat
        return zip(cast("tuple[ScalarNode, ...]", flat[-2::-2]), flat[::-2], strict=True)

    def __repr__(self) -> str:
        return repr(list(self))


class DocumentFacts:
    """What the YAML events builder saw of a whole document, on its root mapping (`facts`): whether
    any mapping writes a key twice, and the local tags used. The decoders skip a walk of the tree
    that could find nothing (duplicate keys, unknown tags): most documents have neither. `aliases`:
    whether any node is an alias (shared with its anchor's place: `cloudformation.layout`)."""

    __slots__ = ("aliases", "local_tags", "repeated_keys")

    def __init__(self, repeated_keys: bool, local_tags: frozenset[str], aliases: bool = False) -> None:
        self.repeated_keys = repeated_keys
        self.local_tags = local_tags
        self.aliases = aliases


@dataclass(slots=True, eq=False)
class MappingNode(_PackedSpan):
    """A mapping; `_span` may be packed as a scalar's (with `_path`), and is read as `span`. `pairs`
    may be FlatPairs (from the YAML events builder)."""

    pairs: Sequence[tuple[ScalarNode, Node]]
    _span: SourcePosition | int
    tag: str | None = None
    _index: dict[ScalarValue, int] = field(default_factory=dict, repr=False)
    _path: str = field(default="", repr=False)
    facts: DocumentFacts | None = field(default=None, repr=False)  # a document's root only

    def __post_init__(self) -> None:
        # Later pairs win, as in YAML loaders and the CloudFormation service. The YAML events builder
        # hands mappings with the same keys in the same order one shared index (`index_of`).
        if not self._index:
            self._index = index_of([key.value for key, _ in self.pairs])

    def get(self, key: str) -> Node | None:
        index = self._index.get(key)
        if index is None:
            return None
        pairs = self.pairs
        return pairs.flat[2 * index + 1] if type(pairs) is FlatPairs else pairs[index][1]

    def key_node(self, key: str) -> ScalarNode | None:
        index = self._index.get(key)
        if index is None:
            return None
        pairs = self.pairs
        return cast(ScalarNode, pairs.flat[2 * index]) if type(pairs) is FlatPairs else pairs[index][0]

    def written_once(self) -> bool:
        """No key is written twice (the usual case, told by the index alone)."""
        return len(self._index) == len(self.pairs)

    def items(self) -> list[tuple[ScalarNode, Node]]:
        """Pairs with duplicates resolved (the later one wins), in source order of the winners."""
        if len(self._index) == len(self.pairs):  # no key written twice: every pair, as written
            return list(self.pairs)
        return [self.pairs[index] for index in sorted(self._index.values())]


def index_of(keys: Sequence[ScalarValue]) -> dict[ScalarValue, int]:
    """Where each key's winning pair is: the later of a key written twice."""
    return {key: position for position, key in enumerate(keys)}


Node = ScalarNode | SequenceNode | MappingNode

T = TypeVar("T")


def detached(value: T) -> T:
    """A scalar's value (or text) as an object of its own, for the model, which outlives the tree.

    The parser's strings and numbers sit in the allocator's pools among the tree's nodes: a model
    that kept them would keep each pool of the tree partly used once the tree is gone, and the
    allocator can then give the freed space only to objects of the same sizes. The checks that run
    next make objects of other sizes, which took fresh memory (16 MiB more for a 5 MB template)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return cast(T, value[:1] + value[1:]) if len(value) > 1 else value  # (one character: shared anyway)
    if isinstance(value, int):
        return cast(T, value + 0)
    if isinstance(value, float):
        return cast(T, value * 1.0)  # (-0.0 stays -0.0)
    return value


class DecodeError(Exception):
    """A syntax error with the position it was found at (reported as SL000)."""

    def __init__(self, message: str, position: SourcePosition | None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def walk(node: Node) -> list[Node]:
    """All nodes below (and including) `node`, depth first, without recursion."""
    found: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, SequenceNode):
            stack.extend(reversed(current.items))
        elif isinstance(current, MappingNode):
            for key, value in reversed(current.pairs):
                stack.append(value)
                stack.append(key)
    return found
