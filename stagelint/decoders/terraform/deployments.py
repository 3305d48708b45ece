"""Deployments and the stages they touch: the facts SL403 and SL404 need, for one module.

`stages.py` calls `link_deployments` once every stage is built: each stage gets the API of the
deployment its `deployment_id` names (`Stage.deployment_api`), and each `aws_api_gateway_stage` the
`stage_name` of every deployment that also creates it (`Stage.created_by_deployments`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stagelint.decoders.terraform.module import _Resource
from stagelint.model import Stage
from stagelint.tracked import Tracked


def comparable_api(stage_api: Tracked[Any], deployment_api: Tracked[Any]) -> Tracked[Any]:
    """The deployment's API, or unknown when it is not written like the stage's (a reference such as
    `aws_api_gateway_rest_api.x.id` against a literal id): those cannot be compared."""
    if not (stage_api.is_known and deployment_api.is_known):
        return deployment_api
    if ("." in str(stage_api.value)) != ("." in str(deployment_api.value)):
        return Tracked.unknown(deployment_api.position, "the stage and its deployment name their API differently",
                               deployment_api.spelled_as)
    return deployment_api


def same_stage(one: Stage, other: Stage) -> bool:
    return (one.name.is_known and other.name.is_known and one.name.value == other.name.value
            and bool(one.name.value) and one.api.is_known and other.api.is_known
            and one.api.value == other.api.value)


def link_deployments(
    stages: dict[int, Stage],
    stage_resources: list[_Resource],
    deployment_of: Callable[[_Resource], _Resource | None],
    deployment_api: Callable[[_Resource], Tracked[Any]],
    later: dict[int, dict[str, Any]],
) -> None:
    """Put each stage's `deployment_api` and `created_by_deployments` in `later` (by the id of its
    resource), which `stages.py` sets with the stage's other joined fields in one copy."""
    deployments = [resource for resource in stage_resources if resource.type == "aws_api_gateway_deployment"]
    for resource in stage_resources:
        if resource.type == "aws_api_gateway_deployment":
            continue
        stage = stages[id(resource)]
        target = deployment_of(resource)
        if target is not None:
            later[id(resource)]["deployment_api"] = comparable_api(stage.api, deployment_api(target))
        if resource.type == "aws_api_gateway_stage":
            also = tuple(stages[id(other)].name for other in deployments if same_stage(stages[id(other)], stage))
            later[id(resource)]["created_by_deployments"] = also
