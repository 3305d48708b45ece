"""A production stage logs full request and response bodies (data trace).

## What it does
Reports a method setting (or a v2 route setting) with `data_trace_enabled` true on a stage whose
environment is prod (see "Configuration" in the README for how stagelint tells environments
apart). Stages of an unknown environment are never reported.

## Why is this bad?
Data tracing writes whole request and response payloads (tokens, personal data) to CloudWatch
Logs. AWS recommends it only for troubleshooting, not for production APIs; in production it leaks
sensitive data into logs and adds log cost. Use access logs or INFO/ERROR execution logging.

## Example
```yaml
stages:
  - name: prod
    throttling_rate_limit: 100
    method_settings:
      - resource_path: /*
        http_method: "*"
        data_trace_enabled: true
```

Use instead:
```yaml
stages:
  - name: prod
    throttling_rate_limit: 100
    method_settings:
      - resource_path: /*
        http_method: "*"
        data_trace_enabled: false
        logging_level: ERROR
```

## References
- Set up CloudWatch logging for REST APIs ("we recommend that you don't enable Data tracing for production APIs"): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- Terraform `aws_api_gateway_method_settings.settings.data_trace_enabled`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.environments import PROD, environment_of
from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL503"
NAME = "data-trace-in-production"
DEFAULT_SEVERITY = "warning"
TAGS = ("security", "environment")
OPTIONS = None
# The property exists in every format; fixtures are written for these (SAM and plans share their decoders).
FORMATS = ("cloudformation", "cloudformation-json", "plain", "terraform", "terraform-json")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if environment_of(stage) != PROD:
        return
    for setting in stage.method_settings:
        reported = first_violation(setting.data_trace_enabled, lambda value: value is True)
        if reported is not None:
            yield Violation(
                f"{shown_value(reported)} logs full request and response bodies on production stage "
                f"{stage.display_name} ({setting.key})",
                reported, f"method_settings[{setting.key}].data_trace_enabled",
            )
