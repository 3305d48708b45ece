"""Helpers that turn positioned tree nodes into `Tracked` model values.

Shared by every decoder built on `tree` (native YAML, CloudFormation, SAM, `.tf.json`, plans).
Conversions are lossless only: `"true"` → True, `"300"` → 300; a value that does not convert stays
KNOWN with its original type, and a rule that needs a number checks the type itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.positions import SourcePosition
from stagelint.text import shown
from stagelint.tracked import Tracked

T = TypeVar("T")


def to_bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def to_int(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return to_float(value)
    return value


def to_float(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


def to_str(value: Any) -> Any:
    """Numbers written unquoted where a string is meant (`cache_cluster_size: 0.5`) keep their source text."""
    return value


def raw_text(node: ScalarNode) -> str:
    """A YAML/JSON scalar as messages show it (`text.shown`), in the file's own spelling."""
    return shown(node.value, node.raw or None)


def scalar(
    node: Node,
    spelled_as: str,
    convert: Callable[[Any], Any] = to_str,
    unknown_reason: Callable[[Node], str | None] | None = None,
) -> Tracked[Any]:
    """A scalar attribute. A collection where a scalar belongs, or a tagged value the caller could
    not resolve, is UNKNOWN (never a guess)."""
    if unknown_reason is not None:
        reason = unknown_reason(node)
        if reason is not None:
            return Tracked.unknown(node.span, reason, spelled_as)
    if not isinstance(node, ScalarNode):
        kind = "list" if isinstance(node, SequenceNode) else "mapping"
        return Tracked.unknown(node.span, f"{spelled_as} is a {kind}, not a single value", spelled_as)
    if node.tag is not None:
        return Tracked.unknown(node.span, f"{node.tag} is not resolved", spelled_as, node.raw)
    value = node.value
    if convert is to_str and isinstance(value, int | float) and not isinstance(value, bool):
        return Tracked.known(node.raw or str(value), node.span, spelled_as, node.raw)
    return Tracked.known(convert(value), node.span, spelled_as, raw_text(node))


def field(
    mapping: MappingNode,
    key: str,
    owner: SourcePosition,
    convert: Callable[[Any], Any] = to_str,
    spelled_as: str | None = None,
) -> Tracked[Any]:
    node = mapping.get(key)
    if node is None:
        return Tracked.absent(owner, spelled_as or key)
    if isinstance(node, ScalarNode) and node.value is None and node.tag is None:
        return Tracked.absent(node.span, spelled_as or key)
    return scalar(node, spelled_as or key, convert)


def string_map(node: Node | None, owner: SourcePosition, spelled_as: str) -> Tracked[dict[str, str]]:
    """A mapping of plain strings (tags, variables). Any unresolved entry makes the whole map UNKNOWN."""
    if node is None:
        return Tracked.absent(owner, spelled_as)
    if not isinstance(node, MappingNode):
        return Tracked.unknown(node.span, f"{spelled_as} is not a mapping", spelled_as)
    values: dict[str, str] = {}
    for key, value in node.items():
        if not isinstance(value, ScalarNode) or value.tag is not None:
            return Tracked.unknown(node.span, f"{spelled_as}.{key.value} is not a plain value", spelled_as)
        values[str(key.value)] = "" if value.value is None else (value.raw if not value.quoted else str(value.value))
    return Tracked.known(values, node.span, spelled_as)
