"""`count` and `for_each` on the resources that make or configure stages: one instance per element of a
known collection, each with its `count.index` or `each.key`/`each.value` in scope and its own address
(`aws_api_gateway_stage.s["prod"]`, `aws_api_gateway_stage.s[0]`), as Terraform plans them.

A collection stagelint cannot know (a data source, a variable without a value), or one larger than
`MAX_INSTANCES`, leaves the resource as one unexpanded instance whose `count.index`/`each` values are
unknown, with a note. `instance_candidates` picks the instance a reference such as
`aws_api_gateway_stage.s[each.key].stage_name` names, so that method settings join per instance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from stagelint import records as dataclasses
from stagelint.decoders.terraform.evaluate import Evaluator, Value, _as_string, _unknown
from stagelint.decoders.terraform.functions import SetValue
from stagelint.decoders.terraform.module import _Resource
from stagelint.decoders.terraform.syntax import Expression, Reference, Template

# Instances of one resource linted separately; past it the resource is one unexpanded stage.
MAX_INSTANCES = 64
# `aws_api_gateway_stage.s[each.key]`, `…s["prod"]`, `…s[0]`: the instance a reference names.
_INDEXED = re.compile(
    r'^\s*"?(?:\$\{)?\s*([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\s*\[\s*("(?:[^"\\]|\\.)*"|\d+|each\.key|count\.index)\s*\]'
)

Instance = tuple[_Resource, dict[str, Value]]


def _key_text(key: Any) -> str:
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(str(key), ensure_ascii=False)}]"


def _declared_set(evaluator: Evaluator, expression: Expression) -> bool:
    """`for_each = var.x` where `x` is declared `type = set(...)`: its list default is a set."""
    inner = expression.parts[0] if isinstance(expression, Template) and len(expression.parts) == 1 else expression
    if not (isinstance(inner, Reference) and len(inner.parts) == 2 and inner.parts[0] == "var"):
        return False
    declarations = evaluator.source.variables.get(str(inner.parts[1]), [])
    written = declarations[0].body.attribute("type") if len(declarations) == 1 else None
    return written is not None and "".join(written.value.text.split()).startswith("set(")


def expand(evaluator: Evaluator, resource: _Resource) -> tuple[list[Instance], str | None]:
    """The resource's instances (none: it is not created) and a note when it cannot be expanded."""
    body = resource.block.body
    count = body.attribute("count")
    for_each = body.attribute("for_each")
    if count is None and for_each is None:
        return [(resource, {})], None
    if count is not None:
        value = evaluator.evaluate(count.value, {})
        number = value.data
        if value.known and isinstance(number, int | float) and not isinstance(number, bool) and number == int(number):
            if int(number) == 0:
                return [], f"{resource.address}: count = 0, not created"
            if 0 < int(number) <= MAX_INSTANCES:
                return [(dataclasses.replace(resource, instance_key=f"[{index}]"),
                         {"count": Value({"index": index})}) for index in range(int(number))], None
        why = value.reason if not value.known else f"count = {_as_string(number) or number!r}"
        if value.known and isinstance(number, int | float) and number > MAX_INSTANCES:
            why = f"count = {_as_string(number)}, more than {MAX_INSTANCES} instances"
        unknown = _unknown(f"count.index differs per instance ({why})")
        return [(resource, {"count": unknown})], f"{resource.address}: count not expanded ({why}); linted as one stage"
    assert for_each is not None
    value = evaluator.evaluate(for_each.value, {})
    data = value.data
    why = value.reason or "not known"
    if value.known and isinstance(data, list) and not isinstance(data, SetValue) and _declared_set(
            evaluator, for_each.value) and all(_as_string(item) is not None for item in data):
        data = SetValue(sorted({str(_as_string(item)) for item in data}))
    if value.known:
        if isinstance(data, dict):
            items: list[tuple[Any, Any]] = [(key, data[key]) for key in sorted(data)]
        elif isinstance(data, SetValue):
            items = [(item, item) for item in data]
        else:
            items = []
            why = ("a list or tuple: Terraform requires a map or a set of strings (toset())"
                   if isinstance(data, list) else "not a map or a set")
        if isinstance(data, dict | SetValue):
            if not items:
                return [], f"{resource.address}: for_each is empty, not created"
            if len(items) <= MAX_INSTANCES:
                return [(dataclasses.replace(resource, instance_key=_key_text(key)),
                         {"each": Value({"key": key, "value": item}, origin=value.origin)})
                        for key, item in items], None
            why = f"{len(items)} instances, more than {MAX_INSTANCES}"
    unknown = _unknown(f"each.key and each.value differ per instance ({why})")
    return [(resource, {"each": unknown})], f"{resource.address}: for_each not expanded ({why}); linted as one stage"


def indexed_reference(expression: Expression) -> Reference | None:
    """`aws_api_gateway_stage.s[each.key].arn` (an index the parser leaves opaque) as its names."""
    names = _INDEXED.match(expression.text)
    if names is None or names.group(1) in ("var", "local", "count", "each", "data", "module"):
        return None
    return Reference((names.group(1), names.group(2)), expression.span, expression.text)


# What a reference names among a module's stage instances (`instance_candidates`): None, any of them
# may be meant; else an address and the only instances of that address it can name.
Choice = tuple[tuple[str, str], list[_Resource]] | None


def instance_candidates(
    expression: Expression, scope: Mapping[str, Value], named: Callable[[tuple[str, str]], list[_Resource]]
) -> Choice | str:
    """The instances that the reference at the start of `expression` can name: None (all candidates)
    when it names no instance or the resource is not expanded; else its address and the instances of
    that address it names, the other instances of it being no candidates; a string says why none.
    `named` gives the candidates with an address (an index: a scan per call made a big module quadratic)."""
    match = _INDEXED.match(expression.text)
    if match is None:
        return None
    resource_type, name, index = match.groups()
    if index in ("each.key", "count.index"):
        head, _, attribute = index.partition(".")
        known = scope.get(head)
        if known is None or not known.known or not isinstance(known.data, dict):
            return f"{resource_type}.{name}[{index}] cannot be told here"
        key = _key_text(known.data[attribute])
    else:
        key = f"[{index}]" if index.isdigit() else _key_text(json.loads(index))
    instances = named((resource_type, name))
    if not any(resource.instance_key for resource in instances):
        return None
    chosen = [resource for resource in instances if resource.instance_key == key]
    if not chosen:
        return f"{resource_type}.{name}{key} is not an instance in this module"
    return (resource_type, name), chosen
