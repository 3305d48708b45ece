"""CloudFormation, SAM and CDK templates → stages.

One decoder reads hand-written templates (YAML or JSON, short-form tags or long forms), SAM
templates (`sam.py` expands `AWS::Serverless::Api`/`HttpApi` with their Globals) and CDK output
(plain JSON templates). Stages come from:

- `AWS::ApiGateway::Stage`;
- `AWS::ApiGateway::Deployment` with a `StageName` (it creates that stage, configured by
  `StageDescription`);
- `AWS::ApiGatewayV2::Stage` (`DefaultRouteSettings`, `RouteSettings` keyed by route key);
- `AWS::Serverless::Api`, `AWS::Serverless::HttpApi`, `AWS::Serverless::WebSocketApi`;

and `AWS::WAFv2::WebACLAssociation` / `AWS::WAFRegional::WebACLAssociation` attach a web ACL to the
stage their `ResourceArn` names. Values go through `intrinsics.Resolver`, so nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

from stagelint.config import DecodeOptions
from stagelint.decoders.cloudformation.intrinsics import (
    SHORT_TAGS,
    Choice,
    Parameter,
    Resolver,
    as_call,
    as_text,
)
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.decoders.tree import DecodeError, MappingNode, Node, ScalarNode, SequenceNode
from stagelint.decoders.values import to_bool, to_float, to_int, to_str
from stagelint.findings import Note, Violation
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
from stagelint.positions import SourcePosition
from stagelint.tracked import Origin, Tracked

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAM_PREFIX = "AWS::Serverless::"
# SAM's implicit APIs, created from a function's `Api`/`HttpApi` events: real resources after the transform.
SAM_IMPLICIT_APIS = frozenset({"ServerlessRestApi", "ServerlessHttpApi"})
STAGE_TYPES = frozenset(
    {
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGatewayV2::Stage",
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::WebSocketApi",
    }
)
WAF_ASSOCIATIONS = frozenset({"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"})
# StageDescription keys that API Gateway applies to every method (the `*/*` method setting).
STAGE_WIDE_METHOD_KEYS = (
    "CachingEnabled",
    "CacheTtlInSeconds",
    "CacheDataEncrypted",
    "DataTraceEnabled",
    "LoggingLevel",
    "MetricsEnabled",
)


def is_template(root: Node) -> bool:
    """A CloudFormation (or SAM, or CDK) template: `AWSTemplateFormatVersion`, or `Resources` holding
    at least one resource with an `AWS::…` type. A YAML file that merely has a `Resources` key of
    another shape (a Kubernetes manifest, an app config) is not one."""
    if not isinstance(root, MappingNode):
        return False
    if root.get("AWSTemplateFormatVersion") is not None:
        return True
    resources = root.get("Resources")
    if not isinstance(resources, MappingNode):
        return False
    for _, resource in resources.items():
        if isinstance(resource, MappingNode):
            kind = resource.get("Type")
            if (
                isinstance(kind, ScalarNode)
                and isinstance(kind.value, str)
                and kind.value.startswith("AWS::")
            ):
                return True
    return False


def is_sam(root: MappingNode) -> bool:
    """SAM by its Transform, or by its resource types (SAM translator inputs often omit the Transform)."""
    transform = root.get("Transform")
    names = transform.items if isinstance(transform, SequenceNode) else [transform] if transform else []
    if any(isinstance(name, ScalarNode) and name.value == SAM_TRANSFORM for name in names):
        return True
    resources = root.get("Resources")
    if isinstance(resources, MappingNode):
        for _, resource in resources.items():
            kind = resource.get("Type") if isinstance(resource, MappingNode) else None
            if (
                isinstance(kind, ScalarNode)
                and isinstance(kind.value, str)
                and kind.value.startswith(SAM_PREFIX)
            ):
                return True
    return False


def decode(root: MappingNode, path: str, text: str, options: DecodeOptions) -> DecodedFile:
    return TemplateDecoder(root, path, options).decode()


@dataclass(slots=True)
class _Built:
    """A stage under construction, with what the WAF pass needs to find it."""

    logical_id: str
    resource_type: str
    stage: Stage


class TemplateDecoder:
    def __init__(self, root: MappingNode, path: str, options: DecodeOptions) -> None:
        self.root = root
        self.path = path
        self.options = options
        self.failures: list[ParseFailure] = []
        self.notes: list[Note] = []
        self.sam = is_sam(root)
        self.format = SourceFormat.SAM if self.sam else SourceFormat.CLOUDFORMATION
        resources = root.get("Resources")
        self.resources = resources if isinstance(resources, MappingNode) else None
        conditions = root.get("Conditions")
        mappings = root.get("Mappings")
        self.resolver = Resolver(
            self._parameters(),
            {str(key.value): value for key, value in conditions.items()}
            if isinstance(conditions, MappingNode)
            else {},
            mappings if isinstance(mappings, MappingNode) else None,
            self.resources,
            SAM_IMPLICIT_APIS if self.sam else frozenset(),
        )
        # Nodes that come from SAM `Globals`, by id, with the section they were written in.
        self.global_nodes: dict[int, str] = {}

    # -- the whole file ---------------------------------------------------------------------------
    def decode(self) -> DecodedFile:
        self._check_tags()
        duplicates = tuple(duplicate_key_findings(self.root))
        built: list[_Built] = []
        if self.resources is not None:
            from stagelint.decoders.cloudformation import sam

            for key, resource in self.resources.items():
                if not isinstance(resource, MappingNode):
                    continue
                kind = resource.get("Type")
                if not isinstance(kind, ScalarNode) or kind.value not in STAGE_TYPES:
                    continue
                if not self._exists(key, resource):
                    continue
                kind_name = str(kind.value)
                stage: Stage | None
                if kind_name.startswith(SAM_PREFIX):
                    stage = sam.decode_resource(self, key, resource, kind_name)
                else:
                    stage = self._resource_stage(key, resource, kind_name)
                if stage is not None:
                    built.append(_Built(str(key.value), kind_name, stage))
            self._attach_web_acls(built)
        stages = tuple(item.stage for item in built)
        for stage in stages:
            for attribute, tracked in stage.iter_tracked():
                if tracked.is_unknown:
                    self.notes.append(
                        Note(
                            self.path,
                            f"{stage.address}: {attribute} ({tracked.spelled_as}) is unknown: "
                            f"{tracked.reason}",
                            tracked.position,
                        )
                    )
        return DecodedFile(
            self.path, self.format.value, stages, tuple(self.failures), tuple(self.notes), duplicates
        )

    def _parameters(self) -> dict[str, Parameter]:
        parameters: dict[str, Parameter] = {}
        section = self.root.get("Parameters")
        if isinstance(section, MappingNode):
            for key, declaration in section.items():
                default = declaration.get("Default") if isinstance(declaration, MappingNode) else None
                value = default if isinstance(default, ScalarNode) and default.tag is None else None
                parameters[str(key.value)] = Parameter(str(key.value), value, key.span)
        for name, node in self._overrides():
            declared = parameters.get(name)
            if declared is not None:  # an override for a parameter this template does not declare is moot
                parameters[name] = Parameter(name, node, declared.declared_at)
        return parameters

    def _overrides(self) -> Iterator[tuple[str, ScalarNode]]:
        """Parameter files first, then `--parameter Key=Value` (the command line wins)."""
        for file_path in self.options.cloudformation_parameter_files:
            yield from self._parameter_file(file_path)
        for name, value in self.options.cloudformation_parameters:
            where = SourcePosition(f"--parameter {name}={value}", 1, 1, 1, 1)
            yield name, ScalarNode(value, where, None, value, True)

    def _parameter_file(self, file_path: str) -> Iterator[tuple[str, ScalarNode]]:
        from stagelint.decoders import json_tree
        from stagelint.limits import LimitExceeded
        from stagelint.reader import ReadError, read_text

        try:
            root = json_tree.parse(read_text(file_path, self.options.limits), file_path, self.options.limits)
        except ReadError as error:
            self.failures.append(ParseFailure(file_path, f"parameter file: {error}"))
            return
        except (DecodeError, LimitExceeded) as error:
            message = error.message if isinstance(error, DecodeError) else str(error)
            position = error.position if isinstance(error, DecodeError) else None
            self.failures.append(ParseFailure(file_path, f"parameter file: {message}", position))
            return
        nested = root.get("Parameters") if isinstance(root, MappingNode) else None
        if isinstance(nested, MappingNode):
            root = nested  # CodePipeline's template configuration file nests them
        if isinstance(root, MappingNode):
            for key, value in root.items():
                if isinstance(value, ScalarNode):
                    yield str(key.value), _as_string_node(value)
        elif isinstance(root, SequenceNode):
            for item in root.items:
                name_node = item.get("ParameterKey") if isinstance(item, MappingNode) else None
                value_node = item.get("ParameterValue") if isinstance(item, MappingNode) else None
                if isinstance(name_node, ScalarNode) and isinstance(value_node, ScalarNode):
                    yield str(name_node.value), _as_string_node(value_node)
        else:
            self.failures.append(
                ParseFailure(
                    file_path,
                    "parameter file must be a list of {ParameterKey, ParameterValue} or a mapping",
                    root.span,
                )
            )

    def _check_tags(self) -> None:
        """An unknown tag (`!Reff`) is a template error CloudFormation rejects: report it once."""
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if node.tag is not None and node.tag not in SHORT_TAGS:
                self.failures.append(
                    ParseFailure(
                        self.path,
                        f"unknown tag {node.tag}: not a CloudFormation intrinsic function",
                        node.span,
                    )
                )
            if isinstance(node, SequenceNode):
                stack.extend(node.items)
            elif isinstance(node, MappingNode):
                stack.extend(value for _, value in node.pairs)

    def _exists(self, key: ScalarNode, resource: MappingNode) -> bool:
        condition = resource.get("Condition")
        if (
            isinstance(condition, ScalarNode)
            and isinstance(condition.value, str)
            and self.resolver.condition(condition.value) is False
        ):
            self.notes.append(
                Note(
                    self.path,
                    f"Resources.{key.value} is not created: condition {condition.value} is false",
                    key.span,
                )
            )
            return False
        return True

    # -- leaves -----------------------------------------------------------------------------------
    def leaf(self, node: Node, spelled_as: str, convert: Callable[[Any], Any] = to_str) -> Tracked[Any]:
        """Every model leaf goes through here: resolution, then the Globals origin."""
        if isinstance(node, ScalarNode) and node.value is None and node.tag is None:
            return Tracked.absent(node.span, spelled_as)
        tracked = self.resolver.value(node, spelled_as, convert)
        return self._with_globals_origin(node, tracked)

    def _with_globals_origin(self, node: Node, tracked: Tracked[Any]) -> Tracked[Any]:
        section = self.global_nodes.get(id(node))
        if section is None:
            return tracked
        if tracked.origin is None:
            tracked = replace(tracked, origin=Origin(f"Globals.{section}.{tracked.spelled_as}", node.span))
        if tracked.candidates:
            tracked = replace(
                tracked,
                candidates=tuple(
                    candidate
                    if candidate.origin is not None
                    else replace(
                        candidate, origin=Origin(f"Globals.{section}.{tracked.spelled_as}", node.span)
                    )
                    for candidate in tracked.candidates
                ),
            )
        return tracked

    def prop(
        self,
        mapping: MappingNode,
        key: str,
        owner: SourcePosition,
        convert: Callable[[Any], Any] = to_str,
        spelled_as: str | None = None,
    ) -> Tracked[Any]:
        node = mapping.get(key)
        if node is None:
            return Tracked.absent(owner, spelled_as or key)
        return self.leaf(node, spelled_as or key, convert)

    def identity(self, mapping: MappingNode, key: str, owner: SourcePosition) -> Tracked[Any]:
        node = mapping.get(key)
        if node is None:
            return Tracked.absent(owner, key)
        return self._with_globals_origin(node, self.resolver.identity(node, key))

    def properties(self, key: ScalarNode, resource: MappingNode) -> MappingNode:
        node = resource.get("Properties")
        if node is None:
            return MappingNode([], key.span)
        picked = self.resolver.pick(node)
        if isinstance(picked, MappingNode) and as_call(picked) is None:
            return picked
        self.notes.append(
            Note(
                self.path,
                f"Resources.{key.value}.Properties is not a mapping of known "
                "properties; its stage settings are unknown",
                node.span,
            )
        )
        return MappingNode([], node.span)

    def ignored_rules(self, resource: MappingNode) -> tuple[str, ...]:
        metadata = resource.get("Metadata")
        own = metadata.get("stagelint") if isinstance(metadata, MappingNode) else None
        ignore = own.get("ignore") if isinstance(own, MappingNode) else None
        if isinstance(ignore, ScalarNode) and isinstance(ignore.value, str):
            return tuple(part.strip() for part in ignore.value.split(",") if part.strip())
        if isinstance(ignore, SequenceNode):
            return tuple(str(item.value) for item in ignore.items if isinstance(item, ScalarNode))
        return ()

    # -- structured properties --------------------------------------------------------------------
    def struct(self, node: Node | None, build: Callable[[MappingNode], Any], where: str) -> Any:
        """A structured property (AccessLogSetting, CanarySetting, a method setting): a mapping, an
        `AWS::NoValue` (None), or an undecidable `Fn::If` whose branches become candidates leaf by leaf."""
        if node is None:
            return None
        picked = self.resolver.pick(node)
        if picked is None:
            return None
        if isinstance(picked, Choice):
            return self._choice(picked, build, where)
        if isinstance(picked, MappingNode) and as_call(picked) is None:
            return build(picked)
        self.notes.append(Note(self.path, f"{where} is not a mapping: its settings are unknown", picked.span))
        return None

    def _choice(self, choice: Choice, build: Callable[[MappingNode], Any], where: str) -> Any:
        records = [
            build(branch) if isinstance(branch, MappingNode) and as_call(branch) is None else None
            for branch in choice.branches
        ]
        present = [record for record in records if record is not None]
        if not present:
            return None
        template = present[0]
        reason = f"depends on condition {choice.condition}, which cannot be decided"
        changes: dict[str, Any] = {"position": choice.node.span}
        for item in fields(template):
            first = getattr(template, item.name)
            if not isinstance(first, Tracked):
                continue
            candidates = tuple(
                getattr(record, item.name)
                if record is not None
                else Tracked.absent(choice.node.span, first.spelled_as)
                for record in records
            )
            changes[item.name] = Tracked.unknown(choice.node.span, reason, first.spelled_as, None, candidates)
        return replace(template, **changes)

    def method_settings(self, node: Node | None, where: str) -> tuple[MethodSetting, ...]:
        if node is None:
            return ()
        picked = self.resolver.pick(node)
        if picked is None:
            return ()
        if isinstance(picked, Choice):
            self.notes.append(
                Note(
                    self.path,
                    f"{where} depends on condition {picked.condition}, which cannot "
                    "be decided: its method settings are not checked",
                    picked.node.span,
                )
            )
            return ()
        if not isinstance(picked, SequenceNode) or as_call(picked) is not None:
            self.notes.append(
                Note(
                    self.path, f"{where} is not a list of method settings: they are not checked", picked.span
                )
            )
            return ()
        items = []
        for item in picked.items:
            setting = self.struct(item, self.rest_method_setting, where)
            if setting is not None:
                items.append(setting)
        return tuple(items)

    def rest_method_setting(self, node: MappingNode) -> MethodSetting:
        owner = node.span
        return MethodSetting(
            position=owner,
            scope=SettingScope.METHOD,
            # `~1` escapes are kept as written: they are how CloudFormation spells nested paths.
            resource_path=self.prop(node, "ResourcePath", owner),
            http_method=self.prop(node, "HttpMethod", owner),
            method_path=Tracked.absent(owner, "method_path"),
            route_key=Tracked.absent(owner, "route_key"),
            caching_enabled=self.prop(node, "CachingEnabled", owner, to_bool),
            cache_ttl_in_seconds=self.prop(node, "CacheTtlInSeconds", owner, to_int),
            cache_data_encrypted=self.prop(node, "CacheDataEncrypted", owner, to_bool),
            require_authorization_for_cache_control=self.prop(
                node, "RequireAuthorizationForCacheControl", owner, to_bool
            ),
            throttling_rate_limit=self.prop(node, "ThrottlingRateLimit", owner, to_float),
            throttling_burst_limit=self.prop(node, "ThrottlingBurstLimit", owner, to_int),
            logging_level=self.prop(node, "LoggingLevel", owner),
            data_trace_enabled=self.prop(node, "DataTraceEnabled", owner, to_bool),
            metrics_enabled=self.prop(node, "MetricsEnabled", owner, to_bool),
        )

    def route_setting(self, node: MappingNode, scope: SettingScope, route_key: Tracked[str]) -> MethodSetting:
        owner = node.span
        return MethodSetting(
            position=owner,
            scope=scope,
            resource_path=Tracked.absent(owner, "resource_path"),
            http_method=Tracked.absent(owner, "http_method"),
            method_path=Tracked.absent(owner, "method_path"),
            route_key=route_key,
            caching_enabled=Tracked.absent(owner, "caching_enabled"),
            cache_ttl_in_seconds=Tracked.absent(owner, "cache_ttl_in_seconds"),
            cache_data_encrypted=Tracked.absent(owner, "cache_data_encrypted"),
            require_authorization_for_cache_control=Tracked.absent(
                owner, "require_authorization_for_cache_control"
            ),
            throttling_rate_limit=self.prop(node, "ThrottlingRateLimit", owner, to_float),
            throttling_burst_limit=self.prop(node, "ThrottlingBurstLimit", owner, to_int),
            logging_level=self.prop(node, "LoggingLevel", owner),
            data_trace_enabled=self.prop(node, "DataTraceEnabled", owner, to_bool),
            metrics_enabled=self.prop(node, "DetailedMetricsEnabled", owner, to_bool),
        )

    def _route_builder(self, route_key: Tracked[str]) -> Callable[[MappingNode], MethodSetting]:
        return lambda node: self.route_setting(node, SettingScope.ROUTE, route_key)

    def route_settings(
        self, default_node: Node | None, routes_node: Node | None, where: str
    ) -> tuple[MethodSetting, ...]:
        settings: list[MethodSetting] = []
        default = self.struct(
            default_node,
            lambda node: self.route_setting(
                node, SettingScope.DEFAULT_ROUTE, Tracked.absent(node.span, "route_key")
            ),
            f"{where}.DefaultRouteSettings",
        )
        if default is not None:
            settings.append(default)
        if routes_node is None:
            return tuple(settings)
        picked = self.resolver.pick(routes_node)
        if isinstance(picked, MappingNode) and as_call(picked) is None:
            for key, value in picked.items():
                route_key = self._with_globals_origin(
                    key, Tracked.known(str(key.value), key.span, "RouteSettings", str(key.value))
                )
                setting = self.struct(
                    value, self._route_builder(route_key), f"{where}.RouteSettings.{key.value}"
                )
                if setting is not None:
                    settings.append(setting)
        elif picked is not None:
            position = picked.node.span if isinstance(picked, Choice) else picked.span
            self.notes.append(
                Note(
                    self.path,
                    f"{where}.RouteSettings is not a mapping keyed by route: its settings are not checked",
                    position,
                )
            )
        return tuple(settings)

    def canary(self, node: Node | None, where: str) -> CanarySettings | None:
        def build(mapping: MappingNode) -> CanarySettings:
            owner = mapping.span
            return CanarySettings(
                position=owner,
                percent_traffic=self.prop(mapping, "PercentTraffic", owner, to_float),
                deployment_id=self.prop(mapping, "DeploymentId", owner),
                use_stage_cache=self.prop(mapping, "UseStageCache", owner, to_bool),
                stage_variable_overrides=self.string_map(
                    mapping.get("StageVariableOverrides"), owner, "StageVariableOverrides"
                ),
            )

        result: CanarySettings | None = self.struct(node, build, f"{where}.CanarySetting")
        return result

    def access_log(self, node: Node | None, where: str) -> AccessLogSettings | None:
        def build(mapping: MappingNode) -> AccessLogSettings:
            owner = mapping.span
            return AccessLogSettings(
                owner, self.prop(mapping, "DestinationArn", owner), self.prop(mapping, "Format", owner)
            )

        result: AccessLogSettings | None = self.struct(node, build, where)
        return result

    def string_map(
        self, node: Node | None, owner: SourcePosition, spelled_as: str
    ) -> Tracked[dict[str, str]]:
        """Tags or variable overrides: a mapping, or CloudFormation's list of {Key, Value}. Any entry
        that cannot be resolved makes the whole map UNKNOWN."""
        if node is None:
            return Tracked.absent(owner, spelled_as)
        picked = self.resolver.pick(node)
        if picked is None:
            return Tracked.absent(node.span, spelled_as)
        if isinstance(picked, Choice):
            return Tracked.unknown(node.span, f"depends on condition {picked.condition}", spelled_as)
        pairs: list[tuple[Node, Node]] = []
        if isinstance(picked, MappingNode) and as_call(picked) is None:
            pairs = [(key_node, value_node) for key_node, value_node in picked.items()]
        elif isinstance(picked, SequenceNode) and as_call(picked) is None:
            for item in picked.items:
                tag_key = item.get("Key") if isinstance(item, MappingNode) else None
                tag_value = item.get("Value") if isinstance(item, MappingNode) else None
                if tag_key is None or tag_value is None:
                    return Tracked.unknown(
                        item.span, f"{spelled_as} entry is not a {{Key, Value}} pair", spelled_as
                    )
                pairs.append((tag_key, tag_value))
        else:
            return Tracked.unknown(picked.span, f"{spelled_as} is not a mapping", spelled_as)
        values: dict[str, str] = {}
        for key_node, value_node in pairs:
            key = self.leaf(key_node, spelled_as)
            value = self.leaf(value_node, f"{spelled_as}.{key.value if key.is_known else '?'}")
            if not key.is_known or value.is_unknown:
                return Tracked.unknown(picked.span, f"{spelled_as}: {value.reason or key.reason}", spelled_as)
            values[str(key.value)] = "" if value.value is None else as_text(value.value)
        return self._with_globals_origin(picked, Tracked.known(values, picked.span, spelled_as))

    def variables(
        self, node: Node | None, owner: SourcePosition, spelled_as: str
    ) -> Tracked[tuple[StageVariable, ...]]:
        if node is None:
            return Tracked.absent(owner, spelled_as)
        picked = self.resolver.pick(node)
        if picked is None:
            return Tracked.absent(node.span, spelled_as)
        if isinstance(picked, Choice):
            return Tracked.unknown(node.span, f"depends on condition {picked.condition}", spelled_as)
        if not isinstance(picked, MappingNode) or as_call(picked) is not None:
            return Tracked.unknown(picked.span, f"{spelled_as} is not a mapping", spelled_as)
        entries = tuple(
            StageVariable(
                self._with_globals_origin(
                    key, Tracked.known(str(key.value), key.span, spelled_as, str(key.value))
                ),
                self.leaf(value, f"{spelled_as}.{key.value}"),
            )
            for key, value in picked.items()
        )
        return Tracked.known(entries, picked.span, spelled_as)

    # -- plain CloudFormation resources -------------------------------------------------------------
    def source(self, key: ScalarNode) -> StageSource:
        return StageSource(self.path, self.format, f"Resources.{key.value}")

    def _resource_stage(self, key: ScalarNode, resource: MappingNode, kind: str) -> Stage | None:
        props = self.properties(key, resource)
        if kind == "AWS::ApiGateway::Stage":
            return self._rest_stage(key, resource, props)
        if kind == "AWS::ApiGateway::Deployment":
            return self._deployment_stage(key, resource, props)
        return self._v2_stage(key, resource, props)

    def _rest_stage(self, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage:
        owner = key.span
        where = f"Resources.{key.value}.Properties"
        return Stage(
            source=self.source(key),
            position=owner,
            name=self.prop(props, "StageName", owner),
            api=self.identity(props, "RestApiId", owner),
            api_kind=ApiKind.REST,
            description=self.prop(props, "Description", owner),
            deployment_id=self.identity(props, "DeploymentId", owner),
            cache_cluster_enabled=self.prop(props, "CacheClusterEnabled", owner, to_bool),
            cache_cluster_size=self.prop(props, "CacheClusterSize", owner),
            throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
            throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
            tracing_enabled=self.prop(props, "TracingEnabled", owner, to_bool),
            client_certificate_id=self.prop(props, "ClientCertificateId", owner),
            web_acl_arn=Tracked.absent(owner, "WebACLArn"),
            variables=self.variables(props.get("Variables"), owner, "Variables"),
            tags=self.string_map(props.get("Tags"), owner, "Tags"),
            method_settings=self.method_settings(props.get("MethodSettings"), f"{where}.MethodSettings"),
            canary=self.canary(props.get("CanarySetting"), where),
            access_log=self.access_log(props.get("AccessLogSetting"), f"{where}.AccessLogSetting"),
            ignored_rules=self.ignored_rules(resource),
        )

    def _deployment_stage(self, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage | None:
        """A Deployment with a StageName creates that stage, configured by its StageDescription."""
        name_node = props.get("StageName")
        if name_node is None or self.resolver.pick(name_node) is None:
            return None
        owner = key.span
        where = f"Resources.{key.value}.Properties.StageDescription"
        description_node = props.get("StageDescription")
        picked = self.resolver.pick(description_node) if description_node is not None else None
        if isinstance(picked, MappingNode) and as_call(picked) is None:
            described = picked
        else:
            if description_node is not None and picked is not None:
                position = picked.node.span if isinstance(picked, Choice) else picked.span
                self.notes.append(
                    Note(self.path, f"{where} is not a mapping of known settings: they are unknown", position)
                )
            described = MappingNode([], owner)
        settings = list(self.method_settings(described.get("MethodSettings"), f"{where}.MethodSettings"))
        stage_wide = self._stage_wide_setting(described)
        if stage_wide is not None:
            settings.insert(0, stage_wide)
        return Stage(
            source=self.source(key),
            position=owner,
            name=self.leaf(name_node, "StageName"),
            api=self.identity(props, "RestApiId", owner),
            api_kind=ApiKind.REST,
            description=self.prop(described, "Description", owner),
            deployment_id=Tracked.known(str(key.value), owner, "DeploymentId", str(key.value)),
            cache_cluster_enabled=self.prop(described, "CacheClusterEnabled", owner, to_bool),
            cache_cluster_size=self.prop(described, "CacheClusterSize", owner),
            throttling_rate_limit=self.prop(described, "ThrottlingRateLimit", owner, to_float),
            throttling_burst_limit=self.prop(described, "ThrottlingBurstLimit", owner, to_int),
            tracing_enabled=self.prop(described, "TracingEnabled", owner, to_bool),
            client_certificate_id=self.prop(described, "ClientCertificateId", owner),
            web_acl_arn=Tracked.absent(owner, "WebACLArn"),
            variables=self.variables(described.get("Variables"), owner, "Variables"),
            tags=self.string_map(described.get("Tags"), owner, "Tags"),
            method_settings=tuple(settings),
            canary=self.canary(described.get("CanarySetting"), where),
            access_log=self.access_log(described.get("AccessLogSetting"), f"{where}.AccessLogSetting"),
            ignored_rules=self.ignored_rules(resource),
        )

    def _stage_wide_setting(self, described: MappingNode) -> MethodSetting | None:
        """StageDescription's CachingEnabled, CacheTtlInSeconds, LoggingLevel… apply to every method:
        API Gateway stores them as the `*/*` method setting, so that is how they enter the model.
        (Its throttling limits are the stage's own, modelled on the stage.)"""
        present = [
            described.key_node(name) for name in STAGE_WIDE_METHOD_KEYS if described.get(name) is not None
        ]
        if not present:
            return None
        owner = described.span
        anchor = min((node.span for node in present if node is not None), key=lambda span: span.start())
        return MethodSetting(
            position=owner,
            scope=SettingScope.METHOD,
            resource_path=Tracked.known(
                "/*", anchor, "ResourcePath", "/* (StageDescription applies to all methods)"
            ),
            http_method=Tracked.known(
                "*", anchor, "HttpMethod", "* (StageDescription applies to all methods)"
            ),
            method_path=Tracked.absent(owner, "method_path"),
            route_key=Tracked.absent(owner, "route_key"),
            caching_enabled=self.prop(described, "CachingEnabled", owner, to_bool),
            cache_ttl_in_seconds=self.prop(described, "CacheTtlInSeconds", owner, to_int),
            cache_data_encrypted=self.prop(described, "CacheDataEncrypted", owner, to_bool),
            require_authorization_for_cache_control=Tracked.absent(
                owner, "RequireAuthorizationForCacheControl"
            ),
            throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
            throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
            logging_level=self.prop(described, "LoggingLevel", owner),
            data_trace_enabled=self.prop(described, "DataTraceEnabled", owner, to_bool),
            metrics_enabled=self.prop(described, "MetricsEnabled", owner, to_bool),
        )

    def _v2_stage(self, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage:
        owner = key.span
        where = f"Resources.{key.value}.Properties"
        api_node = props.get("ApiId")
        return Stage(
            source=self.source(key),
            position=owner,
            name=self.prop(props, "StageName", owner),
            api=self.identity(props, "ApiId", owner),
            api_kind=self.v2_api_kind(api_node),
            description=self.prop(props, "Description", owner),
            deployment_id=self.identity(props, "DeploymentId", owner),
            cache_cluster_enabled=Tracked.absent(owner, "CacheClusterEnabled"),
            cache_cluster_size=Tracked.absent(owner, "CacheClusterSize"),
            throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
            throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
            tracing_enabled=Tracked.absent(owner, "TracingEnabled"),
            client_certificate_id=self.prop(props, "ClientCertificateId", owner),
            web_acl_arn=Tracked.absent(owner, "WebACLArn"),
            variables=self.variables(props.get("StageVariables"), owner, "StageVariables"),
            tags=self.string_map(props.get("Tags"), owner, "Tags"),
            method_settings=self.route_settings(
                props.get("DefaultRouteSettings"), props.get("RouteSettings"), where
            ),
            access_log=self.access_log(props.get("AccessLogSettings"), f"{where}.AccessLogSettings"),
            ignored_rules=self.ignored_rules(resource),
        )

    def v2_api_kind(self, api_node: Node | None) -> ApiKind:
        """HTTP or WEBSOCKET from the referenced API's ProtocolType, when the API is in this template."""
        if api_node is None:
            return ApiKind.UNKNOWN
        logical_id = self.resolver.referenced_resource(api_node)
        if logical_id == "ServerlessHttpApi":
            return ApiKind.HTTP
        api = (
            self.resources.get(logical_id) if logical_id is not None and self.resources is not None else None
        )
        if not isinstance(api, MappingNode):
            return ApiKind.UNKNOWN
        kind = api.get("Type")
        kind_name = kind.value if isinstance(kind, ScalarNode) else None
        if kind_name == "AWS::Serverless::HttpApi":
            return ApiKind.HTTP
        if kind_name == "AWS::Serverless::WebSocketApi":
            return ApiKind.WEBSOCKET
        if kind_name != "AWS::ApiGatewayV2::Api":
            return ApiKind.UNKNOWN
        props = api.get("Properties")
        protocol_node = props.get("ProtocolType") if isinstance(props, MappingNode) else None
        protocol = self.resolver.value(protocol_node, "ProtocolType") if protocol_node is not None else None
        if protocol is not None and protocol.is_known and isinstance(protocol.value, str):
            return ApiKind.__members__.get(protocol.value.upper(), ApiKind.UNKNOWN)
        return ApiKind.UNKNOWN

    # -- WAF ------------------------------------------------------------------------------------------
    def _attach_web_acls(self, built: list[_Built]) -> None:
        if self.resources is None or not built:
            return
        for key, resource in self.resources.items():
            if not isinstance(resource, MappingNode):
                continue
            kind = resource.get("Type")
            if not isinstance(kind, ScalarNode) or kind.value not in WAF_ASSOCIATIONS:
                continue
            props = resource.get("Properties")
            if not isinstance(props, MappingNode):
                continue
            arn_node = props.get("ResourceArn")
            acl_key = "WebACLArn" if kind.value == "AWS::WAFv2::WebACLAssociation" else "WebACLId"
            acl_node = props.get(acl_key)
            if arn_node is None or acl_node is None:
                continue
            targets = self._waf_targets(arn_node, built)
            if not targets:
                self.notes.append(
                    Note(
                        self.path,
                        f"Resources.{key.value}: cannot tell which stage its ResourceArn names",
                        arn_node.span,
                    )
                )
                continue
            acl = self.leaf(acl_node, acl_key)
            for target in targets:
                target.stage = replace(target.stage, web_acl_arn=acl)

    def _waf_targets(self, arn_node: Node, built: list[_Built]) -> list[_Built]:
        """The stages an association's ResourceArn (`…/restapis/<api>/stages/<stage>`) names: by a
        reference to a stage resource (`${ProdStage}`, `${MyApi.Stage}` in SAM), or by a literal
        stage name on the referenced API."""
        text = self._arn_text(arn_node)
        if text is None:
            return []
        match = _STAGE_ARN.search(text)
        if match is None:
            return []
        api, stage = match.group("api"), match.group("stage")
        reference = _REFERENCE.fullmatch(stage)
        if reference is not None:
            name = reference.group(1)
            logical_id = name.removesuffix(".Stage")
            return [item for item in built if item.logical_id == logical_id]
        api_reference = _REFERENCE.fullmatch(api)
        api_id = api_reference.group(1).split(".")[0] if api_reference is not None else None
        return [
            item
            for item in built
            if item.stage.name.known_equals(stage)
            and (api_id is None or item.stage.api.known_equals(api_id) or item.logical_id == api_id)
        ]

    def _arn_text(self, node: Node) -> str | None:
        """The ARN as text, with each reference written `${Name}` (Fn::Sub's own spelling)."""
        call = as_call(node)
        if call is None:
            return node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else None
        argument = call.argument
        if call.name == "Fn::Sub":
            template = (
                argument.items[0] if isinstance(argument, SequenceNode) and argument.items else argument
            )
            return (
                template.value
                if isinstance(template, ScalarNode) and isinstance(template.value, str)
                else None
            )
        if call.name == "Ref" and isinstance(argument, ScalarNode):
            return "${" + str(argument.value) + "}"
        if call.name == "Fn::GetAtt":
            if isinstance(argument, ScalarNode):
                return "${" + str(argument.value) + "}"
            if isinstance(argument, SequenceNode):
                return "${" + ".".join(str(getattr(item, "value", "?")) for item in argument.items) + "}"
        if (
            call.name == "Fn::Join"
            and isinstance(argument, SequenceNode)
            and len(argument.items) == 2
            and isinstance(argument.items[0], ScalarNode)
            and isinstance(argument.items[1], SequenceNode)
        ):
            parts = [self._arn_text(item) for item in argument.items[1].items]
            return str(argument.items[0].value or "").join(
                part if part is not None else "?" for part in parts
            )
        return None


_STAGE_ARN = re.compile(r"/restapis/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$")
_REFERENCE = re.compile(r"\$\{([^}!][^}]*)\}")


def _as_string_node(node: ScalarNode) -> ScalarNode:
    """Parameter values are strings to CloudFormation: `"300"` and `300` in a file mean the same."""
    text = node.value if isinstance(node.value, str) else node.raw
    return ScalarNode(text, node.span, None, node.raw, True)


def duplicate_key_findings(root: Node) -> Iterator[tuple[str, Violation]]:
    """SL010 for each mapping key written again in the same mapping (the later one wins), over the
    whole template, iteratively."""
    stack: list[tuple[Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, SequenceNode):
            stack.extend((item, f"{path}[{index}]") for index, item in enumerate(node.items))
            continue
        if not isinstance(node, MappingNode):
            continue
        last_seen: dict[Any, ScalarNode] = {}
        for key, value in node.pairs:
            key_path = f"{path}.{key.value}" if path else str(key.value)
            earlier = last_seen.get(key.value)
            if earlier is not None:
                message = (
                    f"duplicate key `{key.value}`: line {key.span.line} repeats the key from line "
                    f"{earlier.span.line}; the later value (line {key.span.line}) is the one used"
                )
                yield "SL010", Violation(message, key.span, f"duplicate-key:{key_path}")
            last_seen[key.value] = key
            stack.append((value, key_path))
