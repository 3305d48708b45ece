"""`terraform show -json` plans → stages.

A plan holds the values Terraform will apply: `planned_values` (the root module and its child
modules, recursively) and, per resource, `resource_changes[].change.after` with `after_unknown`
marking what is "known after apply" — those values are UNKNOWN, never guessed. The plan's
`configuration` carries expressions but no source positions, so every position points at the value
in the plan file itself (the JSON tree keeps spans); a value absent from the plan is ABSENT at its
resource's object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import stagelint.decoders.terraform.schema as schema
from stagelint import records as dataclasses
from stagelint.config import DecodeOptions
from stagelint.decoders.result import DecodedFile
from stagelint.decoders.terraform.deployments import same_stage
from stagelint.decoders.terraform.schema import WAF_ASSOCIATIONS
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import Note
from stagelint.model import (
    ApiKind,
    MethodSetting,
    SourceFormat,
    Stage,
    StageSource,
    StageVariable,
)
from stagelint.positions import SourcePosition
from stagelint.tracked import Tracked

_STAGE_ARN = re.compile(r"/restapis/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$")

AFTER_APPLY = "known after apply"


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

    @property
    def span(self) -> SourcePosition:
        return self.values.span

    def field(self, key: str, convert: Callable[[Any], Any] | None = None) -> Tracked[Any]:
        convert = convert or _text
        spelled = key
        node = self.values.get(key)
        if self.is_unknown(key):
            return Tracked.unknown(node.span if node is not None else self.values.span, AFTER_APPLY, spelled)
        if node is None or (isinstance(node, ScalarNode) and node.value is None):
            return Tracked.absent(self.values.span if node is None else node.span, spelled)
        if not isinstance(node, ScalarNode):
            return Tracked.unknown(node.span, f"{spelled} is a collection, not a single value", spelled)
        raw = f'"{node.value}"' if isinstance(node.value, str) else (node.raw or str(node.value))
        return Tracked.known(convert(node.value), node.span, spelled, raw)

    def identity(self, key: str) -> Tracked[Any]:
        """Ids and ARNs are plain values in a plan (or unknown until apply)."""
        return self.field(key)

    def blocks(self, key: str) -> list[_Values]:
        """Nested blocks: the plan writes them as a list of objects (some writers as one object)."""
        node = self.values.get(key)
        unknown = self.unknown.get(key) if self.unknown is not None else None
        if isinstance(node, MappingNode):
            return [_Values(node, unknown)]
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
    source = StageSource(path, SourceFormat.TERRAFORM_PLAN, resource.address)
    # A plan does not say which protocol a v2 stage's API speaks: its kind stays unknown.
    return schema.stage(resource.type, source, resource.node.span, resource.values)


def _names_stage(arn: str, resource: _PlanResource, stage: Stage) -> bool:
    """The stage's own `arn`, or `…/restapis/{rest_api_id}/stages/{stage_name}` with its values."""
    own = resource.values.field("arn")
    if own.is_known:
        return bool(own.value == arn)
    match = _STAGE_ARN.search(arn)
    return match is not None and stage.api.known_equals(match.group("api")) and stage.name.known_equals(
        match.group("stage"))


def _hashable(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | bool) else repr(value)


def decode(root: MappingNode, path: str, options: DecodeOptions) -> DecodedFile:
    resources = _resources(root)
    notes: list[Note] = []
    stages: list[tuple[_PlanResource, Stage]] = []
    unlinked: str | None = None  # a WAF association whose stage cannot be told
    for resource in resources:
        if resource.type in schema.STAGE_RESOURCES:
            stage = _stage(resource, path)
            if stage is not None:
                stages.append((resource, stage))
    # REST stages by module and known name, so that joining method settings is a lookup, not a scan
    # of every stage per setting (10,000 settings × stages timed out); settings are added at the end.
    by_name: dict[tuple[str, object], list[int]] = {}
    for index, (candidate, stage) in enumerate(stages):
        if stage.api_kind is ApiKind.REST and stage.name.is_known:
            by_name.setdefault((candidate.module, _hashable(stage.name.value)), []).append(index)
    joined: dict[int, list[MethodSetting]] = {}
    unjoined: dict[str, str] = {}  # module → why its REST stages' settings are not all known
    for resource in resources:
        if resource.type == "aws_api_gateway_method_settings":
            setting = schema.method_setting(resource.values, resource.node.span, resource.address)
            name, api = resource.values.field("stage_name"), resource.values.field("rest_api_id")
            named = by_name.get((resource.module, _hashable(name.value)), []) if name.is_known else []
            matches = [
                index
                for index in named
                if stages[index][1].name.known_equals(name.value)
                and (not api.is_known or not stages[index][1].api.is_known or stages[index][1].api.value == api.value)
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
                # It may belong to any REST stage of its module: their settings are not all known.
                unjoined[resource.module] = f"{resource.address} could not be joined to a stage"
                continue
            joined.setdefault(matches[0], []).append(setting)
        elif resource.type in WAF_ASSOCIATIONS:
            arn = resource.values.field("resource_arn")
            linked = False
            for index, (candidate, stage) in enumerate(stages):
                if arn.is_known and _names_stage(str(arn.value), candidate, stage):
                    acl = resource.values.field(WAF_ASSOCIATIONS[resource.type])
                    stages[index] = (candidate, dataclasses.replace(stage, web_acl_arn=acl))
                    linked = True
            undecided = any(  # a stage this ARN may name: its own ARN, API id or name is not known
                not candidate.values.field("arn").is_known and not (stage.api.is_known and stage.name.is_known)
                for candidate, stage in stages
            )
            if not linked and (arn.is_unknown or (":apigateway:" in str(arn.value) and undecided)):
                unlinked = resource.address
    for index, (candidate, stage) in enumerate(stages):
        unreadable = unjoined.get(candidate.module) if stage.api_kind is ApiKind.REST else None
        if index in joined or unreadable is not None:
            stages[index] = (candidate, dataclasses.replace(
                stage, method_settings=(*stage.method_settings, *joined.get(index, ())),
                method_settings_unreadable=unreadable if unreadable is not None else stage.method_settings_unreadable))
    if unlinked is not None:  # it may protect any stage without a web ACL: those are unknown, not "none"
        reason = f"{unlinked} may protect this stage (its resource_arn cannot be linked)"
        stages = [
            (candidate, stage if not stage.web_acl_arn.is_absent else dataclasses.replace(
                stage, web_acl_arn=Tracked.unknown(stage.position, reason, "web_acl_arn")))
            for candidate, stage in stages
        ]
    deployments = [(candidate, stage) for candidate, stage in stages if candidate.type == "aws_api_gateway_deployment"]
    stages = [  # SL404: a deployment's stage_name that creates a stage a stage resource also manages
        (candidate, stage if candidate.type != "aws_api_gateway_stage" else dataclasses.replace(
            stage, created_by_deployments=tuple(
                other.name for creator, other in deployments
                if creator.module == candidate.module and same_stage(other, stage))))
        for candidate, stage in stages
    ]
    # The account-level CloudWatch Logs role (SL506): an aws_api_gateway_account anywhere in the plan.
    role = any(
        resource.type == "aws_api_gateway_account" and not resource.values.field("cloudwatch_role_arn").is_absent
        for resource in resources
    )
    found = tuple(dataclasses.replace(stage, account_logging_role=role) for _, stage in stages)
    for stage in found if options.notes else ():
        for attribute, tracked in stage.unknown_leaves():
            notes.append(Note(path, f"{stage.address}: {attribute} skipped: {tracked.reason}", tracked.position))
    return DecodedFile(path, SourceFormat.TERRAFORM_PLAN.value, found, notes=tuple(notes))
