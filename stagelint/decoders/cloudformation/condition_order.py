"""The order in which a template's named conditions are decided: the ones a condition names through
`Condition` calls first, so that a chain thousands long is decided without recursing through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode


def dependencies(conditions: Mapping[str, Node], name: str, decided: Mapping[str, Any],
                 as_call: Callable[..., Any]) -> list[str]:
    """Conditions reachable from `name` that are not decided yet, deepest first (`name` excluded).
    `as_call` is the resolver's reading of an intrinsic function (in conditions context)."""
    order: list[str] = []
    visited = {name}
    stack: list[tuple[str, list[str]]] = [(name, named(conditions[name], as_call))]
    while stack:
        current, pending = stack[-1]
        if pending:
            child = pending.pop()
            if child not in visited and child in conditions and child not in decided:
                visited.add(child)
                stack.append((child, named(conditions[child], as_call)))
            continue
        stack.pop()
        if current != name:
            order.append(current)
    return order


def named(expression: Node, as_call: Callable[..., Any]) -> list[str]:
    """The condition names an expression refers to with `Condition` calls."""
    names: list[str] = []
    nodes: list[Node] = [expression]
    seen: set[int] = set()
    while nodes:
        node = nodes.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        call = as_call(node, conditions_context=True)
        if call is not None and call.name == "Condition":
            if isinstance(call.argument, ScalarNode):
                names.append(str(call.argument.value))
            continue
        if isinstance(node, SequenceNode):
            nodes.extend(node.items)
        elif isinstance(node, MappingNode):
            nodes.extend(value for _, value in node.pairs)
    return names
