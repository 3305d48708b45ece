"""A stage writes no access logs.

## What it does
Reports a stage that has no access log destination, or a destination without a format. A destination
that cannot be resolved counts as set.

## Why is this bad?
Access logs are the only record of who called the API, from where, and what API Gateway answered:
without them an incident cannot be investigated and throttling or authorizer failures stay invisible
(execution logs are sampled debugging output, and HTTP APIs have none). Security Hub (APIGateway.1 and
the CIS/PCI controls) and every peer scanner ask for them. A destination without a format is rejected
by Terraform and by API Gateway.

## Example
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
```

Use instead:
```yaml
stages:
  - name: prod
    xray_tracing_enabled: true
    access_log_settings:
      destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:orders-access"
      format: '{"requestId":"$context.requestId","status":"$context.status"}'
```

```yaml
Resources:
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref OrdersApi
      DeploymentId: !Ref OrdersDeployment
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId","status":"$context.status"}'
```

## References
- aws-facts.md §7.9 (stagelint's design notes, with sources).
- Setting up CloudWatch access logging for REST APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- Configuring logging for HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
- CloudFormation `AccessLogSetting`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-accesslogsetting.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.tracked import Tracked

ID = "SL501"
NAME = "access-logging-disabled"
DEFAULT_SEVERITY = "warning"
TAGS = ("observability", "security")
SECURITY_SEVERITY = 4.0
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    access_log = stage.access_log
    if access_log is None or access_log.destination_arn.is_absent:
        position = stage.position if access_log is None else access_log.position
        yield Violation("no access log destination is set: API calls are not recorded",
                        Tracked.absent(position, "access_log_settings"), "access_log")
        return
    if access_log.destination_arn.is_known and access_log.destination_arn.value == "":
        yield Violation("the access log destination is empty: API calls are not recorded",
                        access_log.destination_arn, "access_log.destination_arn")
        return
    format_ = access_log.format
    if format_.is_absent or (format_.is_known and format_.value == ""):
        yield Violation(
            "the access log destination has no format: Terraform and API Gateway reject it "
            "(give a single-line format that includes `$context.requestId`)",
            format_, "access_log.format",
        )
