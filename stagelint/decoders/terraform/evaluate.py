"""What Terraform would know from the configuration alone: the evaluator over a `ModuleSource`.

It resolves literals, `var.x`, `local.x`, string templates over known values, `tostring`/`tonumber`,
conditionals over known booleans, and `dynamic` blocks over known collections. Everything else — a
variable with no value, a data source, another resource's attribute, any other function — is UNKNOWN
with the reason. A value reached through a reference keeps an `origin`: where the value is written.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from stagelint import records as dataclasses
from stagelint.decoders.terraform import functions, variable_types
from stagelint.decoders.terraform.module import ModuleSource, _Resource
from stagelint.decoders.terraform.syntax import (
    Body,
    Call,
    Conditional,
    Expression,
    Literal,
    ObjectExpression,
    Opaque,
    Reference,
    Template,
    TupleExpression,
    shorten,
)
from stagelint.decoders.values import to_bool, to_float, to_int
from stagelint.limits import ValueBudget
from stagelint.positions import SourcePosition
from stagelint.records import dataclass
from stagelint.text import number_text

# Dynamic blocks over larger collections are not expanded (each instance would be a method setting).
MAX_DYNAMIC_INSTANCES = 256
# References followed through locals and variables before giving up (a chain, not a cycle).
MAX_REFERENCE_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Value:
    """An evaluated expression. `origin` is where the literal was written when it was reached
    through a reference (a variable's default, a tfvars line, a local's definition)."""

    data: Any = None
    known: bool = True
    reason: str | None = None
    origin: SourcePosition | None = None


def _unknown(reason: str) -> Value:
    return Value(None, False, reason)


def _with_origin(value: Value, position: SourcePosition) -> Value:
    if value.known and value.origin is None:
        return dataclasses.replace(value, origin=position)
    return value


def _as_string(data: Any) -> str | None:
    """A primitive as Terraform converts it to a string; None for what it cannot convert."""
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float):
        return number_text(data)
    if isinstance(data, str):
        return data
    return None


@dataclass(slots=True)
class _Instance:
    """A block as it is evaluated: its body, the names in scope, or why its contents are unknown."""

    body: Body
    span: SourcePosition
    scope: Mapping[str, Value]
    unknown: str | None = None


class Evaluator:
    """Evaluates expressions of one module; owns the caches of variables and locals."""

    def __init__(self, source: ModuleSource) -> None:
        self.source = source
        self._local_cache: dict[str, Value] = {}
        self._variable_cache: dict[str, Value] = {}
        self._resolving: set[str] = set()
        self._depth = 0
        self._budget = ValueBudget(source.options.limits.max_evaluated_chars, "module")

    def variable(self, name: str) -> Value:
        if name not in self._variable_cache:
            self._variable_cache[name] = self._typed(name, self._variable(name))
        return self._variable_cache[name]

    def _typed(self, name: str, value: Value) -> Value:
        """The value with the `optional()` defaults of the variable's object type applied."""
        declarations = self.source.variables.get(name, [])
        written = declarations[0].body.attribute("type") if len(declarations) == 1 else None
        if written is None or not value.known or "optional" not in written.value.text:
            return value

        def evaluate_default(expression: Expression) -> Any:
            default = self.evaluate(expression, {})
            if not default.known:
                raise functions.NotComputed(f"an optional() default of var.{name}: {default.reason}")
            return default.data

        try:
            data = variable_types.with_defaults(variable_types.type_expression(written.value), value.data,
                                                evaluate_default)
        except functions.NotComputed as error:
            return _unknown(str(error))
        return dataclasses.replace(value, data=data)

    def _variable(self, name: str) -> Value:
        declarations = self.source.variables.get(name, [])
        given = self.source.variable_values.get(name)
        if given is not None:
            if given.expression is None:
                return Value(given.text, origin=given.position)
            return _with_origin(self.evaluate(given.expression, {}), given.position)
        if not declarations:
            return _unknown(f"var.{name} is not declared in this module")
        defaults: list[Value | None] = []
        for declaration in declarations:
            default = declaration.body.attribute("default")
            defaults.append(
                None
                if default is None
                else _with_origin(self.evaluate(default.value, {}), default.value.span)
            )
        if len(declarations) > 1 and len({_fingerprint(value) for value in defaults}) > 1:
            places = ", ".join(declaration.span.label() for declaration in declarations)
            return _unknown(f"var.{name} is declared more than once with different defaults ({places})")
        first = defaults[0]
        if first is None:
            return _unknown(
                f"var.{name} has no default and no value in terraform.tfvars, *.auto.tfvars, "
                "--var-file or --var"
            )
        return first

    def local(self, name: str) -> Value:
        if name in self._local_cache:
            return self._local_cache[name]
        definitions = self.source.locals.get(name, [])
        if not definitions:
            return _unknown(f"local.{name} is not defined in this module")
        if name in self._resolving:
            return _unknown(f"local.{name} refers to itself")
        self._resolving.add(name)
        try:
            values = [
                _with_origin(self.evaluate(definition.value, {}), definition.value.span)
                for definition in definitions
            ]
        finally:
            self._resolving.discard(name)
        if len(values) > 1 and len({_fingerprint(value) for value in values}) > 1:
            places = ", ".join(definition.name_span.label() for definition in definitions)
            result = _unknown(f"local.{name} is defined more than once with different values ({places})")
        else:
            result = values[0]
        self._local_cache[name] = result
        return result

    def evaluate(self, expression: Expression, scope: Mapping[str, Value]) -> Value:
        if self._depth > MAX_REFERENCE_DEPTH:
            return _unknown(f"references nested more than {MAX_REFERENCE_DEPTH} levels deep")
        self._depth += 1
        try:
            return self._evaluate(expression, scope)
        finally:
            self._depth -= 1

    def _evaluate(self, expression: Expression, scope: Mapping[str, Value]) -> Value:
        if isinstance(expression, Literal):
            return Value(expression.value)
        if isinstance(expression, Template):
            return self._template(expression, scope)
        if isinstance(expression, Reference):
            return self._reference(expression, scope)
        if isinstance(expression, Call):
            return self._call(expression, scope)
        if isinstance(expression, Conditional):
            condition = self.evaluate(expression.condition, scope)
            if not condition.known:
                return _unknown(
                    f"the condition `{shorten(expression.condition.text)}` cannot be decided: "
                    f"{condition.reason}"
                )
            decided = to_bool(condition.data)
            if not isinstance(decided, bool):
                return _unknown(f"the condition `{shorten(expression.condition.text)}` is not a boolean")
            return self.evaluate(expression.when_true if decided else expression.when_false, scope)
        if isinstance(expression, TupleExpression):
            items = [self.evaluate(item, scope) for item in expression.items]
            for item in items:
                if not item.known:
                    return item
            return Value([item.data for item in items])
        if isinstance(expression, ObjectExpression):
            entries: dict[str, Any] = {}
            for key, _, item_expression in expression.pairs:
                item = self.evaluate(item_expression, scope)
                if not item.known:
                    return item
                entries[key] = item.data
            return Value(entries)
        assert isinstance(expression, Opaque)
        return _unknown(
            f"`{shorten(expression.text)}` is {expression.reason}, which stagelint does not evaluate"
        )

    def _template(self, template: Template, scope: Mapping[str, Value]) -> Value:
        if len(template.parts) == 1 and not isinstance(template.parts[0], str):
            return self.evaluate(template.parts[0], scope)  # `"${x}"` is x itself, not its string
        pieces: list[str] = []
        origin: SourcePosition | None = None
        for part in template.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self.evaluate(part, scope)
            if not value.known:
                return value
            text = _as_string(value.data)
            if text is None:
                return _unknown(f"`{shorten(part.text)}` is not a string, number or boolean")
            pieces.append(text)
            origin = origin or value.origin
        # Only interpolation produces new text (a literal is bounded by the file size).
        interpolated = any(not isinstance(part, str) for part in template.parts)
        if interpolated and not self._budget.spend(sum(len(piece) for piece in pieces)):
            return _unknown(self._budget.reason())
        result = "".join(pieces)
        if template.strip_indent:
            result = textwrap.dedent(result)
        return Value(result, origin=origin)

    def _reference(self, reference: Reference, scope: Mapping[str, Value]) -> Value:
        head = str(reference.parts[0])
        rest = reference.parts[1:]
        if head in scope:
            return _traverse(scope[head], rest, reference.text)
        if head in ("var", "local"):
            if not rest or not isinstance(rest[0], str):
                return _unknown(f"`{reference.text}` is not a complete reference")
            value = self.variable(rest[0]) if head == "var" else self.local(rest[0])
            return _traverse(value, rest[1:], reference.text)
        if head in ("count", "each"):
            return _unknown(f"{reference.text} differs per instance of the resource")
        if head == "data":
            return _unknown(f"{shorten(reference.text)} is read from a data source at plan time")
        if head == "module":
            return _unknown(f"{shorten(reference.text)} is an output of a child module")
        if head in ("path", "terraform", "self"):
            return _unknown(f"{reference.text} is not evaluated by stagelint")
        return _unknown(f"{shorten(reference.text)} is another resource's attribute")

    def _call(self, call: Call, scope: Mapping[str, Value]) -> Value:
        if call.name in functions.FUNCTIONS:
            return self._collection_call(call, scope)
        if call.name not in ("tostring", "tonumber") or len(call.arguments) != 1:
            return _unknown(f"function {call.name}() is not evaluated by stagelint")
        argument = self.evaluate(call.arguments[0], scope)
        if not argument.known or argument.data is None:
            return argument
        if call.name == "tostring":
            text = _as_string(argument.data)
            if text is None:
                return _unknown(f"tostring() of a collection in `{shorten(call.text)}`")
            return dataclasses.replace(argument, data=text)
        number = argument.data
        if isinstance(number, str):
            number = to_float(number) if "." in number or "e" in number.lower() else to_int(number)
        if isinstance(number, bool) or not isinstance(number, int | float):
            return _unknown(f"tonumber() of a value that is not a number in `{shorten(call.text)}`")
        return dataclasses.replace(argument, data=number)

    def _collection_call(self, call: Call, scope: Mapping[str, Value]) -> Value:
        arguments = [self.evaluate(argument, scope) for argument in call.arguments]
        for argument in arguments:
            if not argument.known:
                return argument
        try:
            data = functions.apply(call.name, [argument.data for argument in arguments])
        except functions.NotComputed as error:
            return _unknown(f"`{shorten(call.text)}`: {error}")
        origins = [argument.origin for argument in arguments if argument.origin is not None]
        return Value(data, origin=origins[0] if origins else None)

    # blocks
    def resource_scope(self, resource: _Resource) -> tuple[dict[str, Value], str | None, bool]:
        """The names `count`/`each` mean in a resource, a note when they cannot be known, and
        False when the resource is known not to be created (`count = 0`, empty `for_each`)."""
        body = resource.block.body
        count = body.attribute("count")
        if count is not None:
            value = self.evaluate(count.value, {})
            if value.known and isinstance(value.data, int) and not isinstance(value.data, bool):
                if value.data == 0:
                    return {}, f"{resource.address}: count = 0, not created", False
                if value.data == 1:
                    return {"count": Value({"index": 0})}, None, True
            why = value.reason if not value.known else f"count = {value.data!r}"
            return (
                {"count": _unknown(f"count.index differs per instance ({why})")},
                f"{resource.address}: count not expanded ({why}); linted as one stage",
                True,
            )
        for_each = body.attribute("for_each")
        if for_each is not None:
            value = self.evaluate(for_each.value, {})
            if value.known and isinstance(value.data, dict | list):
                items = _items(value.data)
                if not items:
                    return {}, f"{resource.address}: for_each is empty, not created", False
                if len(items) == 1:
                    key, item = items[0]
                    return {"each": Value({"key": key, "value": item}, origin=value.origin)}, None, True
            why = value.reason if not value.known else "more than one instance"
            return (
                {"each": _unknown(f"each.key and each.value differ per instance ({why})")},
                f"{resource.address}: for_each not expanded ({why}); linted as one stage",
                True,
            )
        return {}, None, True

    def nested(self, instance: _Instance, block_type: str) -> list[_Instance]:
        """The blocks of one type in a body, static and `dynamic`, as instances to evaluate."""
        if instance.unknown is not None:
            return [instance] if instance.body.blocks_of(block_type) else []
        found = [
            _Instance(block.body, block.span, instance.scope) for block in instance.body.blocks_of(block_type)
        ]
        for dynamic in instance.body.blocks_of("dynamic"):
            if dynamic.labels != (block_type,):
                continue
            contents = dynamic.body.blocks_of("content")
            content = contents[0].body if contents else Body()
            iterator = dynamic.body.attribute("iterator")
            name = block_type
            if (
                iterator is not None
                and isinstance(iterator.value, Reference)
                and len(iterator.value.parts) == 1
            ):
                name = str(iterator.value.parts[0])
            for_each = dynamic.body.attribute("for_each")
            value = (
                self.evaluate(for_each.value, instance.scope)
                if for_each is not None
                else _unknown("it has no for_each")
            )
            if (
                value.known
                and isinstance(value.data, dict | list)
                and len(value.data) <= MAX_DYNAMIC_INSTANCES
            ):
                for key, item in _items(value.data):
                    scope = {**instance.scope, name: Value({"key": key, "value": item}, origin=value.origin)}
                    found.append(_Instance(content, dynamic.span, scope))
                continue
            text = shorten(for_each.value.text) if for_each is not None else ""
            why = value.reason if not value.known else "it is not a small list or map"
            found.append(
                _Instance(
                    content,
                    dynamic.span,
                    instance.scope,
                    f'dynamic "{block_type}" block: for_each = {text} cannot be expanded ({why})',
                )
            )
        return found


def _items(data: dict[str, Any] | list[Any]) -> list[tuple[Any, Any]]:
    if isinstance(data, dict):
        return list(data.items())
    return list(enumerate(data))


def _fingerprint(value: Value | None) -> str:
    if value is None:
        return "no default"
    if not value.known:
        return f"unknown: {value.reason}"
    return _digest(value.data, {})


def _digest(data: Any, memo: dict[int, str]) -> str:
    """What tells two values apart, computed once per distinct list or map: a list doubled through
    locals (`a_k = [local.a_{k-1}, local.a_{k-1}]`) shares its halves, and its repr would be
    exponential in k."""
    if not isinstance(data, list | tuple | dict):
        return repr(data)
    known = memo.get(id(data))
    if known is not None:
        return known
    import hashlib

    if isinstance(data, dict):
        parts = [f"{key!r}:{_digest(item, memo)}" for key, item in sorted(data.items(), key=lambda pair: repr(pair[0]))]
        text = "{" + ",".join(parts) + "}"
    else:
        text = "[" + ",".join(_digest(item, memo) for item in data) + "]"
    memo[id(data)] = digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest


def _traverse(value: Value, parts: tuple[str | int, ...], text: str) -> Value:
    data = value.data
    for part in parts:
        if not value.known:
            return value
        if isinstance(data, dict) and isinstance(part, str | int) and str(part) in data:
            data = data[str(part)]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _unknown(f"`{shorten(text)}`: the value has no element {part!r}")
    return dataclasses.replace(value, data=data)

