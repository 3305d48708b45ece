"""The collection functions `count` and `for_each` are written with: `toset`, `tolist`, `tomap`,
`range`, `length`, `keys` and `values`, over arguments the evaluator already knows.

They work on plain evaluated data (no `Value`s), so the evaluator imports this module and not the
other way round. A set is a `SetValue`: a list (every reader of lists accepts it) that `for_each`
can tell from a tuple, which Terraform refuses there.
"""

from __future__ import annotations

from typing import Any

from stagelint.text import number_text

# `range()` results longer than this are not built (an instance per element would follow).
MAX_RANGE = 1024
FUNCTIONS = frozenset({"toset", "tolist", "tomap", "range", "length", "keys", "values"})


class SetValue(list[Any]):
    """`toset(...)`: distinct elements in Terraform's order (strings sorted lexically)."""


class NotComputed(Exception):
    """The call cannot be computed from its arguments; the message says why."""


def _primitive_text(item: Any) -> str | None:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return number_text(item)
    if isinstance(item, str):
        return item
    return None


def _whole_number(data: Any, what: str) -> int:
    if isinstance(data, bool) or not isinstance(data, int | float) or data != int(data):
        raise NotComputed(f"{what} is not a whole number")
    return int(data)


def _range(arguments: list[Any]) -> list[int]:
    if not 1 <= len(arguments) <= 3:
        raise NotComputed("range() takes one to three arguments")
    numbers = [_whole_number(argument, "a range() argument") for argument in arguments]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (numbers[0], numbers[1], 1)
    if len(numbers) == 3:
        step = numbers[2]
    if step == 0:
        raise NotComputed("range() with a step of 0")
    if len(range(start, stop, step)) > MAX_RANGE:
        raise NotComputed(f"range() of more than {MAX_RANGE} numbers")
    return list(range(start, stop, step))


def apply(name: str, arguments: list[Any]) -> Any:
    """The result of `name(*arguments)`; raises NotComputed when it cannot be told."""
    if name == "range":
        return _range(arguments)
    if len(arguments) != 1:
        raise NotComputed(f"{name}() takes one argument")
    (argument,) = arguments
    if name == "length":
        if isinstance(argument, dict | list | str):
            return len(argument)
        raise NotComputed("length() of a value that is not a collection or a string")
    if name in ("keys", "values"):
        if not isinstance(argument, dict):
            raise NotComputed(f"{name}() of a value that is not a map")
        return sorted(argument) if name == "keys" else [argument[key] for key in sorted(argument)]
    if name == "tomap":
        if not isinstance(argument, dict):
            raise NotComputed("tomap() of a value that is not an object or a map")
        return argument
    if not isinstance(argument, list):
        raise NotComputed(f"{name}() of a value that is not a list or a set")
    if name == "tolist":
        return list(argument)
    texts = [_primitive_text(item) for item in argument]
    if any(text is None for text in texts):
        # A set of objects has an order stagelint does not reproduce; for_each rejects it anyway.
        raise NotComputed("toset() of values that are not strings, numbers or booleans")
    return SetValue(sorted({text for text in texts if text is not None}))
