"""`terraform show -json` plans → stages.

A plan holds the values Terraform will apply: `planned_values` (the root module and its child
modules, recursively) and, per resource, `resource_changes[].change.after` with `after_unknown`
marking what is "known after apply" — those values are UNKNOWN, never guessed. The plan's
`configuration` carries expressions but no source positions, so every position points at the value
in the plan file itself (the JSON tree keeps spans); a value absent from the plan is ABSENT at its
resource's object.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from stagelint.decoders.build import to_bool, to_float, to_int
from stagelint.decoders.options import DecodeOptions
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import DecodedFile, Note
from stagelint.model import (
    AccessLogSettings,
    ApiKind,
    CanarySettings,
    MethodSetting,
    SettingScope,
    SourceFormat,
    Stage,
    StageSource,
    StageVariable,
)
from stagelint.tracked import Tracked

AFTER_APPLY = "known after apply"
STAGE_TYPES = ("aws_api_gateway_stage", "aws_apigatewayv2_stage", "aws_api_gateway_deployment")
WAF_ASSOCIATIONS = {
    "aws_wafv2_web_acl_association": "web_acl_arn",
    "aws_wafregional_web_acl_association": "web_acl_id",
}


def is_plan(root: MappingNode) -> bool:
    return root.get("format_version") is not None and (
        root.get("planned_values") is not None or root.get("resource_changes") is not None
    )


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Values:
    """One resource (or nested block) of the plan: its values and which of them are unknown."""

    def __init__(self, values: MappingNode, unknown: Node | None) -> None:
        self.values = values
        self.unknown = unknown if isinstance(unknown, MappingNode) else None
        self.all_unknown = isinstance(unknown, ScalarNode) and unknown.value is True

    def is_unknown(self, key: str) -> bool:
        if self.all_unknown:
            return True
        if self.unknown is None:
            return False
        marker = self.unknown.get(key)
        return isinstance(marker, ScalarNode) and marker.value is True

    def field(
        self, key: str, convert: Callable[[Any], Any] = _text, spelled_as: str | None = None
    ) -> Tracked[Any]:
        spelled = spelled_as or key
        node = self.values.get(key)
        if self.is_unknown(key):
            return Tracked.unknown(node.span if node is not None else self.values.span, AFTER_APPLY, spelled)
        if node is None or (isinstance(node, ScalarNode) and node.value is None):
            return Tracked.absent(self.values.span if node is None else node.span, spelled)
        if not isinstance(node, ScalarNode):
            return Tracked.unknown(node.span, f"{spelled} is a collection, not a single value", spelled)
        raw = f'"{node.value}"' if isinstance(node.value, str) else (node.raw or str(node.value))
        return Tracked.known(convert(node.value), node.span, spelled, raw)

    def block(self, key: str) -> _Values | None:
        """A nested block: the plan writes it as a list of (at most one, here) objects."""
        node = self.values.get(key)
        unknown = self.unknown.get(key) if self.unknown is not None else None
        if isinstance(node, SequenceNode) and node.items and isinstance(node.items[0], MappingNode):
            marker = unknown.items[0] if isinstance(unknown, SequenceNode) and unknown.items else unknown
            return _Values(node.items[0], marker)
        if isinstance(node, MappingNode):
            return _Values(node, unknown)
        return None

    def blocks(self, key: str) -> list[_Values]:
        node = self.values.get(key)
        unknown = self.unknown.get(key) if self.unknown is not None else None
        if not isinstance(node, SequenceNode):
            return []
        found = []
        for index, item in enumerate(node.items):
            if isinstance(item, MappingNode):
                marker = (
                    unknown.items[index]
                    if isinstance(unknown, SequenceNode) and index < len(unknown.items)
                    else None
                )
                found.append(_Values(item, marker))
        return found

    def string_map(self, key: str) -> Tracked[dict[str, str]]:
        node = self.values.get(key)
        if self.is_unknown(key):
            return Tracked.unknown(node.span if node is not None else self.values.span, AFTER_APPLY, key)
        if node is None or (isinstance(node, ScalarNode) and node.value is None):
            return Tracked.absent(self.values.span, key)
        if not isinstance(node, MappingNode):
            return Tracked.unknown(node.span, f"{key} is not a map", key)
        entries: dict[str, str] = {}
        for name, value in node.items():
            if not isinstance(value, ScalarNode) or value.value is None:
                return Tracked.unknown(node.span, f"{key}.{name.value} is not a plain value", key)
            entries[str(name.value)] = str(_text(value.value))
        return Tracked.known(entries, node.span, key)

    def variables(self, key: str) -> Tracked[tuple[StageVariable, ...]]:
        mapping = self.string_map(key)
        node = self.values.get(key)
        if not mapping.is_known or not isinstance(node, MappingNode):
            return Tracked(None, mapping.state, mapping.position, key, None, mapping.reason)
        return Tracked.known(
            tuple(
                StageVariable(
                    Tracked.known(str(name.value), name.span, key, str(name.value)),
                    Tracked.known(str(_text(value.value)), value.span, f"{key}.{name.value}"),
                )
                for name, value in node.items()
                if isinstance(value, ScalarNode)
            ),
            node.span,
            key,
        )


def _not_minus_one(tracked: Tracked[Any]) -> Tracked[Any]:
    if tracked.is_known and tracked.value == -1:
        return Tracked.absent(tracked.position, tracked.spelled_as)
    return tracked


class _PlanResource:
    def __init__(self, node: MappingNode, module: str, values: _Values) -> None:
        self.node = node
        self.module = module
        self.values = values
        self.type = _string(node.get("type"))
        self.address = _string(node.get("address"))


def _string(node: Node | None) -> str:
    return str(node.value) if isinstance(node, ScalarNode) and node.value is not None else ""


def _planned(module: Node | None, changes: dict[str, MappingNode], found: list[_PlanResource]) -> None:
    """Resources of a planned_values module and its child modules, without recursion."""
    stack = [module]
    while stack:
        current = stack.pop()
        if not isinstance(current, MappingNode):
            continue
        path = _string(current.get("address"))
        resources = current.get("resources")
        for resource in resources.items if isinstance(resources, SequenceNode) else []:
            if not isinstance(resource, MappingNode) or _string(resource.get("mode")) != "managed":
                continue
            values = resource.get("values")
            if not isinstance(values, MappingNode):
                continue
            change = changes.get(_string(resource.get("address")))
            unknown = change.get("after_unknown") if change is not None else None
            found.append(_PlanResource(resource, path, _Values(values, unknown)))
        children = current.get("child_modules")
        if isinstance(children, SequenceNode):
            stack.extend(reversed(children.items))


def _resources(root: MappingNode) -> list[_PlanResource]:
    changes: dict[str, MappingNode] = {}
    listed = root.get("resource_changes")
    for item in listed.items if isinstance(listed, SequenceNode) else []:
        if isinstance(item, MappingNode) and isinstance(item.get("change"), MappingNode):
            change = item.get("change")
            assert isinstance(change, MappingNode)
            changes[_string(item.get("address"))] = change
    found: list[_PlanResource] = []
    planned = root.get("planned_values")
    if isinstance(planned, MappingNode):
        _planned(planned.get("root_module"), changes, found)
        return found
    # A plan without planned_values: read each change's `after` (a deleted resource has none).
    for item in listed.items if isinstance(listed, SequenceNode) else []:
        if not isinstance(item, MappingNode) or _string(item.get("mode")) != "managed":
            continue
        change = changes.get(_string(item.get("address")))
        after = change.get("after") if change is not None else None
        if change is not None and isinstance(after, MappingNode):
            module = _string(item.get("module_address"))
            found.append(_PlanResource(item, module, _Values(after, change.get("after_unknown"))))
    return found


def _stage(resource: _PlanResource, path: str) -> Stage | None:
    values = resource.values
    owner = resource.node.span
    source = StageSource(path, SourceFormat.TERRAFORM_PLAN, resource.address)
    absent = Tracked.absent
    if resource.type == "aws_api_gateway_deployment":
        name = values.field("stage_name")
        if name.is_absent:
            return None
        return Stage(
            source=source,
            position=owner,
            name=name,
            api=values.field("rest_api_id"),
            api_kind=ApiKind.REST,
            description=values.field("stage_description"),
            deployment_id=absent(owner, "deployment_id"),
            cache_cluster_enabled=absent(owner, "cache_cluster_enabled"),
            cache_cluster_size=absent(owner, "cache_cluster_size"),
            throttling_rate_limit=absent(owner, "throttling_rate_limit"),
            throttling_burst_limit=absent(owner, "throttling_burst_limit"),
            tracing_enabled=absent(owner, "xray_tracing_enabled"),
            client_certificate_id=absent(owner, "client_certificate_id"),
            web_acl_arn=absent(owner, "web_acl_arn"),
            variables=values.variables("variables"),
            tags=absent(owner, "tags"),
        )
    access = values.block("access_log_settings")
    access_log = (
        None
        if access is None
        else AccessLogSettings(access.values.span, access.field("destination_arn"), access.field("format"))
    )
    if resource.type == "aws_apigatewayv2_stage":
        settings = [
            (block, SettingScope.DEFAULT_ROUTE) for block in values.blocks("default_route_settings")[:1]
        ]
        settings += [(block, SettingScope.ROUTE) for block in values.blocks("route_settings")]
        return Stage(
            source=source,
            position=owner,
            name=values.field("name"),
            api=values.field("api_id"),
            api_kind=ApiKind.UNKNOWN,
            description=values.field("description"),
            deployment_id=values.field("deployment_id"),
            cache_cluster_enabled=absent(owner, "cache_cluster_enabled"),
            cache_cluster_size=absent(owner, "cache_cluster_size"),
            throttling_rate_limit=absent(owner, "throttling_rate_limit"),
            throttling_burst_limit=absent(owner, "throttling_burst_limit"),
            tracing_enabled=absent(owner, "xray_tracing_enabled"),
            client_certificate_id=values.field("client_certificate_id"),
            web_acl_arn=absent(owner, "web_acl_arn"),
            variables=values.variables("stage_variables"),
            tags=values.string_map("tags"),
            method_settings=tuple(_setting(block, scope, None) for block, scope in settings),
            access_log=access_log,
        )
    canary_values = values.block("canary_settings")
    canary = (
        None
        if canary_values is None
        else CanarySettings(
            canary_values.values.span,
            canary_values.field("percent_traffic", to_float),
            canary_values.field("deployment_id"),
            canary_values.field("use_stage_cache", to_bool),
            canary_values.string_map("stage_variable_overrides"),
        )
    )
    return Stage(
        source=source,
        position=owner,
        name=values.field("stage_name"),
        api=values.field("rest_api_id"),
        api_kind=ApiKind.REST,
        description=values.field("description"),
        deployment_id=values.field("deployment_id"),
        cache_cluster_enabled=values.field("cache_cluster_enabled", to_bool),
        cache_cluster_size=values.field("cache_cluster_size"),
        throttling_rate_limit=absent(owner, "throttling_rate_limit"),
        throttling_burst_limit=absent(owner, "throttling_burst_limit"),
        tracing_enabled=values.field("xray_tracing_enabled", to_bool),
        client_certificate_id=values.field("client_certificate_id"),
        web_acl_arn=absent(owner, "web_acl_arn"),
        variables=values.variables("variables"),
        tags=values.string_map("tags"),
        canary=canary,
        access_log=access_log,
    )


def _setting(
    block: _Values,
    scope: SettingScope,
    resource: _PlanResource | None,
    method_path: Tracked[Any] | None = None,
) -> MethodSetting:
    owner = block.values.span
    absent = Tracked.absent
    rest = scope is SettingScope.METHOD
    return MethodSetting(
        position=resource.node.span if resource is not None else owner,
        scope=scope,
        resource_path=absent(owner, "resource_path"),
        http_method=absent(owner, "http_method"),
        method_path=method_path if method_path is not None else absent(owner, "method_path"),
        route_key=block.field("route_key") if scope is SettingScope.ROUTE else absent(owner, "route_key"),
        caching_enabled=block.field("caching_enabled", to_bool) if rest else absent(owner, "caching_enabled"),
        cache_ttl_in_seconds=block.field("cache_ttl_in_seconds", to_int)
        if rest
        else absent(owner, "cache_ttl_in_seconds"),
        cache_data_encrypted=block.field("cache_data_encrypted", to_bool)
        if rest
        else absent(owner, "cache_data_encrypted"),
        require_authorization_for_cache_control=block.field(
            "require_authorization_for_cache_control", to_bool
        )
        if rest
        else absent(owner, "require_authorization_for_cache_control"),
        throttling_rate_limit=_not_minus_one(block.field("throttling_rate_limit", to_float)),
        throttling_burst_limit=_not_minus_one(block.field("throttling_burst_limit", to_int)),
        logging_level=block.field("logging_level"),
        data_trace_enabled=block.field("data_trace_enabled", to_bool),
        metrics_enabled=block.field("metrics_enabled" if rest else "detailed_metrics_enabled", to_bool),
        address=resource.address if resource is not None else None,
    )


def decode(root: MappingNode, path: str, options: DecodeOptions) -> DecodedFile:
    resources = _resources(root)
    notes: list[Note] = []
    stages: list[tuple[_PlanResource, Stage]] = []
    for resource in resources:
        if resource.type in STAGE_TYPES:
            stage = _stage(resource, path)
            if stage is not None:
                stages.append((resource, stage))
    for resource in resources:
        if resource.type == "aws_api_gateway_method_settings":
            block = resource.values.block("settings") or _Values(resource.values.values, None)
            setting = _setting(block, SettingScope.METHOD, resource, resource.values.field("method_path"))
            name, api = resource.values.field("stage_name"), resource.values.field("rest_api_id")
            matches = [
                index
                for index, (candidate, stage) in enumerate(stages)
                if candidate.module == resource.module
                and stage.api_kind is ApiKind.REST
                and name.is_known
                and stage.name.known_equals(name.value)
                and (not api.is_known or not stage.api.is_known or stage.api.value == api.value)
            ]
            if len(matches) != 1:
                why = "no stage" if not matches else f"{len(matches)} stages"
                notes.append(
                    Note(
                        path,
                        f"{resource.address} is not linted: {why} in {resource.module or 'the root module'} "
                        f"matches its stage_name and rest_api_id",
                        resource.node.span,
                    )
                )
                continue
            target, stage = stages[matches[0]]
            stages[matches[0]] = (
                target,
                dataclasses.replace(stage, method_settings=(*stage.method_settings, setting)),
            )
        elif resource.type in WAF_ASSOCIATIONS:
            arn = resource.values.field("resource_arn")
            for index, (candidate, stage) in enumerate(stages):
                arn_of_stage = candidate.values.field("arn")
                if arn.is_known and arn_of_stage.is_known and arn_of_stage.value == arn.value:
                    acl = resource.values.field(WAF_ASSOCIATIONS[resource.type])
                    stages[index] = (candidate, dataclasses.replace(stage, web_acl_arn=acl))
    found = tuple(stage for _, stage in stages)
    for stage in found:
        for attribute, tracked in stage.iter_tracked():
            if tracked.is_unknown:
                notes.append(
                    Note(path, f"{stage.address}: {attribute} skipped: {tracked.reason}", tracked.position)
                )
    return DecodedFile(path, SourceFormat.TERRAFORM_PLAN.value, found, notes=tuple(notes))
