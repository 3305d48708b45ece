"""`AWS::WAFv2::WebACLAssociation` / `AWS::WAFRegional::WebACLAssociation` → the web ACL of the stage
their `ResourceArn` names, once every stage of the template is built; and each REST stage's endpoint
type (a private API cannot have a web ACL) from its API resource.
"""

from __future__ import annotations

import re

from stagelint.decoders.cloudformation.intrinsics import as_call
from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import Note
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.records import dataclass, replace
from stagelint.tracked import Tracked

WAF_ASSOCIATIONS = frozenset({"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"})
# A REST stage is `…::/restapis/<api>/stages/<stage>`, an HTTP API stage `…::/apis/<api>/stages/<stage>`: an
# association to the latter is what SL402 reports (HTTP APIs have no WAF), so both are read.
_STAGE_ARN = r"/(?:restapis|apis)/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$"
_REFERENCE = r"\$\{([^}!][^}]*)\}"


@dataclass(slots=True)
class Built:
    """A stage under construction, with what the WAF pass needs to find it. `endpoint_type`, when set,
    goes into the stage's record with the decoder's last change (one copy of the record, not two)."""

    logical_id: str
    resource_type: str
    stage: Stage
    endpoint_type: Tracked[str] | None = None


def attach_web_acls(readers: Readers, resources: MappingNode, built: list[Built]) -> None:
    if not built:
        return
    _attach_endpoint_types(readers, resources, built)
    unlinked: str | None = None  # an association whose stage cannot be told
    for key, resource in resources.items():
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
        targets = _waf_targets(arn_node, built, resources)
        if not targets:
            if not _names_something_else(readers, arn_node):
                unlinked = f"Resources.{key.value} may protect this stage (its ResourceArn cannot be linked)"
            readers.notes.append(
                Note(
                    readers.path,
                    f"Resources.{key.value}: cannot tell which stage its ResourceArn names",
                    arn_node.span,
                )
            )
            continue
        acl = readers.leaf(acl_node, acl_key)
        for target in targets:
            target.stage = replace(target.stage, web_acl_arn=acl)
    if unlinked is not None:
        for item in built:
            if item.stage.web_acl_arn.is_absent:
                unknown: Tracked[str] = Tracked.unknown(item.stage.position, unlinked, "WebACLArn")
                item.stage = replace(item.stage, web_acl_arn=unknown)


def _names_something_else(readers: Readers, arn_node: Node) -> bool:
    """An ARN that is plainly not an API Gateway stage's (a load balancer's, an AppSync API's)."""
    text = _arn_text(arn_node)
    if text is None:
        return False  # an intrinsic that cannot be read as text
    if ":apigateway:" in text or "/restapis/" in text or "/apis/" in text:
        return False
    reference = re.fullmatch(_REFERENCE, text)
    if reference is None:
        return text.startswith("arn:")  # a literal ARN of another service
    name = reference.group(1).split(".")[0]
    resources = readers.resolver.resources
    return resources is not None and resources.get(name) is not None  # a resource's ARN; else a parameter


def _attach_endpoint_types(readers: Readers, resources: MappingNode, built: list[Built]) -> None:
    """`EndpointConfiguration` of the API each REST stage belongs to, when that API is in the template."""
    for item in built:
        if item.resource_type == "AWS::Serverless::Api":
            api_id: str | None = item.logical_id
        elif item.resource_type in ("AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment"):
            api_id = _referenced_api(readers, item)
        else:
            continue
        api = resources.get(api_id) if api_id is not None else None
        props = api.get("Properties") if isinstance(api, MappingNode) else None
        if not isinstance(api, MappingNode):
            continue
        kind = api.get("Type")
        if not isinstance(kind, ScalarNode) or kind.value not in ("AWS::ApiGateway::RestApi", "AWS::Serverless::Api"):
            continue
        config = props.get("EndpointConfiguration") if isinstance(props, MappingNode) else None
        if item.resource_type == "AWS::Serverless::Api" and item.stage.endpoint_type is not None:
            continue  # SAM's own reader saw it, Globals merged
        item.endpoint_type = endpoint_type(readers, config, api.span)


def _referenced_api(readers: Readers, item: Built) -> str | None:
    resource = readers.resolver.resources.get(item.logical_id) if readers.resolver.resources else None
    props = resource.get("Properties") if isinstance(resource, MappingNode) else None
    api_node = props.get("RestApiId") if isinstance(props, MappingNode) else None
    return readers.resolver.referenced_resource(api_node) if api_node is not None else None


def endpoint_type(readers: Readers, config: Node | None, owner: SourcePosition) -> Tracked[str]:
    """`PRIVATE` if any endpoint type is, else the first one; unknown if any cannot be read.
    CloudFormation writes `{Types: [..]}`, SAM a string or `{Type: ..}`."""
    if config is None:
        return Tracked.absent(owner, "EndpointConfiguration")
    types: Node | None = config
    if isinstance(config, MappingNode) and as_call(config) is None:
        types = config.get("Types") or config.get("Type")
        if types is None:
            return Tracked.absent(config.span, "EndpointConfiguration")
    items = types.items if isinstance(types, SequenceNode) and as_call(types) is None else [types]
    values = [readers.leaf(node, "EndpointConfiguration") for node in items if node is not None]
    unknown = next((value for value in values if not value.is_known), None)
    private = next((value for value in values if value.known_equals("PRIVATE")), None)
    for chosen in (private, unknown, values[0] if values else None):
        if chosen is not None:
            return chosen
    return Tracked.absent(owner, "EndpointConfiguration")


def _waf_targets(arn_node: Node, built: list[Built], resources: MappingNode) -> list[Built]:
    """The stages an association's ResourceArn (`…/restapis/<api>/stages/<stage>`, or `/apis/` for an HTTP
    API) names: by a
    reference to a stage resource (`${ProdStage}`, `${MyApi.Stage}` in SAM), by the parameter the
    stage's own StageName refers to (`${StageName}`), or by a literal stage name on the referenced API."""
    text = _arn_text(arn_node)
    if text is None:
        return []
    match = re.search(_STAGE_ARN, text)
    if match is None:
        return []
    api, stage = match.group("api"), match.group("stage")
    reference = re.fullmatch(_REFERENCE, stage)
    api_reference = re.fullmatch(_REFERENCE, api)
    api_id = api_reference.group(1).split(".")[0] if api_reference is not None else None
    if reference is not None:
        name = reference.group(1)
        logical_id = name.removesuffix(".Stage")
        by_id = [item for item in built if item.logical_id == logical_id]
        if by_id:
            return by_id
        return [
            item for item in built
            if _stage_name_refers_to(resources, item, name)
            and (api_id is None or item.stage.api.known_equals(api_id) or item.logical_id == api_id)
        ]
    return [
        item
        for item in built
        if item.stage.name.known_equals(stage)
        and (api_id is None or item.stage.api.known_equals(api_id) or item.logical_id == api_id)
    ]


def _stage_name_refers_to(resources: MappingNode, item: Built, parameter: str) -> bool:
    """The stage's StageName is `!Ref parameter`: an ARN with `${parameter}` names it, default or not."""
    resource = resources.get(item.logical_id)
    props = resource.get("Properties") if isinstance(resource, MappingNode) else None
    name_node = props.get("StageName") if isinstance(props, MappingNode) else None
    call = as_call(name_node) if name_node is not None else None
    return (call is not None and call.name == "Ref" and isinstance(call.argument, ScalarNode)
            and call.argument.value == parameter)


def _arn_text(node: Node) -> str | None:
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
        parts = [_arn_text(item) for item in argument.items[1].items]
        return str(argument.items[0].value or "").join(
            part if part is not None else "?" for part in parts
        )
    return None
