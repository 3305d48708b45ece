"""A module's resources → stages, for the reported files, with method settings and WAF associations
joined to their stages. Which attribute feeds which model field is `schema`'s business (shared with
plans); this module supplies the values through the evaluator (`_HclValues`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import stagelint.decoders.terraform.schema as schema
from stagelint.decoders.terraform.evaluate import Evaluator, Value, _as_string, _Instance
from stagelint.decoders.terraform.module import _File, _Resource
from stagelint.decoders.terraform.schema import STAGE_RESOURCES, WAF_ASSOCIATIONS
from stagelint.decoders.terraform.syntax import (
    Attribute,
    Body,
    Expression,
    Literal,
    ObjectExpression,
    Reference,
    Template,
    shorten,
)
from stagelint.findings import Note
from stagelint.model import ApiKind, MethodSetting, Stage, StageSource, StageVariable
from stagelint.positions import SourcePosition
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


class _HclValues:
    """A resource instance or nested block as `schema.Values`: read through the module's evaluator."""

    __slots__ = ("builder", "instance")

    def __init__(self, builder: _Builder, instance: _Instance) -> None:
        self.builder = builder
        self.instance = instance

    @property
    def span(self) -> SourcePosition:
        return self.instance.span

    def field(self, name: str, convert: Callable[[Any], Any] | None = None) -> Tracked[Any]:
        return self.builder.field(self.instance, name, convert or _text)

    def identity(self, name: str) -> Tracked[Any]:
        return self.builder.identity(self.instance, name)

    def string_map(self, name: str) -> Tracked[dict[str, str]]:
        return self.builder.string_map(self.instance, name)

    def variables(self, name: str) -> Tracked[tuple[StageVariable, ...]]:
        return self.builder.variables(self.instance, name)

    def blocks(self, name: str) -> list[_HclValues]:
        instance = self.instance
        found = self.builder.evaluator.nested(instance, name)
        if not found and instance.unknown is None:
            attribute = instance.body.attribute(name)
            if attribute is not None and isinstance(attribute.value, ObjectExpression):
                # `access_log_settings = { ... }` (an attribute, not a block): valid HCL that the
                # provider rejects; read it the same way rather than lose the settings.
                body = Body([Attribute(key, key_span, item) for key, key_span, item in attribute.value.pairs])
                found = [_Instance(body, attribute.value.span, instance.scope)]
        return [_HclValues(self.builder, block) for block in found]


class _Builder:
    """Turns the module's resources into stages (for the reported files) and joins settings to them."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.source = evaluator.source
        self.notes: dict[str, list[Note]] = {}
        self.skipped_stages: dict[str, list[str]] = {}  # stage resources not created, by file

    def note(self, path: str, message: str, position: SourcePosition | None = None) -> None:
        self.notes.setdefault(path, []).append(Note(path, message, position))

    # leaves
    def tracked(
        self,
        expression: Expression,
        scope: Mapping[str, Value],
        spelled_as: str,
        convert: Callable[[Any], Any],
    ) -> Tracked[Any]:
        value = self.evaluator.evaluate(expression, scope)
        raw = shorten(expression.text)
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

    # the model: which attribute feeds which field is schema's business (shared with plans)
    def method_setting(self, resource: _Resource, instance: _Instance) -> MethodSetting:
        return schema.method_setting(_HclValues(self, instance), instance.span, resource.address)

    def stage(self, resource: _Resource, instance: _Instance) -> Stage | None:
        source = StageSource(resource.file.path, resource.file.format, resource.address)
        v2 = resource.type == "aws_apigatewayv2_stage"
        v2_api_kind = self.api_kind(instance, resource) if v2 else ApiKind.UNKNOWN
        return schema.stage(resource.type, source, instance.span, _HclValues(self, instance), v2_api_kind)

    def api_kind(self, instance: _Instance, resource: _Resource) -> ApiKind:
        attribute = instance.body.attribute("api_id")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None or reference.parts[0] != "aws_apigatewayv2_api":
            return ApiKind.UNKNOWN
        api = self.find(("aws_apigatewayv2_api", str(reference.parts[1])), resource.file)
        if api is None or isinstance(api, str):
            return ApiKind.UNKNOWN
        protocol = api.block.body.attribute("protocol_type")
        if protocol is None:
            return ApiKind.UNKNOWN
        value = self.evaluator.evaluate(protocol.value, {})
        if value.known and isinstance(value.data, str):
            return ApiKind.__members__.get(value.data.upper(), ApiKind.UNKNOWN)
        return ApiKind.UNKNOWN

    def find(
        self, key: tuple[str, str], near: _File, among: list[_Resource] | None = None
    ) -> _Resource | str | None:
        """The one resource with this address, preferring one in `near`'s file; a string says why not."""
        candidates = [
            resource
            for resource in (among if among is not None else self.source.resources)
            if (resource.type, resource.name) == key
        ]
        same_file = [resource for resource in candidates if resource.file is near]
        chosen = same_file or candidates
        if not chosen:
            return None
        if len(chosen) > 1:
            return f"{key[0]}.{key[1]} is declared {len(chosen)} times"
        return chosen[0]

    def build(self) -> dict[str, list[Stage]]:
        source = self.source
        stages: dict[int, Stage] = {}  # by id of the resource
        scopes: dict[int, dict[str, Value]] = {}
        for resource in source.resources:
            if (
                resource.type not in STAGE_RESOURCES
                and resource.type != "aws_api_gateway_method_settings"
                and (resource.type not in WAF_ASSOCIATIONS)
            ):
                continue
            scope, message, created = self.evaluator.resource_scope(resource)
            if message is not None and resource.file.reported:
                self.note(resource.file.path, message, resource.block.span)
            if not created:
                if resource.type in STAGE_RESOURCES and message is not None:
                    self.skipped_stages.setdefault(resource.file.path, []).append(message)
                continue
            scopes[id(resource)] = scope
            if resource.type in STAGE_RESOURCES:
                stage = self.stage(resource, _Instance(resource.block.body, resource.block.span, scope))
                if stage is not None:
                    stages[id(resource)] = stage
        stage_resources = [resource for resource in source.resources if id(resource) in stages]
        for resource in source.resources:
            if id(resource) not in scopes:
                continue
            instance = _Instance(resource.block.body, resource.block.span, scopes[id(resource)])
            if resource.type == "aws_api_gateway_method_settings":
                self.join_method_setting(resource, instance, stages, stage_resources)
            elif resource.type in WAF_ASSOCIATIONS:
                self.join_association(resource, instance, stages, stage_resources)
        result: dict[str, list[Stage]] = {}
        for resource in stage_resources:
            result.setdefault(resource.file.path, []).append(stages[id(resource)])
        return result

    def join_method_setting(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> None:
        setting = self.method_setting(resource, instance)
        target = self.setting_target(resource, instance, stages, stage_resources)
        if isinstance(target, str):
            if resource.file.reported:
                self.note(
                    resource.file.path, f"{resource.address} is not linted: {target}", resource.block.span
                )
            return
        stage = stages[id(target)]
        stages[id(target)] = dataclasses.replace(stage, method_settings=(*stage.method_settings, setting))

    def setting_target(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> _Resource | str:
        attribute = instance.body.attribute("stage_name")
        if attribute is None:
            return "it has no stage_name"
        reference = _resource_reference(attribute.value)
        if reference is not None:
            names = _named_parts(reference)
            if names[0] in ("aws_api_gateway_stage", "aws_api_gateway_deployment") and len(names) >= 2:
                found = self.find((names[0], names[1]), resource.file, stage_resources)
                if isinstance(found, _Resource):
                    return found
                return found or f"its stage {names[0]}.{names[1]} is not a stage in this module"
        name = self.field(instance, "stage_name")
        api = self.identity(instance, "rest_api_id")
        if not name.is_known:
            return f"its stage_name cannot be resolved ({name.reason})"
        if not api.is_known:
            return f"its rest_api_id cannot be resolved ({api.reason})"
        matches = [
            candidate
            for candidate in stage_resources
            if stages[id(candidate)].api_kind is ApiKind.REST
            and stages[id(candidate)].name.known_equals(name.value)
            and stages[id(candidate)].api.known_equals(api.value)
        ]
        same_file = [candidate for candidate in matches if candidate.file is resource.file]
        chosen = same_file or matches
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            return f'no stage named "{name.value}" on {api.value} in this module'
        return f'{len(chosen)} stages are named "{name.value}" on {api.value}'

    def join_association(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> None:
        attribute = instance.body.attribute("resource_arn")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None:
            return
        names = _named_parts(reference)
        if names[0] not in ("aws_api_gateway_stage", "aws_apigatewayv2_stage") or len(names) < 2:
            return
        found = self.find((names[0], names[1]), resource.file, stage_resources)
        if not isinstance(found, _Resource):
            if resource.file.reported:
                self.note(
                    resource.file.path,
                    f"{resource.address} is not linted: "
                    f"{found or f'{names[0]}.{names[1]} is not a stage in this module'}",
                    resource.block.span,
                )
            return
        acl = self.identity(instance, WAF_ASSOCIATIONS[resource.type])
        stages[id(found)] = dataclasses.replace(stages[id(found)], web_acl_arn=acl)

