"""A positioned document tree shared by the YAML and JSON decoders (and every format built on them).

Scalars keep their source span, their raw text and any local tag (`!Ref`); mappings keep every
pair in order, so a duplicate key can be reported at both places while lookups see the later
value (what YAML loaders and CloudFormation do).
"""

from __future__ import annotations

from stagelint.positions import SourcePosition
from stagelint.records import dataclass, field

ScalarValue = str | int | float | bool | None


@dataclass(slots=True, eq=False)
class ScalarNode:
    value: ScalarValue
    span: SourcePosition
    tag: str | None = None  # a local tag as written (`!Ref`); None for an untagged scalar
    raw: str = ""  # the source text, for messages
    quoted: bool = False


@dataclass(slots=True, eq=False)
class SequenceNode:
    items: list[Node]
    span: SourcePosition
    tag: str | None = None


@dataclass(slots=True, eq=False)
class MappingNode:
    pairs: list[tuple[ScalarNode, Node]]
    span: SourcePosition
    tag: str | None = None
    _index: dict[ScalarValue, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Later pairs win, as in YAML loaders and the CloudFormation service.
        self._index = {key.value: position for position, (key, _) in enumerate(self.pairs)}

    def get(self, key: str) -> Node | None:
        index = self._index.get(key)
        return None if index is None else self.pairs[index][1]

    def key_node(self, key: str) -> ScalarNode | None:
        index = self._index.get(key)
        return None if index is None else self.pairs[index][0]

    def items(self) -> list[tuple[ScalarNode, Node]]:
        """Pairs with duplicates resolved (the later one wins), in source order of the winners."""
        return [self.pairs[index] for index in sorted(self._index.values())]


Node = ScalarNode | SequenceNode | MappingNode


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
