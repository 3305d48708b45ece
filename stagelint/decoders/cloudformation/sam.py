"""SAM's `AWS::Serverless::Api`, `HttpApi` and `WebSocketApi` → stages, with `Globals` merged in.

No SAM translator runs: the stage properties are read as SAM documents them, after merging the
`Globals` section the way SAM's globals plugin does (`samtranslator/plugins/globals/globals.py`):

- a primitive (or an intrinsic function, which SAM treats as one) on the resource replaces the
  Globals value; when the kinds differ, the resource value wins;
- mappings are merged key by key with the same rules;
- lists are concatenated, Globals entries first.

A value taken from Globals keeps the Globals node (a finding points at the Globals line) and gets
an `Origin` naming `Globals.<Section>`. The implicit APIs SAM creates for function events
(`ServerlessRestApi`, stage `Prod`; `ServerlessHttpApi`, `$default`) are stages too
(`implicit_apis`), positioned at the first event that creates them.

SAM also gives a REST API without `OpenApiVersion` an extra stage named `Stage`
(`samtranslator/model/api/api_generator.py`, `_construct_deployment`: `remove_extra_stage =
open_api_version`, and unless it is set the `<Api>Deployment` gets `StageName: Stage`). That
deployment has no `StageDescription`: the stage carries none of the API's settings. `extra_stage`
models it, marked `sam_extra_stage`, so that SL405 reports it (and only SL405: see that rule).
"""

from __future__ import annotations

from typing import TypedDict

from stagelint.decoders.cloudformation.intrinsics import as_call
from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.cloudformation.waf import endpoint_type
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.decoders.values import to_bool
from stagelint.findings import Note
from stagelint.model import ApiKind, Stage, StageSource
from stagelint.positions import SourcePosition
from stagelint.tracked import Tracked

SECTIONS = {
    "AWS::Serverless::Api": "Api",
    "AWS::Serverless::HttpApi": "HttpApi",
    "AWS::Serverless::WebSocketApi": "WebSocketApi",
}
# HttpApi without a StageName serves the `$default` stage (SAM's documented default).
HTTP_DEFAULT_STAGE = "$default"
# The stage SAM's deployment of a REST API without OpenApiVersion creates (api_generator.py).
EXTRA_STAGE = "Stage"


def decode_resource(
    readers: Readers, root: MappingNode, key: ScalarNode, resource: MappingNode, kind: str
) -> Stage | None:
    props = merged_properties(readers, root, key, resource, kind)
    if kind == "AWS::Serverless::Api":
        return _rest_api(readers, key, resource, props)
    return _v2_api(
        readers,
        key,
        resource,
        props,
        ApiKind.HTTP if kind == "AWS::Serverless::HttpApi" else ApiKind.WEBSOCKET,
    )


def merged_properties(
    readers: Readers, root: MappingNode, key: ScalarNode, resource: MappingNode, kind: str
) -> MappingNode:
    """The resource's Properties with its Globals section merged in, as SAM's globals plugin does."""
    section = SECTIONS[kind]
    props = readers.properties(key, resource)
    globals_node = _globals_section(root, section)
    if globals_node is not None:
        readers.mark_globals(globals_node, section)
        props = merge(globals_node, props)
    return props


def _globals_section(root: MappingNode, section: str) -> MappingNode | None:
    globals_node = root.get("Globals")
    node = globals_node.get(section) if isinstance(globals_node, MappingNode) else None
    return node if isinstance(node, MappingNode) else None


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode) and as_call(node) is None and node.tag is None:
        return "mapping"
    if isinstance(node, SequenceNode) and node.tag is None:
        return "list"
    return "primitive"  # scalars and intrinsic functions (SAM merges an intrinsic as a primitive)


def merge(global_value: MappingNode, local_value: MappingNode) -> MappingNode:
    """SAM's Globals merge on position-keeping nodes. Iterative: nesting cannot overflow the stack."""
    result = MappingNode([], local_value.span)
    # Each job merges one (globals mapping, resource mapping) pair into `target`.
    jobs: list[tuple[MappingNode, MappingNode, MappingNode]] = [(global_value, local_value, result)]
    while jobs:
        globals_mapping, local_mapping, target = jobs.pop()
        pairs: list[tuple[ScalarNode, Node]] = []
        for key, value in globals_mapping.items():
            local = local_mapping.get(str(key.value)) if isinstance(key.value, str) else None
            if local is None:
                pairs.append((key, value))
                continue
            local_key = local_mapping.key_node(str(key.value))
            assert local_key is not None
            kinds = (_kind(value), _kind(local))
            if kinds == ("mapping", "mapping"):
                assert isinstance(value, MappingNode) and isinstance(local, MappingNode)
                merged = MappingNode([], local.span)
                jobs.append((value, local, merged))
                pairs.append((local_key, merged))
            elif kinds == ("list", "list"):
                assert isinstance(value, SequenceNode) and isinstance(local, SequenceNode)
                pairs.append((local_key, SequenceNode(value.items + local.items, local.span)))
            else:
                pairs.append((local_key, local))
        merged_keys = {key.value for key, _ in pairs}
        pairs.extend((key, value) for key, value in local_mapping.items() if key.value not in merged_keys)
        target.pairs = pairs
        target.__post_init__()  # rebuild the key index for the pairs just set
    return result


def _rest_api(readers: Readers, key: ScalarNode, resource: MappingNode, props: MappingNode) -> Stage:
    owner = key.span
    where = f"Resources.{key.value}.Properties"
    logical_id = str(key.value)
    return Stage(
        source=readers.source(key),
        position=owner,
        name=readers.prop(props, "StageName", owner),
        api=Tracked.known(logical_id, owner, "Api", logical_id),
        api_kind=ApiKind.REST,
        # `Description` on a Serverless::Api describes the REST API, not the stage.
        description=Tracked.absent(owner, "Description"),
        deployment_id=Tracked.absent(owner, "DeploymentId"),
        cache_cluster_enabled=readers.prop(props, "CacheClusterEnabled", owner, to_bool),
        cache_cluster_size=readers.prop(props, "CacheClusterSize", owner),
        throttling_rate_limit=Tracked.absent(owner, "ThrottlingRateLimit"),
        throttling_burst_limit=Tracked.absent(owner, "ThrottlingBurstLimit"),
        tracing_enabled=readers.prop(props, "TracingEnabled", owner, to_bool),
        # Serverless::Api has no ClientCertificateId: whether the stage gets one is decided outside
        # the template, so it is unknown (not absent), and no rule asks for what SAM cannot say.
        client_certificate_id=Tracked.unknown(
            owner, "AWS::Serverless::Api has no ClientCertificateId property", "ClientCertificateId"),
        web_acl_arn=Tracked.absent(owner, "WebACLArn"),
        variables=readers.variables(props.get("Variables"), owner, "Variables"),
        tags=readers.string_map(props.get("Tags"), owner, "Tags"),
        method_settings=readers.method_settings(props.get("MethodSettings"), f"{where}.MethodSettings"),
        canary=readers.canary(props.get("CanarySetting"), where),
        access_log=readers.access_log(props.get("AccessLogSetting"), f"{where}.AccessLogSetting"),
        ignored_rules=readers.ignored_rules(resource),
        endpoint_type=endpoint_type(readers, props.get("EndpointConfiguration"), owner),
        method_settings_unreadable=readers.unreadable_settings(props.get("MethodSettings")),
    )


def extra_stage(readers: Readers, root: MappingNode, key: ScalarNode, resource: MappingNode) -> Stage | None:
    """SAM's extra stage `Stage` of a REST API (`AWS::Serverless::Api`, or the implicit
    `ServerlessRestApi`) without `OpenApiVersion` (on the resource or in `Globals.Api`); None when
    SAM makes none, or when whether it does cannot be told (an `OpenApiVersion` stagelint cannot
    resolve: a note says so)."""
    props = merged_properties(readers, root, key, resource, "AWS::Serverless::Api")
    owner = key.span
    version_node = props.get("OpenApiVersion")
    if version_node is not None:
        version = readers.resolver.value(version_node, "OpenApiVersion")
        if not version.is_known:
            readers.notes.append(Note(readers.path, f"Resources.{key.value}: whether SAM adds its extra stage "
                                      "`Stage` is unknown: OpenApiVersion cannot be resolved", version_node.span))
            return None
        if version.value:  # SAM tests the value's truth: any version removes the extra stage
            return None
    name_node = props.get("StageName")
    if name_node is not None and readers.resolver.value(name_node, "StageName").known_equals(EXTRA_STAGE):
        return None  # the configured stage is the one named `Stage`: no second stage of that name
    logical_id = str(key.value)
    deployment = f"{logical_id}Deployment"
    return Stage(
        source=StageSource(readers.path, readers.format, f"Resources.{deployment}"),
        position=owner,
        name=Tracked.known(EXTRA_STAGE, owner, "StageName", f"{EXTRA_STAGE} (SAM's extra stage)"),
        api=Tracked.known(logical_id, owner, "Api", logical_id),
        api_kind=ApiKind.REST,
        deployment_id=Tracked.known(deployment, owner, "DeploymentId", f"{deployment} (SAM's deployment)"),
        **_unset_stage_settings(owner),
        variables=Tracked.absent(owner, "Variables"),
        tags=Tracked.absent(owner, "Tags"),
        ignored_rules=readers.ignored_rules(resource),
        endpoint_type=endpoint_type(readers, props.get("EndpointConfiguration"), owner),
        sam_extra_stage=True,
    )


class _UnsetSettings(TypedDict):
    description: Tracked[str]
    cache_cluster_enabled: Tracked[bool]
    cache_cluster_size: Tracked[str]
    throttling_rate_limit: Tracked[float]
    throttling_burst_limit: Tracked[int]
    tracing_enabled: Tracked[bool]
    client_certificate_id: Tracked[str]
    web_acl_arn: Tracked[str]


def _unset_stage_settings(owner: SourcePosition) -> _UnsetSettings:
    """The stage settings a SAM resource cannot set on the stage it makes (SAM's extra stage `Stage`;
    an HTTP or WebSocket API's stage), each absent at the resource."""
    return {
        "description": Tracked.absent(owner, "Description"),
        "cache_cluster_enabled": Tracked.absent(owner, "CacheClusterEnabled"),
        "cache_cluster_size": Tracked.absent(owner, "CacheClusterSize"),
        "throttling_rate_limit": Tracked.absent(owner, "ThrottlingRateLimit"),
        "throttling_burst_limit": Tracked.absent(owner, "ThrottlingBurstLimit"),
        "tracing_enabled": Tracked.absent(owner, "TracingEnabled"),
        "client_certificate_id": Tracked.absent(owner, "ClientCertificateId"),
        "web_acl_arn": Tracked.absent(owner, "WebACLArn"),
    }


def _v2_api(
    readers: Readers, key: ScalarNode, resource: MappingNode, props: MappingNode, kind: ApiKind
) -> Stage:
    owner = key.span
    where = f"Resources.{key.value}.Properties"
    logical_id = str(key.value)
    name = readers.prop(props, "StageName", owner)
    if name.is_absent and kind is ApiKind.HTTP:
        name = Tracked.known(HTTP_DEFAULT_STAGE, owner, "StageName", f"{HTTP_DEFAULT_STAGE} (SAM's default)")
    return Stage(
        source=readers.source(key),
        position=owner,
        name=name,
        api=Tracked.known(logical_id, owner, "Api", logical_id),
        api_kind=kind,
        deployment_id=Tracked.absent(owner, "DeploymentId"),
        **_unset_stage_settings(owner),
        variables=readers.variables(props.get("StageVariables"), owner, "StageVariables"),
        tags=readers.string_map(props.get("Tags"), owner, "Tags"),
        method_settings=readers.route_settings(
            props.get("DefaultRouteSettings"), props.get("RouteSettings"), where
        ),
        access_log=readers.access_log(props.get("AccessLogSettings"), f"{where}.AccessLogSettings"),
        ignored_rules=readers.ignored_rules(resource),
        method_settings_unreadable=readers.unreadable_settings(props.get("RouteSettings"), keyed_by_route=True),
    )


# Implicit APIs (samtranslator/plugins/api/implicit_rest_api_plugin.py, implicit_http_api_plugin.py):
# a function event `Type: Api` without `RestApiId` (`HttpApi` without `ApiId`) makes SAM create
# `ServerlessRestApi` with stage `Prod` (`ServerlessHttpApi` with `$default`); Globals apply to them.
IMPLICIT_APIS = {
    "Api": ("ServerlessRestApi", "RestApiId", "AWS::Serverless::Api", "Prod"),
    "HttpApi": ("ServerlessHttpApi", "ApiId", "AWS::Serverless::HttpApi", None),
}
EVENT_SOURCES = frozenset({"AWS::Serverless::Function"})


def implicit_apis(resources: MappingNode) -> list[tuple[ScalarNode, MappingNode, str]]:
    """The (key, resource, kind) of each implicit API SAM creates for this template's function
    events, as a resource of its own: the key is the first event that creates it (where a finding on
    a value the template does not set points), the stage name SAM's (`Prod`; `$default` for HTTP)."""
    first: dict[str, ScalarNode] = {}
    for _, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, MappingNode) else None
        if not isinstance(kind, ScalarNode) or kind.value not in EVENT_SOURCES:
            continue
        assert isinstance(resource, MappingNode)
        props = resource.get("Properties")
        events = props.get("Events") if isinstance(props, MappingNode) else None
        if not isinstance(events, MappingNode):
            continue
        for event_key, event in events.items():
            event_type = event.get("Type") if isinstance(event, MappingNode) else None
            if not isinstance(event_type, ScalarNode) or event_type.value not in IMPLICIT_APIS:
                continue
            assert isinstance(event, MappingNode)
            section = str(event_type.value)
            event_props = event.get("Properties")
            reference = IMPLICIT_APIS[section][1]
            if isinstance(event_props, MappingNode) and event_props.get(reference) is not None:
                continue
            first.setdefault(section, event_key)
    found = []
    for section, event_key in first.items():
        logical_id, _, kind_name, stage_name = IMPLICIT_APIS[section]
        if resources.get(logical_id) is not None:
            continue  # declared explicitly: decoded as written
        span = event_key.span
        pairs: list[tuple[ScalarNode, Node]] = []
        if stage_name is not None:
            pairs.append((ScalarNode("StageName", span, raw="StageName"),
                          ScalarNode(stage_name, span, raw=f"{stage_name} (SAM's implicit API stage)")))
        properties = MappingNode(pairs, span)
        resource_node = MappingNode([(ScalarNode("Properties", span, raw="Properties"), properties)], span)
        found.append((ScalarNode(logical_id, span, raw=logical_id), resource_node, kind_name))
    return found
