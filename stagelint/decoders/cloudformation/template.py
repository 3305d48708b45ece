"""The property readers of one template: leaves, structured properties, `Fn::If` choices and maps.

Every model leaf of a CloudFormation or SAM stage is read through `Readers`: values go through
`intrinsics.Resolver`, so nothing is guessed, and a node that comes from SAM `Globals` (registered by
`sam.py` with `mark_globals`) gets an `Origin` naming `Globals.<Section>`. `resources.py`, `sam.py`
and `waf.py` build stages from these readers; notes go to the decoder's list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stagelint.decoders.cloudformation.intrinsics import Choice, Resolver, as_call, as_text, literal
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode, walk
from stagelint.decoders.values import to_bool, to_float, to_int, to_str
from stagelint.findings import Note
from stagelint.model import (
    AccessLogSettings,
    CanarySettings,
    MethodSetting,
    SettingScope,
    SourceFormat,
    StageSource,
    StageVariable,
)
from stagelint.positions import SourcePosition
from stagelint.records import fields, replace
from stagelint.tracked import ABSENT, Origin, Tracked


class Readers:
    """The readers of one template: its path and format, its resolver and the decoder's notes."""

    def __init__(self, path: str, source_format: SourceFormat, resolver: Resolver, notes: list[Note]) -> None:
        self.path = path
        self.format = source_format
        self.resolver = resolver
        self.notes = notes
        # Nodes that come from SAM `Globals`, by id, with the section they were written in.
        self.global_nodes: dict[int, str] = {}

    def mark_globals(self, globals_node: MappingNode, section: str) -> None:
        """Every node of a `Globals` section, from now on read with that section as its origin."""
        for node in walk(globals_node):
            self.global_nodes[id(node)] = section

    # -- leaves -----------------------------------------------------------------------------------
    def leaf(self, node: Node, spelled_as: str, convert: Callable[[Any], Any] = to_str) -> Tracked[Any]:
        """Every model leaf goes through here: resolution, then the Globals origin."""
        if type(node) is ScalarNode and node.tag is None:  # a literal: what `resolver.value` makes of it
            if node.value is None:
                return Tracked(None, ABSENT, node.span, spelled_as)
            tracked = literal(node, spelled_as, convert, node.span)
        else:
            tracked = self.resolver.value(node, spelled_as, convert)
        # (most templates have no SAM Globals: a leaf then needs no look-up)
        return self._with_globals_origin(node, tracked) if self.global_nodes else tracked

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
        if node is None:  # (Tracked.absent, without its frame: a stage has a dozen of these)
            return Tracked(None, ABSENT, owner, spelled_as or key)
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

    def unreadable_settings(self, node: Node | None, keyed_by_route: bool = False) -> str | None:
        """Why a MethodSettings list (or a RouteSettings map) cannot be read, as `method_settings` and
        `route_settings` skip it; None when it is absent or readable. Goes to `Stage.method_settings_unreadable`."""
        if node is None:
            return None
        picked = self.resolver.pick(node)
        if isinstance(picked, Choice):
            return f"they depend on condition {picked.condition}, which cannot be decided"
        expected = MappingNode if keyed_by_route else SequenceNode
        if picked is not None and (not isinstance(picked, expected) or as_call(picked) is not None):
            return "they are not written as a list of settings stagelint can read"
        return None

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

    # -- where a stage is written -----------------------------------------------------------------
    def source(self, key: ScalarNode) -> StageSource:
        return StageSource(self.path, self.format, f"Resources.{key.value}")
