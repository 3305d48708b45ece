"""Logging to CloudWatch Logs is on, but nothing sets up API Gateway's CloudWatch role.

## What it does
Reports a REST or WebSocket stage that turns on execution logging (`ERROR` or `INFO`, or data trace)
or writes access logs to a CloudWatch Logs log group, when its CloudFormation or SAM template, or its
Terraform module (or plan), declares no `AWS::ApiGateway::Account` / `aws_api_gateway_account` with a
CloudWatch role ARN. HTTP APIs are not reported: they deliver logs without the account role. The
native YAML format has no account resource, so its stages are never reported.

## Why is this bad?
API Gateway writes logs through one IAM role per account and Region, set in the account settings.
Until it is set, the deploy fails with "CloudWatch Logs role ARN must be set in account settings to
enable logging". Many teams set the role once, elsewhere (a bootstrap stack, a landing-zone module):
then say so with the option and the rule is silent.

## Options
- `account-role-managed-elsewhere` (default `false`): the account's CloudWatch role is set up outside
  the files stagelint reads; never report.

```toml
[tool.stagelint.rules.SL506]
account-role-managed-elsewhere = true
```

## Example
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}
```

Use instead:
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_logs.arn
}
```

## References
- aws-facts.md §7.8 (stagelint's design notes, with sources; VirtusLab/besom#347 for the error).
- Permissions for CloudWatch logging (the account-level role): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- CloudFormation `AWS::ApiGateway::Account`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
- Terraform `aws_api_gateway_account`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_account
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stagelint.findings import Violation
from stagelint.model import ApiKind, SourceFormat, Stage
from stagelint.records import dataclass
from stagelint.rules.common import LOGGING_ON, is_terraform
from stagelint.tracked import Tracked

ID = "SL506"
NAME = "cloudwatch-role-missing"
DEFAULT_SEVERITY = "info"
TAGS = ("observability", "correctness")


# The native format has no account resource, so the rule never fires there (it has a passing case only).
FORMATS = ("cloudformation", "cloudformation-json", "sam", "terraform", "terraform-json", "terraform-plan")


@dataclass(frozen=True)
class OPTIONS:
    account_role_managed_elsewhere: bool = False

_LOG_GROUP_ARN = r"^arn:aws[a-z-]*:logs:"
_LOG_GROUP_REFERENCE = r"^aws_cloudwatch_log_group\."


def _logging_on(stage: Stage) -> tuple[Tracked[Any], str] | None:
    """The first value that turns logging to CloudWatch Logs on, with its model path."""
    for setting in stage.method_settings:
        prefix = f"method_settings[{setting.key}]."
        if setting.logging_level.is_known and setting.logging_level.value in LOGGING_ON:
            return setting.logging_level, prefix + "logging_level"
        if setting.data_trace_enabled.known_equals(True):
            return setting.data_trace_enabled, prefix + "data_trace_enabled"
    if stage.access_log is not None:
        destination = stage.access_log.destination_arn
        if destination.is_known and isinstance(destination.value, str) and (
            re.match(_LOG_GROUP_ARN, destination.value)
            or (is_terraform(stage) and re.match(_LOG_GROUP_REFERENCE, destination.value))
        ):
            return destination, "access_log.destination_arn"
    return None


def check(stage: Stage, options: OPTIONS) -> Iterator[Violation]:
    if options.account_role_managed_elsewhere or stage.account_logging_role is not False:
        return
    if stage.api_kind not in (ApiKind.REST, ApiKind.WEBSOCKET):
        return
    found = _logging_on(stage)
    if found is None:
        return
    tracked, attribute = found
    if stage.source.format is SourceFormat.TERRAFORM_PLAN:
        where = "no `aws_api_gateway_account` in this plan"
    elif is_terraform(stage):
        where = "no `aws_api_gateway_account` in this module"
    else:
        where = "no `AWS::ApiGateway::Account` in this template"
    yield Violation(
        f"{tracked.describe()} logs to CloudWatch Logs, but {where} sets the account's CloudWatch role: the "
        "deploy fails with \"CloudWatch Logs role ARN must be set in account settings to enable logging\" "
        "unless the account is set up elsewhere (then set `account-role-managed-elsewhere = true`)",
        tracked, attribute,
    )
