"""Mapping keys written twice in the same mapping, over any YAML or JSON tree (reported as SL010)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.decoders.result import DuplicateKey
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode

# Where a node is, as (where its parent is, its key or index, whether it is an index): written out as
# `a.b[0].c` only for a duplicate. Building that string for every key of a 5 MB template was a
# quarter of a second and ten megabytes, for the handful of keys (usually none) ever reported.
Place = tuple[Any, Any, bool] | None


def duplicate_keys(root: Node) -> Iterator[DuplicateKey]:
    """Each mapping key written again in the same mapping (the later one wins), over the whole
    document, iteratively (no recursion limit on deep input). Each node is visited once: YAML aliases
    share nodes, and a key written twice is reported once, at its source, not once per copy."""
    stack: list[tuple[Node, Place]] = [(root, None)]
    seen: set[int] = set()
    while stack:
        node, place = stack.pop()
        if isinstance(node, ScalarNode):  # no keys below; a shared one is not remembered (most nodes are these)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend((item, (place, index, True)) for index, item in enumerate(node.items)
                         if type(item) is not ScalarNode)
            continue
        if not isinstance(node, MappingNode):
            continue
        if node.written_once():  # then only the values with keys below are of interest
            stack.extend((value, (place, key.value, False)) for key, value in node.pairs
                         if type(value) is not ScalarNode)
            continue
        last_seen: dict[Any, ScalarNode] = {}
        for key, value in node.pairs:
            # a place only where it can be needed: a duplicate, or a value with keys below
            earlier = last_seen.get(key.value)
            if earlier is not None:
                yield DuplicateKey(str(key.value), _written((place, key.value, False)), key.span, earlier.span)
            last_seen[key.value] = key
            if type(value) is not ScalarNode:
                stack.append((value, (place, key.value, False)))


def _written(place: Place) -> str:
    """`a.b[0].c`: a place as the dotted path duplicate-key findings name it."""
    steps = []
    while place is not None:
        place, label, is_index = place
        steps.append((label, is_index))
    path = ""
    for label, is_index in reversed(steps):
        path = f"{path}[{label}]" if is_index else f"{path}.{label}" if path else str(label)
    return path
