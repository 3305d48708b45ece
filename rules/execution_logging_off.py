"""A REST or WebSocket stage has execution logging off.

## What it does
Reports a REST or WebSocket stage where no method setting (route setting, on WebSocket) turns
execution logging on with a logging level of `ERROR` or `INFO`. Every place a setting can come from
counts: the stage's own method settings, per-method overrides, a Terraform
`aws_api_gateway_method_settings` resource, a deployment's `StageDescription` and SAM `Globals`. `OFF`
counts as off. A level that cannot be resolved or is invalid (SL504), or settings stagelint cannot
read, are never judged.
HTTP stages are not reported: they have no execution logs (use access logs, SL501).

## Why is this bad?
Execution logs are where API Gateway says *why* a request failed — an authorizer error, a mapping
template failure, an integration timeout. Access logs only say *that* it failed. Security Hub
control APIGateway.1 asks for `ERROR` or `INFO` on every REST and WebSocket stage. Prefer `ERROR` in
production; keep data trace (full request/response logging) off there, as it can log sensitive data.

## Example
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        logging_level: "OFF"
```

```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
```

Use instead:
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        logging_level: ERROR
```

```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}
```

## References
- aws-facts.md §7.8 (stagelint's design notes, with sources).
- Setting up CloudWatch logging for REST APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- Security Hub APIGateway.1 (REST and WebSocket stages should have logging enabled): https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
- CloudFormation MethodSetting `LoggingLevel`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage
from stagelint.rules.common import LOGGING_LEVELS, LOGGING_ON
from stagelint.tracked import Tracked

ID = "SL505"
NAME = "execution-logging-off"
DEFAULT_SEVERITY = "info"
TAGS = ("observability",)
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind not in (ApiKind.REST, ApiKind.WEBSOCKET) or stage.method_settings_unreadable is not None:
        return
    explicit_off = None
    for setting in stage.method_settings:
        level = setting.logging_level
        if level.is_unknown or (level.is_known and level.value in LOGGING_ON):
            return  # on, or perhaps on
        if level.is_known and level.value not in LOGGING_LEVELS:
            return  # an invalid level (SL504): whether it was meant to turn logging on is for its fix to say
        if level.is_known and explicit_off is None:
            explicit_off = level
    if explicit_off is not None:
        yield Violation(f"{explicit_off.describe()} and no method setting turns execution logging on "
                        "(ERROR or INFO)", explicit_off, "method_settings.logging_level")
        return
    yield Violation("no method setting turns execution logging on (ERROR or INFO): it is off by default",
                    Tracked.absent(stage.position, "logging_level"), "method_settings.logging_level")
