"""Plain CloudFormation stage resources → stages: `AWS::ApiGateway::Stage`,
`AWS::ApiGateway::Deployment` (with a `StageName`, configured by `StageDescription`) and
`AWS::ApiGatewayV2::Stage` (`DefaultRouteSettings`, `RouteSettings` keyed by route key).
"""

from __future__ import annotations

from stagelint.decoders.cloudformation.intrinsics import Choice, as_call
from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.tree import MappingNode, Node, ScalarNode
from stagelint.decoders.values import to_bool, to_float, to_int
from stagelint.findings import Note
from stagelint.model import ApiKind, MethodSetting, SettingScope, Stage
from stagelint.tracked import Tracked

# StageDescription keys that API Gateway applies to every method (the `*/*` method setting).
STAGE_WIDE_METHOD_KEYS = (
    "CachingEnabled",
    "CacheTtlInSeconds",
    "CacheDataEncrypted",
    "DataTraceEnabled",
    "LoggingLevel",
    "MetricsEnabled",
)


def resource_stage(readers: Readers, key: ScalarNode, resource: MappingNode, kind: str) -> Stage | None:
    props = readers.properties(key, resource)
    if kind == "AWS::ApiGateway::Stage":
        return _rest_stage(readers, key, resource, props)
    if kind == "AWS::ApiGateway::Deployment":
        return _deployment_stage(readers, key, resource, props)
    return _v2_stage(readers, key, resource, props)


def _rest_stage(readers: Readers, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage:
    owner = key.span
    where = f"Resources.{key.value}.Properties"
    return Stage(
        source=readers.source(key),
        position=owner,
        name=readers.prop(props, "StageName", owner),
        api=readers.identity(props, "RestApiId", owner),
        api_kind=ApiKind.REST,
        description=readers.prop(props, "Description", owner),
        deployment_id=readers.identity(props, "DeploymentId", owner),
        cache_cluster_enabled=readers.prop(props, "CacheClusterEnabled", owner, to_bool),
        cache_cluster_size=readers.prop(props, "CacheClusterSize", owner),
        throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
        throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
        tracing_enabled=readers.prop(props, "TracingEnabled", owner, to_bool),
        client_certificate_id=readers.prop(props, "ClientCertificateId", owner),
        web_acl_arn=Tracked.absent(owner, "WebACLArn"),
        variables=readers.variables(props.get("Variables"), owner, "Variables"),
        tags=readers.string_map(props.get("Tags"), owner, "Tags"),
        method_settings=readers.method_settings(props.get("MethodSettings"), f"{where}.MethodSettings"),
        canary=readers.canary(props.get("CanarySetting"), where),
        access_log=readers.access_log(props.get("AccessLogSetting"), f"{where}.AccessLogSetting"),
        ignored_rules=readers.ignored_rules(resource),
        method_settings_unreadable=readers.unreadable_settings(props.get("MethodSettings")),
    )


def _deployment_stage(
    readers: Readers, key: ScalarNode, resource: MappingNode, props: MappingNode
) -> Stage | None:
    """A Deployment with a StageName creates that stage, configured by its StageDescription."""
    name_node = props.get("StageName")
    if name_node is None or readers.resolver.pick(name_node) is None:
        return None
    owner = key.span
    where = f"Resources.{key.value}.Properties.StageDescription"
    description_node = props.get("StageDescription")
    picked = readers.resolver.pick(description_node) if description_node is not None else None
    unreadable: str | None = None
    if isinstance(picked, MappingNode) and as_call(picked) is None:
        described = picked
    else:
        if description_node is not None and picked is not None:
            unreadable = "StageDescription is not a mapping stagelint can read"
            position = picked.node.span if isinstance(picked, Choice) else picked.span
            readers.notes.append(
                Note(readers.path, f"{where} is not a mapping of known settings: they are unknown", position)
            )
        described = MappingNode([], owner)
    unreadable = unreadable or readers.unreadable_settings(described.get("MethodSettings"))
    settings = list(readers.method_settings(described.get("MethodSettings"), f"{where}.MethodSettings"))
    stage_wide = _stage_wide_setting(readers, described)
    if stage_wide is not None:
        settings.insert(0, stage_wide)
    return Stage(
        source=readers.source(key),
        position=owner,
        name=readers.leaf(name_node, "StageName"),
        api=readers.identity(props, "RestApiId", owner),
        api_kind=ApiKind.REST,
        description=readers.prop(described, "Description", owner),
        deployment_id=Tracked.known(str(key.value), owner, "DeploymentId", str(key.value)),
        cache_cluster_enabled=readers.prop(described, "CacheClusterEnabled", owner, to_bool),
        cache_cluster_size=readers.prop(described, "CacheClusterSize", owner),
        throttling_rate_limit=readers.prop(described, "ThrottlingRateLimit", owner, to_float),
        throttling_burst_limit=readers.prop(described, "ThrottlingBurstLimit", owner, to_int),
        tracing_enabled=readers.prop(described, "TracingEnabled", owner, to_bool),
        client_certificate_id=readers.prop(described, "ClientCertificateId", owner),
        web_acl_arn=Tracked.absent(owner, "WebACLArn"),
        variables=readers.variables(described.get("Variables"), owner, "Variables"),
        tags=readers.string_map(described.get("Tags"), owner, "Tags"),
        method_settings=tuple(settings),
        canary=readers.canary(described.get("CanarySetting"), where),
        access_log=readers.access_log(described.get("AccessLogSetting"), f"{where}.AccessLogSetting"),
        ignored_rules=readers.ignored_rules(resource),
        method_settings_unreadable=unreadable,
    )


def _stage_wide_setting(readers: Readers, described: MappingNode) -> MethodSetting | None:
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
        caching_enabled=readers.prop(described, "CachingEnabled", owner, to_bool),
        cache_ttl_in_seconds=readers.prop(described, "CacheTtlInSeconds", owner, to_int),
        cache_data_encrypted=readers.prop(described, "CacheDataEncrypted", owner, to_bool),
        require_authorization_for_cache_control=Tracked.absent(
            owner, "RequireAuthorizationForCacheControl"
        ),
        throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
        throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
        logging_level=readers.prop(described, "LoggingLevel", owner),
        data_trace_enabled=readers.prop(described, "DataTraceEnabled", owner, to_bool),
        metrics_enabled=readers.prop(described, "MetricsEnabled", owner, to_bool),
    )


def _v2_stage(readers: Readers, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage:
    owner = key.span
    where = f"Resources.{key.value}.Properties"
    api_node = props.get("ApiId")
    return Stage(
        source=readers.source(key),
        position=owner,
        name=readers.prop(props, "StageName", owner),
        api=readers.identity(props, "ApiId", owner),
        api_kind=v2_api_kind(readers, api_node),
        description=readers.prop(props, "Description", owner),
        deployment_id=readers.identity(props, "DeploymentId", owner),
        cache_cluster_enabled=Tracked.absent(owner, "CacheClusterEnabled"),
        cache_cluster_size=Tracked.absent(owner, "CacheClusterSize"),
        throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
        throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
        tracing_enabled=Tracked.absent(owner, "TracingEnabled"),
        client_certificate_id=readers.prop(props, "ClientCertificateId", owner),
        web_acl_arn=Tracked.absent(owner, "WebACLArn"),
        variables=readers.variables(props.get("StageVariables"), owner, "StageVariables"),
        tags=readers.string_map(props.get("Tags"), owner, "Tags"),
        method_settings=readers.route_settings(
            props.get("DefaultRouteSettings"), props.get("RouteSettings"), where
        ),
        access_log=readers.access_log(props.get("AccessLogSettings"), f"{where}.AccessLogSettings"),
        ignored_rules=readers.ignored_rules(resource),
        auto_deploy=readers.prop(props, "AutoDeploy", owner, to_bool),
        method_settings_unreadable=readers.unreadable_settings(props.get("RouteSettings"), keyed_by_route=True),
    )


def v2_api_kind(readers: Readers, api_node: Node | None) -> ApiKind:
    """HTTP or WEBSOCKET from the referenced API's ProtocolType, when the API is in this template."""
    if api_node is None:
        return ApiKind.UNKNOWN
    logical_id = readers.resolver.referenced_resource(api_node)
    if logical_id == "ServerlessHttpApi":
        return ApiKind.HTTP
    resources = readers.resolver.resources
    api = resources.get(logical_id) if logical_id is not None and resources is not None else None
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
    protocol = readers.resolver.value(protocol_node, "ProtocolType") if protocol_node is not None else None
    if protocol is not None and protocol.is_known and isinstance(protocol.value, str):
        return ApiKind.__members__.get(protocol.value.upper(), ApiKind.UNKNOWN)
    return ApiKind.UNKNOWN
