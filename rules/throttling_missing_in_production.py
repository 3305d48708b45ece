"""A production stage has no throttling at stage or method level.

## What it does
Reports a stage whose environment is prod (see "Configuration" in the README) when neither the
stage nor any method or route setting sets a throttling rate or burst limit. A limit that cannot
be resolved counts as set; stages of an unknown environment are never reported.

## Why is this bad?
Without its own limits a stage only has the account-wide quota (10,000 requests per second in most
Regions), shared by every API in the account and Region: one noisy client or a retry storm on one
API can take the quota from all the others, and the backend sees the full burst. Production stages
should set the rate their backend can serve.

## Example
```yaml
stages:
  - name: prod
```

Use instead:
```yaml
stages:
  - name: prod
    throttling_rate_limit: 500
    throttling_burst_limit: 1000
```

## References
- Throttle requests to your REST APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
- Terraform `aws_api_gateway_method_settings.settings.throttling_rate_limit`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.environments import PROD, environment_of
from stagelint.findings import Violation
from stagelint.model import Stage

ID = "SL202"
NAME = "throttling-missing-in-production"
DEFAULT_SEVERITY = "warning"
TAGS = ("reliability", "environment")
OPTIONS = None
# The property exists in every format; fixtures are written for these (SAM and plans share their decoders).
FORMATS = ("cloudformation", "cloudformation-json", "plain", "terraform", "terraform-json")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if environment_of(stage) != PROD or stage.has_throttling is not False:
        return
    yield Violation(
        f"production stage {stage.display_name} sets no throttling limit (only the account quota applies)",
        stage.position, "throttling_rate_limit",
    )
