"""Mapping keys written twice in the same mapping (SL010), over a whole document tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import Violation


def duplicate_key_findings(root: Node) -> Iterator[tuple[str, Violation]]:
    """SL010 for each mapping key written again in the same mapping (the later one wins), over the
    whole template, iteratively. Each node is visited once: YAML aliases share nodes, and a key
    written twice is reported once, at its source, not once per alias-expanded copy."""
    stack: list[tuple[Node, str]] = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend((item, f"{path}[{index}]") for index, item in enumerate(node.items))
            continue
        if not isinstance(node, MappingNode):
            continue
        last_seen: dict[Any, ScalarNode] = {}
        for key, value in node.pairs:
            key_path = f"{path}.{key.value}" if path else str(key.value)
            earlier = last_seen.get(key.value)
            if earlier is not None:
                message = (
                    f"duplicate key `{key.value}`: line {key.span.line} repeats the key from line "
                    f"{earlier.span.line}; the later value (line {key.span.line}) is the one used"
                )
                yield "SL010", Violation(message, key.span, f"duplicate-key:{key_path}")
            last_seen[key.value] = key
            stack.append((value, key_path))
