"""A REST stage does not enable X-Ray tracing.

## What it does
Reports a REST API stage whose X-Ray active tracing (`xray_tracing_enabled`, `TracingEnabled`) is not
on. HTTP and WebSocket stages are never reported: they have no X-Ray tracing (SL402 reports one that
tries). A value that cannot be resolved is not judged.

## Why is this bad?
Without tracing a slow or failing request cannot be followed from API Gateway into its integration;
latency is visible only as one number per stage. Tracing is off by default; it is billed per trace
recorded, and X-Ray's sampling rules keep that bounded.

## Example
```yaml
stages:
  - name: prod
```

```yaml
Resources:
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref OrdersApi
      DeploymentId: !Ref OrdersDeployment
      StageName: prod
```

Use instead:
```yaml
stages:
  - name: prod
    xray_tracing_enabled: true
```

```yaml
Resources:
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref OrdersApi
      DeploymentId: !Ref OrdersDeployment
      StageName: prod
      TracingEnabled: true
```

## References
- aws-facts.md §7.10 (stagelint's design notes, with sources).
- Tracing user requests to REST APIs using X-Ray: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html
- Terraform `aws_api_gateway_stage.xray_tracing_enabled`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
- CloudFormation `AWS::ApiGateway::Stage` `TracingEnabled`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL601"
NAME = "xray-tracing-disabled"
DEFAULT_SEVERITY = "info"
TAGS = ("observability",)
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind is not ApiKind.REST:
        return
    tracing = stage.tracing_enabled
    if tracing.is_absent:
        yield Violation("X-Ray tracing is not enabled (it is off by default)", tracing, "tracing_enabled")
        return
    reported = first_violation(tracing, lambda value: value is False)
    if reported is not None:
        yield Violation(f"{shown_value(reported)}: X-Ray tracing is off", reported, "tracing_enabled")
