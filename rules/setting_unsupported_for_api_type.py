"""A stage sets what its API type does not have.

## What it does
Reports a setting that exists only on another kind of API:

- on an **HTTP API**: an execution logging level other than `OFF` or data trace (`logging_level`,
  `data_trace_enabled` in the default or a route's settings), caching, a canary, X-Ray tracing, a
  client certificate, or a WAF web ACL association;
- on a **WebSocket API**: what only REST APIs have — caching, a canary, X-Ray tracing, or a WAF web
  ACL association.

A stage whose API type cannot be told (the API is not in the same module or template) is not checked,
and neither is a value that cannot be resolved.

## Why is this bad?
The deploy fails, or the setting is silently dropped. API Gateway rejects execution logging on HTTP
APIs ("Execution logs are not supported on protocolType HTTP"); the Terraform provider does not even
send `logging_level` or `data_trace_enabled` for HTTP APIs, so the plan looks right and nothing is
logged. HTTP APIs have no cache, no canary releases, no X-Ray and no AWS WAF; WebSocket APIs have
none of these either. The security scanners still ask HTTP-API users to "enable X-Ray" or "attach a
WAF" — advice that cannot be followed. The message says what to use instead: access logs for
execution logs, CloudFront (with AWS WAF) in front of an HTTP API for caching and WAF, tracing on the
integration for X-Ray.

## Example
```yaml
stages:
  - name: prod
    api_type: http
    xray_tracing_enabled: true
    cache_cluster_enabled: true
```

```hcl
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.orders.id
  name   = "prod"
  default_route_settings {
    logging_level = "INFO"
  }
}
```

Use instead:
```yaml
stages:
  - name: prod
    api_type: http
    access_log_settings:
      destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:orders-access"
      format: '{"requestId":"$context.requestId","error":"$context.error.message"}'
```

```hcl
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.orders.id
  name   = "prod"
  default_route_settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}
```

## References
- aws-facts.md §7.8, §7.10, §7.12–7.14 (stagelint's design notes, with sources).
- Choosing between REST APIs and HTTP APIs (caching, canary, X-Ray, AWS WAF, client certificates are
  REST only): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html
- `AWS::ApiGatewayV2::Stage` RouteSettings `LoggingLevel`, `DataTraceEnabled` ("Supported only for
  WebSocket APIs"): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigatewayv2-stage-routesettings.html
- Terraform `aws_apigatewayv2_stage` (`client_certificate_id`, `logging_level`, `data_trace_enabled`:
  "Supported only for WebSocket APIs"): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
- Using AWS WAF to protect REST APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import LOGGING_ON, api_label, is_terraform
from stagelint.tracked import Tracked

ID = "SL402"
NAME = "setting-unsupported-for-api-type"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None
# A plan does not say whether a v2 stage's API is HTTP or WebSocket (the API is another resource,
# often "known after apply"), so the property cannot be judged there.
FORMATS = ("plain", "cloudformation", "cloudformation-json", "sam", "terraform", "terraform-json")

# What to use instead, by (API kind, feature).
_INSTEAD = {
    (ApiKind.HTTP, "execution logging"): "use access logging instead, with `$context.error.message` and "
    "`$context.integrationErrorMessage` in the format",
    (ApiKind.HTTP, "caching"): "put CloudFront in front of the API to cache responses, or use a REST API",
    (ApiKind.WEBSOCKET, "caching"): "only REST APIs have a stage cache",
    (ApiKind.HTTP, "canary releases"): "shift traffic with weighted Lambda aliases, or use a REST API",
    (ApiKind.WEBSOCKET, "canary releases"): "only REST APIs have canary releases",
    (ApiKind.HTTP, "X-Ray tracing"): "enable active tracing on the integration (the Lambda function) instead, "
    "or use a REST API",
    (ApiKind.WEBSOCKET, "X-Ray tracing"): "enable active tracing on the integration (the Lambda function) instead",
    (ApiKind.HTTP, "backend client certificates"): "authenticate the backend another way (a VPC link to a "
    "private integration, IAM), or use a REST API",
    (ApiKind.HTTP, "AWS WAF"): "put CloudFront with an AWS WAF web ACL in front of the API, or use a REST API",
    (ApiKind.WEBSOCKET, "AWS WAF"): "AWS WAF protects only REST APIs: put CloudFront with an AWS WAF web ACL "
    "in front of the API",
}


def _is_true(value: object) -> bool:
    return value is True


def _is_set(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _violation(stage: Stage, feature: str, reported: Tracked[Any] | None, attribute: str,
               what: str | None = None) -> Violation | None:
    if reported is None:
        return None
    consequence = "API Gateway rejects the stage at deploy"
    if feature == "execution logging" and is_terraform(stage):
        consequence = "the AWS provider does not send it for HTTP APIs, so it silently has no effect"
    elif feature == "AWS WAF":
        consequence = "the association fails at deploy"
    subject = what or shown_value(reported)
    kind = "HTTP" if stage.api_kind is ApiKind.HTTP else "WebSocket"
    return Violation(
        f"{subject} on {api_label(stage)}: {kind} APIs have no {feature} ({consequence}); "
        f"{_INSTEAD[(stage.api_kind, feature)]}",
        reported, attribute,
    )


def _candidates(stage: Stage) -> Iterator[Violation | None]:
    http = stage.api_kind is ApiKind.HTTP
    for setting in stage.method_settings:
        prefix = f"method_settings[{setting.key}]."
        if http:
            level = first_violation(setting.logging_level, lambda value: value in LOGGING_ON)
            yield _violation(stage, "execution logging", level, prefix + "logging_level")
            trace = first_violation(setting.data_trace_enabled, _is_true)
            yield _violation(stage, "execution logging", trace, prefix + "data_trace_enabled")
        caching = first_violation(setting.caching_enabled, _is_true)
        yield _violation(stage, "caching", caching, prefix + "caching_enabled")
    yield _violation(stage, "caching", first_violation(stage.cache_cluster_enabled, _is_true),
                     "cache_cluster_enabled")
    if stage.canary is not None:
        yield _violation(stage, "canary releases", Tracked.known(True, stage.canary.position, "canary_settings"),
                         "canary", "a canary setting")
    yield _violation(stage, "X-Ray tracing", first_violation(stage.tracing_enabled, _is_true), "tracing_enabled")
    if http:
        yield _violation(stage, "backend client certificates",
                         first_violation(stage.client_certificate_id, _is_set), "client_certificate_id")
    if stage.web_acl_arn.is_known:
        yield _violation(stage, "AWS WAF", stage.web_acl_arn, "web_acl_arn", "a WAF web ACL association")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind not in (ApiKind.HTTP, ApiKind.WEBSOCKET):
        return
    for violation in _candidates(stage):
        if violation is not None:
            yield violation
