"""Mapping keys written twice in the same mapping, over any YAML or JSON tree (reported as SL010)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.decoders.result import DuplicateKey
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode


def duplicate_keys(root: Node) -> Iterator[DuplicateKey]:
    """Each mapping key written again in the same mapping (the later one wins), over the whole
    document, iteratively (no recursion limit on deep input). Each node is visited once: YAML aliases
    share nodes, and a key written twice is reported once, at its source, not once per copy."""
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
                yield DuplicateKey(str(key.value), key_path, key.span, earlier.span)
            last_seen[key.value] = key
            stack.append((value, key_path))
