"""Throttling rate or burst limit is negative.

## What it does
Checks stage-level and method-level throttling limits (`throttling_rate_limit`,
`throttling_burst_limit`, `ThrottlingRateLimit`, `ThrottlingBurstLimit`) for negative values.
Terraform's `aws_api_gateway_method_settings` uses `-1` to mean "not set"; that is not reported.

## Why is this bad?
CloudFormation's schema requires both to be at least 0 and API Gateway rejects negative limits. A
negative limit copied from Terraform's `-1` sentinel into CloudFormation or the API fails the
deployment, and in a template it hides the fact that throttling was meant to be off.

## Example
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        throttling_rate_limit: -5
```

Use instead:
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        throttling_rate_limit: 100
```

## References
- CloudFormation MethodSetting `ThrottlingRateLimit` (minimum 0): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
- Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.tracked import Tracked

ID = "SL201"
NAME = "throttling-negative"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness", "reliability")
OPTIONS = None


def _negative(limit: object) -> bool:
    return isinstance(limit, int | float) and not isinstance(limit, bool) and limit < 0


def check(stage: Stage, options: None) -> Iterator[Violation]:
    limits: list[tuple[str, str, Tracked[Any]]] = [
        ("", "throttling_rate_limit", stage.throttling_rate_limit),
        ("", "throttling_burst_limit", stage.throttling_burst_limit),
    ]
    for setting in stage.method_settings:
        prefix = f"method_settings[{setting.key}]."
        limits.append((prefix, "throttling_rate_limit", setting.throttling_rate_limit))
        limits.append((prefix, "throttling_burst_limit", setting.throttling_burst_limit))
    for prefix, attribute, limit in limits:
        reported = first_violation(limit, _negative)
        if reported is not None:
            where = f" for {prefix[16:-2]}" if prefix else ""
            yield Violation(
                f"{shown_value(reported)} is negative{where}",
                reported, prefix + attribute,
            )
