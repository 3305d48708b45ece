"""A stage names a deployment of another API.

## What it does
Reports a stage whose `deployment_id` names a deployment (in the same Terraform module or
CloudFormation template) that belongs to a different API than the stage's own `rest_api_id` /
`RestApiId` (or v2 `api_id` / `ApiId`). The two are compared only when both are written the same way
(both references to resources, or both literal ids); anything unresolved is skipped.

## Why is this bad?
A deployment is a snapshot of one API. API Gateway rejects a stage that points at another API's
deployment (`NotFoundException: Invalid Deployment identifier specified`), usually after a copy-paste
of a stage block between two APIs — and the error only shows at apply time.

## Example
```terraform
resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_stage" "users" {
  rest_api_id   = aws_api_gateway_rest_api.users.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
```

Use instead:
```terraform
resource "aws_api_gateway_deployment" "users" {
  rest_api_id = aws_api_gateway_rest_api.users.id
}

resource "aws_api_gateway_stage" "users" {
  rest_api_id   = aws_api_gateway_rest_api.users.id
  deployment_id = aws_api_gateway_deployment.users.id
  stage_name    = "prod"
}
```

## References
- CreateStage (`restApiId`, `deploymentId`): https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
- CloudFormation `AWS::ApiGateway::Stage` `DeploymentId`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html
- Terraform `aws_api_gateway_stage`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage

ID = "SL403"
NAME = "deployment-api-mismatch"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None
# The native format names a deployment id but no deployment resource (nothing to compare), and in a
# plan a deployment's id is "known after apply": the property exists only in configuration formats.
FORMATS = ("cloudformation", "cloudformation-json", "sam", "terraform", "terraform-json")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    deployment_api = stage.deployment_api
    if deployment_api is None or not (deployment_api.is_known and stage.api.is_known):
        return
    if deployment_api.value != stage.api.value:
        yield Violation(
            f"{stage.deployment_id.describe()} is a deployment of {deployment_api.shown()}, "
            f"but the stage belongs to {stage.api.shown()}",
            stage.deployment_id, "deployment_id",
        )
