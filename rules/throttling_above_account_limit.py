"""A stage or method throttling limit is above the account's default quota in the stage's Region.

## What it does
Reports a stage-level, method-level or route-level `throttling_rate_limit` above the account's
default throttle quota in the stage's Region (10,000 requests per second; 2,500 in the newer
Regions the AWS quotas page lists), and a `throttling_burst_limit` above its burst quota (5,000;
1,250 in those Regions). The Region is the one the file names (a literal Terraform `provider "aws"`
region), else `--region`, else the 10,000 / 5,000 default. The quotas are kept as data with their
source (`stagelint/data/throttling_quotas.json`). Stages of an unknown environment (see
"Configuration" in the README) are never reported, nor are limits that cannot be resolved.

## Why is this bad?
API Gateway applies the account's quota across every API of the account in the Region before any
stage or method limit: "per-API and per-stage throttling limits cannot be higher than the AWS
throttling limits". A stage set to 20,000 requests per second still gets at most 10,000, shared with
every other API, so the setting promises capacity that is never delivered and hides the real limit
from whoever sizes the backend. Ask AWS for a higher account quota (Service Quotas, L-8A5B8E43)
first, and then set the stage to what it grants, or set the stage to what it can really get.

## Example
```yaml
stages:
  - name: prod
    throttling_rate_limit: 20000
    throttling_burst_limit: 8000
```

```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 20000
    throttling_burst_limit = 8000
  }
}
```

```yaml
Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
      MethodSettings:
        - ResourcePath: /*
          HttpMethod: "*"
          ThrottlingRateLimit: 20000
          ThrottlingBurstLimit: 8000
```

Use instead:
```yaml
stages:
  - name: prod
    throttling_rate_limit: 5000
    throttling_burst_limit: 2000
```

## References
- API Gateway quotas, per account and Region (10,000 RPS / 5,000 burst; 2,500 / 1,250 where listed): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
- Throttle requests to your REST APIs ("cannot be higher than the AWS throttling limits"): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.environments import UNKNOWN, environment_of
from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.quotas import account_quota
from stagelint.rule_api import first_violation, shown_value
from stagelint.tracked import Tracked

ID = "SL203"
NAME = "throttling-above-account-limit"
DEFAULT_SEVERITY = "warning"
TAGS = ("reliability", "environment")
OPTIONS = None
# The property exists in every format; fixtures are written for these (SAM and plans share their decoders).
FORMATS = ("cloudformation", "cloudformation-json", "plain", "terraform", "terraform-json")


def _above(ceiling: int) -> Any:
    return lambda value: isinstance(value, int | float) and not isinstance(value, bool) and value > ceiling


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if environment_of(stage) == UNKNOWN:
        return
    quota = account_quota(stage.region)
    where = f"in {stage.region}" if stage.region else "by default"
    limits: list[tuple[str, Tracked[Any], int, str]] = [
        ("throttling_rate_limit", stage.throttling_rate_limit, quota.rate_limit, "requests per second"),
        ("throttling_burst_limit", stage.throttling_burst_limit, quota.burst_limit, "burst requests"),
    ]
    for setting in stage.method_settings:
        prefix = f"method_settings[{setting.key}]."
        limits.append((prefix + "throttling_rate_limit", setting.throttling_rate_limit, quota.rate_limit,
                       "requests per second"))
        limits.append((prefix + "throttling_burst_limit", setting.throttling_burst_limit, quota.burst_limit,
                       "burst requests"))
    for attribute, limit, ceiling, unit in limits:
        reported = first_violation(limit, _above(ceiling))
        if reported is None:
            continue
        scope = f" ({attribute[16:].split('].')[0]})" if attribute.startswith("method_settings[") else ""
        yield Violation(
            f"{shown_value(reported)}{scope} is above the account's default quota of {ceiling:,} {unit} "
            f"{where}: the account limit caps it, so the stage never gets it",
            reported, attribute,
        )
