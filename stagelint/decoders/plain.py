"""stagelint's own YAML stage format → stages.

    stages:
      - name: prod
        cache_cluster_enabled: true
        cache_cluster_size: "0.5"
        method_settings:
          - {resource_path: /users/*, http_method: GET, cache_ttl_in_seconds: 300}

Field names follow the Terraform attribute names. The JSON Schema (`stagelint schema`) lists them
all; an unknown key is reported as a parse failure with a "did you mean" hint rather than ignored.
"""

from __future__ import annotations

from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.decoders.values import field, scalar, string_map, to_bool, to_float, to_int, to_str
from stagelint.hints import did_you_mean
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
from stagelint.tracked import Tracked

STAGE_KEYS = (
    "name", "api", "api_type", "description", "deployment_id", "cache_cluster_enabled", "cache_cluster_size",
    "throttling_rate_limit", "throttling_burst_limit", "xray_tracing_enabled", "client_certificate_id",
    "web_acl_arn", "variables", "tags", "method_settings", "canary_settings", "access_log_settings",
    "endpoint_type", "auto_deploy",
)
METHOD_SETTING_KEYS = (
    "resource_path", "http_method", "caching_enabled", "cache_ttl_in_seconds", "cache_data_encrypted",
    "require_authorization_for_cache_control", "throttling_rate_limit", "throttling_burst_limit",
    "logging_level", "data_trace_enabled", "metrics_enabled",
)
CANARY_KEYS = ("percent_traffic", "deployment_id", "use_stage_cache", "stage_variable_overrides")
ACCESS_LOG_KEYS = ("destination_arn", "format")


def classify(root: MappingNode) -> bool | str | None:
    """True: a stage file. A string: a file with a `stages` key that is something else (a CI
    pipeline's list of stage names), skipped with that reason. None: no `stages` key at all."""
    stages = root.get("stages")
    if stages is None:
        return None
    if isinstance(stages, SequenceNode) and stages.items and all(
        isinstance(item, MappingNode) for item in stages.items
    ):
        return True
    return "`stages` is not a list of stage mappings (a CI pipeline file?)"


class _Decoder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.failures: list[ParseFailure] = []

    def check_keys(self, mapping: MappingNode, allowed: tuple[str, ...], where: str) -> None:
        for key, _ in mapping.pairs:
            name = str(key.value)
            if name not in allowed:
                hint = did_you_mean(name, allowed)
                self.failures.append(ParseFailure(self.path, f"unknown key `{name}` in {where}{hint}", key.span))

    def stage(self, node: MappingNode, index: int) -> Stage:
        self.check_keys(node, STAGE_KEYS, "a stage")
        owner = node.span
        api_type = node.get("api_type")
        kind = ApiKind.REST
        if isinstance(api_type, ScalarNode) and isinstance(api_type.value, str):
            kind = ApiKind.__members__.get(api_type.value.upper(), ApiKind.UNKNOWN)
        return Stage(
            source=StageSource(self.path, SourceFormat.PLAIN, f"stages[{index}]"),
            position=owner,
            name=field(node, "name", owner),
            api=field(node, "api", owner),
            api_kind=kind,
            description=field(node, "description", owner),
            deployment_id=field(node, "deployment_id", owner),
            cache_cluster_enabled=field(node, "cache_cluster_enabled", owner, to_bool),
            cache_cluster_size=field(node, "cache_cluster_size", owner, to_str),
            throttling_rate_limit=field(node, "throttling_rate_limit", owner, to_float),
            throttling_burst_limit=field(node, "throttling_burst_limit", owner, to_int),
            tracing_enabled=field(node, "xray_tracing_enabled", owner, to_bool),
            client_certificate_id=field(node, "client_certificate_id", owner),
            web_acl_arn=field(node, "web_acl_arn", owner),
            variables=self.variables(node.get("variables"), owner),
            tags=string_map(node.get("tags"), owner, "tags"),
            method_settings=self.method_settings(node.get("method_settings")),
            canary=self.canary(node.get("canary_settings")),
            access_log=self.access_log(node.get("access_log_settings")),
            endpoint_type=field(node, "endpoint_type", owner),
            auto_deploy=None if kind is ApiKind.REST else field(node, "auto_deploy", owner, to_bool),
        )

    def variables(self, node: Node | None, owner: SourcePosition) -> Tracked[tuple[StageVariable, ...]]:
        if node is None:
            return Tracked.absent(owner, "variables")
        if not isinstance(node, MappingNode):
            return Tracked.unknown(node.span, "variables is not a mapping", "variables")
        entries = tuple(
            StageVariable(
                Tracked.known(str(key.value), key.span, "variables", str(key.value)),
                scalar(value, f"variables.{key.value}", to_str),
            )
            for key, value in node.items()
        )
        return Tracked.known(entries, node.span, "variables")

    def method_settings(self, node: Node | None) -> tuple[MethodSetting, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.failures.append(ParseFailure(self.path, "method_settings must be a list", node.span))
            return ()
        settings = []
        for item in node.items:
            if not isinstance(item, MappingNode):
                self.failures.append(ParseFailure(self.path, "a method setting must be a mapping", item.span))
                continue
            self.check_keys(item, METHOD_SETTING_KEYS, "a method setting")
            owner = item.span
            settings.append(MethodSetting(
                position=owner,
                scope=SettingScope.METHOD,
                resource_path=field(item, "resource_path", owner),
                http_method=field(item, "http_method", owner),
                method_path=Tracked.absent(owner, "method_path"),
                route_key=Tracked.absent(owner, "route_key"),
                caching_enabled=field(item, "caching_enabled", owner, to_bool),
                cache_ttl_in_seconds=field(item, "cache_ttl_in_seconds", owner, to_int),
                cache_data_encrypted=field(item, "cache_data_encrypted", owner, to_bool),
                require_authorization_for_cache_control=field(
                    item, "require_authorization_for_cache_control", owner, to_bool),
                throttling_rate_limit=field(item, "throttling_rate_limit", owner, to_float),
                throttling_burst_limit=field(item, "throttling_burst_limit", owner, to_int),
                logging_level=field(item, "logging_level", owner),
                data_trace_enabled=field(item, "data_trace_enabled", owner, to_bool),
                metrics_enabled=field(item, "metrics_enabled", owner, to_bool),
            ))
        return tuple(settings)

    def canary(self, node: Node | None) -> CanarySettings | None:
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.failures.append(ParseFailure(self.path, "canary_settings must be a mapping", node.span))
            return None
        self.check_keys(node, CANARY_KEYS, "canary_settings")
        owner = node.span
        return CanarySettings(
            position=owner,
            percent_traffic=field(node, "percent_traffic", owner, to_float),
            deployment_id=field(node, "deployment_id", owner),
            use_stage_cache=field(node, "use_stage_cache", owner, to_bool),
            stage_variable_overrides=string_map(node.get("stage_variable_overrides"), owner,
                                                "stage_variable_overrides"),
        )

    def access_log(self, node: Node | None) -> AccessLogSettings | None:
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.failures.append(ParseFailure(self.path, "access_log_settings must be a mapping", node.span))
            return None
        self.check_keys(node, ACCESS_LOG_KEYS, "access_log_settings")
        owner = node.span
        return AccessLogSettings(owner, field(node, "destination_arn", owner), field(node, "format", owner))


def decode(root: MappingNode, path: str) -> DecodedFile:
    decoder = _Decoder(path)
    decoder.check_keys(root, ("stages", "version"), "the file")
    stages_node = root.get("stages")
    assert isinstance(stages_node, SequenceNode)
    stages = tuple(
        decoder.stage(item, index) for index, item in enumerate(stages_node.items) if isinstance(item, MappingNode)
    )
    return DecodedFile(path, "plain", stages, tuple(decoder.failures))
