"""A variable's `type` constraint applied to its value as Terraform ≥ 1.3 does: an attribute declared
`optional(type, default)` in an `object({...})` that the value leaves out takes that default (null
without one), through `map(...)`, `list(...)`, `set(...)` and `tuple([...])`, and within defaults.

In `.tf.json` a type is a string (`"object({size = optional(string, \\"0.5\\")})"`), parsed as HCL.
The evaluator passes `evaluate`, which returns a default's data or raises `NotComputed` with the
reason when the default is not known (then the whole value is unknown: never half a value).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stagelint.decoders.terraform.hcl import parse_expression
from stagelint.decoders.terraform.syntax import Call, Expression, Literal, ObjectExpression, TupleExpression

# Type constraints nested deeper than this are left as they are (a type is written by hand).
MAX_TYPE_DEPTH = 32
Evaluate = Callable[[Expression], Any]


def type_expression(written: Expression) -> Expression:
    """The constraint as an expression: JSON syntax writes it as a string."""
    if isinstance(written, Literal) and isinstance(written.value, str) and "(" in written.value:
        return parse_expression(written.value, written.span)
    return written


def with_defaults(constraint: Expression, data: Any, evaluate: Evaluate, depth: int = 0) -> Any:
    """`data` with the `optional()` defaults of `constraint` filled in; raises NotComputed."""
    if data is None or depth > MAX_TYPE_DEPTH or not isinstance(constraint, Call) or len(constraint.arguments) != 1:
        return data
    (inner,) = constraint.arguments
    name = constraint.name
    if name == "object" and isinstance(inner, ObjectExpression) and isinstance(data, dict):
        filled = dict(data)
        for attribute, _, attribute_type in inner.pairs:
            if isinstance(attribute_type, Call) and attribute_type.name == "optional" and attribute_type.arguments:
                declared = attribute_type.arguments[0]
                if attribute not in filled or filled[attribute] is None:
                    default = attribute_type.arguments[1] if len(attribute_type.arguments) > 1 else None
                    filled[attribute] = None if default is None else evaluate(default)
                attribute_type = declared
            if attribute in filled:
                filled[attribute] = with_defaults(attribute_type, filled[attribute], evaluate, depth + 1)
        return filled
    if name == "map" and isinstance(data, dict):
        return {key: with_defaults(inner, item, evaluate, depth + 1) for key, item in data.items()}
    if name in ("list", "set") and isinstance(data, list):
        return type(data)(with_defaults(inner, item, evaluate, depth + 1) for item in data)
    if name == "tuple" and isinstance(inner, TupleExpression) and isinstance(data, list):
        pairs = zip(inner.items, data, strict=False)  # a value longer than its tuple type: the rest as is
        typed = [with_defaults(item_type, item, evaluate, depth + 1) for item_type, item in pairs]
        return [*typed, *data[len(typed):]]
    return data

