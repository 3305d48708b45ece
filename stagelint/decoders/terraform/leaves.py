"""A resource instance's attributes as `Tracked` leaves, read through the module's evaluator: the
leaf readers `stages._Builder` inherits (and the helpers on references both use)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stagelint.decoders.terraform.evaluate import Evaluator, Value, _as_string, _Instance
from stagelint.decoders.terraform.syntax import Expression, Literal, ObjectExpression, Reference, Template, shorten
from stagelint.model import StageVariable
from stagelint.text import shown
from stagelint.tracked import Origin, Tracked

_NOT_RESOURCES = ("var", "local", "count", "each", "self", "path", "terraform", "data", "module")


def _unwrap(expression: Expression) -> Expression:
    """`"${aws_api_gateway_stage.x.stage_name}"` (JSON, old HCL) is the expression inside."""
    if (
        isinstance(expression, Template)
        and len(expression.parts) == 1
        and not isinstance(expression.parts[0], str)
    ):
        return expression.parts[0]
    return expression


def _resource_reference(expression: Expression) -> Reference | None:
    inner = _unwrap(expression)
    if isinstance(inner, Reference) and len(inner.parts) >= 2 and inner.parts[0] not in _NOT_RESOURCES:
        return inner
    return None


def _named_parts(reference: Reference) -> list[str]:
    """The names of a traversal without its instance indexes: `x[0].id` → `x.id`."""
    return [str(part) for part in reference.parts if isinstance(part, str)]


def _text(data: Any) -> Any:
    text = _as_string(data)
    return data if text is None else text


class Leaves:
    """Reads an instance's attributes as model leaves; `evaluator` is set by the subclass."""

    evaluator: Evaluator

    def tracked(
        self,
        expression: Expression,
        scope: Mapping[str, Value],
        spelled_as: str,
        convert: Callable[[Any], Any],
    ) -> Tracked[Any]:
        raw = shorten(expression.text)
        if type(expression) is Literal:  # most attributes: what the evaluator and the code below would make
            data = expression.value
            if data is None:
                return Tracked.absent(expression.span, spelled_as)
            literal = expression.text if convert is _text and isinstance(data, int | float) else convert(data)
            return Tracked.known(literal, expression.span, spelled_as, raw)
        value = self.evaluator.evaluate(expression, scope)
        if not value.known:
            return Tracked.unknown(expression.span, value.reason or "not known", spelled_as, raw)
        if value.data is None:
            return Tracked.absent(expression.span, spelled_as)  # null: the argument is unset
        if isinstance(value.data, dict | list):
            kind = "map" if isinstance(value.data, dict) else "list"
            return Tracked.unknown(
                expression.span, f"{spelled_as} is a {kind}, not a single value", spelled_as, raw
            )
        if convert is _text and isinstance(expression, Literal) and isinstance(value.data, int | float):
            converted: Any = expression.text  # a bare number where a string belongs keeps its spelling
        else:
            converted = convert(value.data)
        written_literally = isinstance(expression, Literal) or (
            isinstance(expression, Template) and all(isinstance(part, str) for part in expression.parts)
        )
        if written_literally or value.origin is None:
            return Tracked.known(converted, expression.span, spelled_as, raw if written_literally else None)
        return Tracked.known(
            converted, expression.span, spelled_as, shown(converted), Origin(raw, value.origin)
        )

    def field(
        self,
        instance: _Instance,
        name: str,
        convert: Callable[[Any], Any] = _text,
        spelled_as: str | None = None,
    ) -> Tracked[Any]:
        spelled = spelled_as or name
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, spelled)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, spelled)
        return self.tracked(attribute.value, instance.scope, spelled, convert)

    def identity(self, instance: _Instance, name: str) -> Tracked[Any]:
        """An id or ARN: its value when known, else the resource reference as written
        (`aws_api_gateway_rest_api.api.id`), which is what identifies it in the configuration."""
        tracked = self.field(instance, name)
        if not tracked.is_unknown or instance.unknown is not None:
            return tracked
        attribute = instance.body.attribute(name)
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None:
            return tracked
        return Tracked.known(".".join(_named_parts(reference)), reference.span, name, shorten(reference.text))

    def string_map(self, instance: _Instance, name: str) -> Tracked[dict[str, str]]:
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, name)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, name)
        value = self.evaluator.evaluate(attribute.value, instance.scope)
        span = attribute.value.span
        if not value.known:
            return Tracked.unknown(span, value.reason or "not known", name, shorten(attribute.value.text))
        if value.data is None:
            return Tracked.absent(span, name)
        if not isinstance(value.data, dict):
            return Tracked.unknown(span, f"{name} is not a map", name)
        entries: dict[str, str] = {}
        for key, item in value.data.items():
            text = _as_string(item)
            if text is None:
                return Tracked.unknown(span, f"{name}.{key} is not a plain value", name)
            entries[str(key)] = text
        origin = (
            None
            if isinstance(attribute.value, ObjectExpression) or value.origin is None
            else Origin(shorten(attribute.value.text), value.origin)
        )
        return Tracked.known(entries, span, name, None, origin)

    def variables(self, instance: _Instance, name: str) -> Tracked[tuple[StageVariable, ...]]:
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, name)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, name)
        expression = attribute.value
        if isinstance(expression, ObjectExpression):
            entries = tuple(
                StageVariable(
                    Tracked.known(key, key_span, name, key),
                    self.tracked(item, instance.scope, f"{name}.{key}", _text),
                )
                for key, key_span, item in expression.pairs
            )
            return Tracked.known(entries, expression.span, name)
        mapping = self.string_map(instance, name)
        if not mapping.is_known:
            return Tracked(None, mapping.state, mapping.position, name, mapping.raw, mapping.reason)
        values = mapping.get()
        return Tracked.known(
            tuple(
                StageVariable(
                    Tracked.known(key, mapping.position, name, key),
                    Tracked.known(text, mapping.position, f"{name}.{key}", shown(text), mapping.origin),
                )
                for key, text in values.items()
            ),
            mapping.position,
            name,
            None,
            mapping.origin,
        )
