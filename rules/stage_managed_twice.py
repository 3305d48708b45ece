"""A stage is created twice.

## What it does
Reports a stage that two resources create or deploy:

- a stage resource (`aws_api_gateway_stage`, `AWS::ApiGateway::Stage`) whose stage is also named by a
  deployment's `stage_name` (Terraform) or `StageName` (CloudFormation) on the same API, in the same
  module or template;
- an HTTP/WebSocket stage that sets both `auto_deploy` / `AutoDeploy` and a `deployment_id` /
  `DeploymentId`.

Names or APIs that cannot be resolved are skipped.

## Why is this bad?
A deployment with a stage name creates that stage itself. With a stage resource of the same name the
deploy fails with "Stage already exists" (CloudFormation), or Terraform's two resources fight over the
stage's settings on every apply, each undoing the other. With `auto_deploy`, API Gateway creates a new
deployment on every change and moves the stage to it, so a fixed `deployment_id` is overridden (and
the provider shows a permanent diff).

## Example
```yaml
Resources:
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: abc123
      StageName: prod
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
      DeploymentId: !Ref Deployment
```

Use instead:
```yaml
Resources:
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: abc123
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
      DeploymentId: !Ref Deployment
```

## References
- CloudFormation `AWS::ApiGateway::Deployment` `StageName` ("creates a stage"): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-deployment.html
- Terraform `aws_api_gateway_deployment` (`stage_name` is deprecated; manage the stage with `aws_api_gateway_stage`): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment
- Terraform `aws_apigatewayv2_stage.auto_deploy`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL404"
NAME = "stage-managed-twice"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness", "reliability")
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    for deployment_stage_name in stage.created_by_deployments:
        spelled = deployment_stage_name.spelled_as or "stage_name"
        yield Violation(
            f"this {spelled} creates stage {stage.display_name}, which {stage.address} also manages: "
            f"remove {spelled} here and let {stage.address} own the stage",
            deployment_stage_name, "deployment.stage_name",
        )
    if stage.auto_deploy is None or stage.deployment_id.is_absent:
        return
    auto = first_violation(stage.auto_deploy, lambda value: value is True)
    if auto is not None:
        yield Violation(
            f"{shown_value(auto)} and {stage.deployment_id.spelled_as or 'deployment_id'} are both set: "
            "auto-deploy moves the stage to a new deployment on every change, overriding the fixed one",
            auto, "auto_deploy",
        )
