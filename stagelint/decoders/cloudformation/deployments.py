"""Deployments and the stages they touch: the facts SL403 and SL404 need, for one template.

Each `AWS::ApiGateway::Stage` / `AWS::ApiGatewayV2::Stage` gets the API of the deployment its
`DeploymentId` names (`Stage.deployment_api`), and each REST stage resource the `StageName` of every
deployment (or SAM `AWS::Serverless::Api`, which deploys its own stage) that also creates it
(`Stage.created_by_deployments`).
"""

from __future__ import annotations

from typing import Any

from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.cloudformation.waf import Built
from stagelint.decoders.tree import MappingNode, ScalarNode
from stagelint.model import Stage
from stagelint.records import replace
from stagelint.tracked import Tracked

DEPLOYMENTS = {"AWS::ApiGateway::Deployment": "RestApiId", "AWS::ApiGatewayV2::Deployment": "ApiId"}
STAGES = {"AWS::ApiGateway::Stage": "RestApiId", "AWS::ApiGatewayV2::Stage": "ApiId"}
CREATORS = ("AWS::ApiGateway::Deployment", "AWS::Serverless::Api")


def _properties(resources: MappingNode, logical_id: str | None) -> tuple[str, MappingNode] | None:
    resource = resources.get(logical_id) if logical_id is not None else None
    if not isinstance(resource, MappingNode):
        return None
    kind, props = resource.get("Type"), resource.get("Properties")
    if not isinstance(kind, ScalarNode) or not isinstance(props, MappingNode):
        return None
    return str(kind.value), props


def _same_stage(one: Stage, other: Stage) -> bool:
    return (one.name.is_known and other.name.is_known and one.name.value == other.name.value
            and bool(one.name.value) and one.api.is_known and other.api.is_known
            and one.api.value == other.api.value)


def link_deployments(readers: Readers, resources: MappingNode, built: list[Built]) -> None:
    creators = [item for item in built if item.resource_type in CREATORS]
    for item in built:
        api_key = STAGES.get(item.resource_type)
        own = _properties(resources, item.logical_id)
        if api_key is None or own is None:
            continue
        props = own[1]
        changes: dict[str, Any] = {}  # made into the stage's record once
        deployment_node = props.get("DeploymentId")
        deployment_id = readers.resolver.referenced_resource(deployment_node) if deployment_node is not None else None
        deployment = _properties(resources, deployment_id)
        api_node = props.get(api_key)
        if deployment is not None and deployment[0] in DEPLOYMENTS and api_node is not None:
            deployment_api_node = deployment[1].get(DEPLOYMENTS[deployment[0]])
            if deployment_api_node is not None:
                api = readers.identity(deployment[1], DEPLOYMENTS[deployment[0]], deployment_api_node.span)
                resolve = readers.resolver.referenced_resource
                if (resolve(api_node) is None) != (resolve(deployment_api_node) is None):
                    api = Tracked.unknown(api.position, "the stage and its deployment name their API differently",
                                          api.spelled_as)
                changes["deployment_api"] = api
        if item.resource_type == "AWS::ApiGateway::Stage":
            # `_same_stage` reads the name and the API, which the changes above leave as they are
            also = tuple(other.stage.name for other in creators if _same_stage(other.stage, item.stage))
            if also != item.stage.created_by_deployments:
                changes["created_by_deployments"] = also
        if changes:
            item.stage = replace(item.stage, **changes)
