"""A module's resources → stages, for the reported files, with method settings and WAF associations
joined to their stages. Which attribute feeds which model field is `schema`'s business (shared with
plans); this module supplies the values through the evaluator (`_HclValues`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import stagelint.decoders.terraform.schema as schema
from stagelint import records as dataclasses
from stagelint.decoders.terraform.addresses import AddressIndex
from stagelint.decoders.terraform.deployments import link_deployments
from stagelint.decoders.terraform.evaluate import Evaluator, Value, _Instance
from stagelint.decoders.terraform.expansion import Choice, expand, indexed_reference, instance_candidates
from stagelint.decoders.terraform.leaves import Leaves, _named_parts, _resource_reference, _text, _unwrap
from stagelint.decoders.terraform.module import _File, _Resource
from stagelint.decoders.terraform.schema import STAGE_RESOURCES, WAF_ASSOCIATIONS
from stagelint.decoders.terraform.syntax import (
    Attribute,
    Body,
    Expression,
    ObjectExpression,
    Template,
    shorten,
)
from stagelint.findings import Note
from stagelint.model import ApiKind, Stage, StageSource, StageVariable
from stagelint.positions import SourcePosition
from stagelint.tracked import Tracked

_STAGE_ARN = re.compile(r"/restapis/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$")
_DEPLOYMENTS = {"aws_api_gateway_deployment": "rest_api_id", "aws_apigatewayv2_deployment": "api_id"}
_INTERPOLATION = re.compile(r"\$\{([^}]+)\}")


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


class _Builder(Leaves):
    """Turns the module's resources into stages (for the reported files) and joins settings to them."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.source = evaluator.source
        self.notes: dict[str, list[Note]] = {}
        self.unjoined: str | None = None  # why a method-settings resource could not be joined (the first)
        self.skipped_stages: dict[str, list[str]] = {}  # stage resources not created, by file
        self.addresses = AddressIndex()

    def note(self, path: str, message: str, position: SourcePosition | None = None) -> None:
        self.notes.setdefault(path, []).append(Note(path, message, position))

    # the model: which attribute feeds which field is schema's business (shared with plans)
    def stage(self, resource: _Resource, instance: _Instance, later: dict[str, Any]) -> Stage | None:
        source = StageSource(resource.file.path, resource.file.format, resource.address)
        v2 = resource.type == "aws_apigatewayv2_stage"
        v2_api_kind = self.api_kind(instance, resource) if v2 else ApiKind.UNKNOWN
        stage = schema.stage(resource.type, source, instance.span, _HclValues(self, instance), v2_api_kind)
        if not v2 and stage is not None and (endpoint := self.endpoint_type(instance, resource)) is not None:
            later["endpoint_type"] = endpoint  # set by `build`, with the stage's other joined fields
        return stage

    def deployment_of(self, resource: _Resource) -> _Resource | None:
        """The deployment resource a stage's `deployment_id` references, if in this module."""
        attribute = resource.block.body.attribute("deployment_id")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None or reference.parts[0] not in _DEPLOYMENTS:
            return None
        found = self.find((str(reference.parts[0]), str(reference.parts[1])), resource.file)
        return found if isinstance(found, _Resource) else None

    def deployment_api(self, deployment: _Resource) -> Tracked[Any]:
        scope, _, _ = self.evaluator.resource_scope(deployment)
        instance = _Instance(deployment.block.body, deployment.block.span, scope)
        return self.identity(instance, _DEPLOYMENTS[deployment.type])

    def endpoint_type(self, instance: _Instance, resource: _Resource) -> Tracked[str] | None:
        """The `endpoint_configuration.types` of the stage's `aws_api_gateway_rest_api`, if in this module."""
        attribute = instance.body.attribute("rest_api_id")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None or reference.parts[0] != "aws_api_gateway_rest_api":
            return None
        api = self.find(("aws_api_gateway_rest_api", str(reference.parts[1])), resource.file)
        if not isinstance(api, _Resource):
            return None
        scope, _, _ = self.evaluator.resource_scope(api)
        blocks = self.evaluator.nested(_Instance(api.block.body, api.block.span, scope), "endpoint_configuration")
        types = blocks[0].body.attribute("types") if blocks and blocks[0].unknown is None else None
        if types is None:
            return Tracked.absent(api.block.span, "endpoint_configuration")
        value = self.evaluator.evaluate(types.value, blocks[0].scope)
        spelled = "endpoint_configuration.types"
        if not value.known or not isinstance(value.data, list) or not value.data:
            return Tracked.unknown(types.value.span, value.reason or "not a list of endpoint types", spelled)
        names = [str(_text(item)) for item in value.data]
        return Tracked.known("PRIVATE" if "PRIVATE" in names else names[0], types.value.span, spelled)

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
        self, key: tuple[str, str], near: _File, among: list[_Resource] | None = None, choice: Choice = None
    ) -> _Resource | str | None:
        """The one resource with this address among `among` (default: the module's), narrowed by
        `choice` (`instance_candidates`), preferring one in `near`'s file; a string says why not."""
        if choice is not None and choice[0] == key:
            candidates = choice[1]
        else:
            candidates = self.addresses.lookup(among if among is not None else self.source.resources, key)
        same_file = [resource for resource in candidates if resource.file is near]
        chosen = same_file or candidates
        if not chosen:
            return None
        if len(chosen) > 1:
            return f"{key[0]}.{key[1]} is declared {len(chosen)} times"
        return chosen[0]

    def named(self, resources: list[_Resource]) -> Callable[[tuple[str, str]], list[_Resource]]:
        """The resources of `resources` with an address, through the index."""
        return lambda key: self.addresses.lookup(resources, key)

    def build(self) -> dict[str, list[Stage]]:
        source = self.source
        stages: dict[int, Stage] = {}  # by id of the resource instance (`expansion`)
        # Each stage's joined fields, set in one copy at the end (a copy per join was ~5 of a 30-field Stage)
        later: dict[int, dict[str, Any]] = {}
        instances: list[tuple[_Resource, dict[str, Value]]] = []
        for declared in source.resources:
            if declared.type not in (*STAGE_RESOURCES, "aws_api_gateway_method_settings", *WAF_ASSOCIATIONS):
                continue
            expanded, message = expand(self.evaluator, declared)
            if message is not None and declared.file.reported:
                self.note(declared.file.path, message, declared.block.span)
            if not expanded and declared.type in STAGE_RESOURCES and message is not None:
                self.skipped_stages.setdefault(declared.file.path, []).append(message)
            instances += expanded
        for resource, scope in instances:
            if resource.type in STAGE_RESOURCES:
                instance = _Instance(resource.block.body, resource.block.span, scope)
                stage = self.stage(resource, instance, later.setdefault(id(resource), {}))
                if stage is not None:
                    stages[id(resource)] = stage
        stage_resources = [resource for resource, _ in instances if id(resource) in stages]
        unlinked: _Resource | None = None  # a WAF association whose stage cannot be told
        for resource, scope in instances:
            instance = _Instance(resource.block.body, resource.block.span, scope)
            if resource.type == "aws_api_gateway_method_settings":
                self.join_method_setting(resource, instance, stages, stage_resources, later)
            elif resource.type in WAF_ASSOCIATIONS and not self.join_association(
                resource, instance, stages, stage_resources
            ):
                unlinked = resource
        link_deployments(stages, stage_resources, self.deployment_of, self.deployment_api, later)
        if unlinked is not None:
            reason = f"{unlinked.address} may protect this stage (its resource_arn cannot be linked)"
            for key, stage in stages.items():
                if stage.web_acl_arn.is_absent:
                    stages[key] = dataclasses.replace(
                        stage, web_acl_arn=Tracked.unknown(stage.position, reason, "web_acl_arn"))
        if self.unjoined is not None:
            # A method setting that could not be joined may belong to any REST stage of the module.
            for key, stage in stages.items():
                if stage.api_kind is ApiKind.REST:
                    stages[key] = dataclasses.replace(stage, method_settings_unreadable=self.unjoined)
        role = self.declares_logging_role()
        result: dict[str, list[Stage]] = {}
        for resource in stage_resources:
            stage, fields = stages[id(resource)], later[id(resource)]
            fields["method_settings"] = (*stage.method_settings, *fields.get("method_settings", ()))  # joined last
            result.setdefault(resource.file.path, []).append(dataclasses.replace(stage, account_logging_role=role,
                                                                                 **fields))
        return result

    def declares_logging_role(self) -> bool:
        """An `aws_api_gateway_account` in the module that is created and sets `cloudwatch_role_arn` (SL506)."""
        return any(
            resource.type == "aws_api_gateway_account"
            and resource.block.body.attribute("cloudwatch_role_arn") is not None
            and self.evaluator.resource_scope(resource)[2]
            for resource in self.source.resources
        )

    def join_method_setting(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
        later: dict[int, dict[str, Any]],
    ) -> None:
        setting = schema.method_setting(_HclValues(self, instance), instance.span, resource.address)
        target = self.setting_target(resource, instance, stages, stage_resources)
        if isinstance(target, str):
            self.unjoined = self.unjoined or f"{resource.address} could not be joined to a stage: {target}"
            if resource.file.reported:
                self.note(
                    resource.file.path, f"{resource.address} is not linted: {target}", resource.block.span
                )
            return
        later[id(target)].setdefault("method_settings", []).append(setting)

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
        choice = instance_candidates(_unwrap(attribute.value), instance.scope, self.named(stage_resources))
        if isinstance(choice, str):
            return choice
        reference = _resource_reference(attribute.value) or indexed_reference(attribute.value)
        if reference is not None:
            names = _named_parts(reference)
            if names[0] in ("aws_api_gateway_stage", "aws_api_gateway_deployment") and len(names) >= 2:
                found = self.find((names[0], names[1]), resource.file, stage_resources, choice)
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
    ) -> bool:
        """Attach the association's web ACL to the stage its `resource_arn` names. False: it names
        none that can be told (the module's stages without an ACL are then unknown, never "none")."""
        attribute = instance.body.attribute("resource_arn")
        if attribute is None:
            return True
        found = self.association_target(resource, instance, attribute.value, stage_resources, stages)
        if found is None:
            return True  # it protects something else (a load balancer, an AppSync API…)
        if isinstance(found, str):
            if resource.file.reported:
                self.note(resource.file.path, f"{resource.address} is not linked to a stage: {found}",
                          resource.block.span)
            return False
        acl = self.identity(instance, WAF_ASSOCIATIONS[resource.type])
        stages[id(found)] = dataclasses.replace(stages[id(found)], web_acl_arn=acl)
        return True

    def association_target(
        self,
        resource: _Resource,
        instance: _Instance,
        expression: Expression,
        stage_resources: list[_Resource],
        stages: dict[int, Stage],
    ) -> _Resource | str | None:
        """The stage a `resource_arn` names: `aws_api_gateway_stage.x.arn`, a literal ARN, or an ARN
        assembled from the API id and stage name (`…/restapis/${…rest_api_id}/stages/${….stage_name}`).
        None: it names something that is not a stage; a string: which stage cannot be told, and why."""
        choice = instance_candidates(_unwrap(expression), instance.scope, self.named(stage_resources))
        reference = _resource_reference(expression) or indexed_reference(expression)
        if reference is not None:
            names = _named_parts(reference)
            if names[0] not in ("aws_api_gateway_stage", "aws_apigatewayv2_stage") or len(names) < 2:
                return None
            if isinstance(choice, str):
                return choice
            found = self.find((names[0], names[1]), resource.file, stage_resources, choice)
            return found or f"{names[0]}.{names[1]} is not a stage in this module"
        value = self.evaluator.evaluate(expression, instance.scope)
        if value.known and isinstance(value.data, str):
            text = value.data
        elif isinstance(expression, Template):
            text = "".join(part if isinstance(part, str) else "${" + part.text + "}" for part in expression.parts)
        else:
            return f"its resource_arn cannot be resolved ({value.reason or shorten(expression.text)})"
        match = _STAGE_ARN.search(text)
        if match is None:
            return None if ":apigateway:" not in text else f"{shorten(text)} names no stage"
        api, stage_name = match.group("api"), match.group("stage")
        by_reference = _INTERPOLATION.fullmatch(stage_name)
        if by_reference is not None:
            names = by_reference.group(1).split(".")
            if names[0] in ("aws_api_gateway_stage", "aws_apigatewayv2_stage") and len(names) >= 2:
                return self.find((names[0], names[1]), resource.file, stage_resources)
            same = [candidate for candidate in stage_resources  # `stage_name = var.x` and `…/stages/${var.x}`
                    if (written := candidate.block.body.attribute("stage_name")) is not None
                    and written.value.text == by_reference.group(1)]
            return same[0] if len(same) == 1 else f"its stage name {stage_name} cannot be resolved"
        api_reference = _INTERPOLATION.fullmatch(api)
        api_identity = api_reference.group(1) if api_reference is not None else api
        matches = [
            candidate for candidate in stage_resources
            if stages[id(candidate)].name.known_equals(stage_name)
            and stages[id(candidate)].api.known_equals(api_identity)
        ]
        if len(matches) == 1:
            return matches[0]
        return f'{len(matches) or "no"} stage(s) named "{stage_name}" on {api_identity} in this module'
