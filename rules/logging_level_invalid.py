"""Execution logging level is not one API Gateway accepts.

## What it does
Checks that every method setting's (or route setting's) execution logging level is `OFF`, `ERROR` or
`INFO`, spelled in capitals as API Gateway and the Terraform provider require. A level that cannot be
resolved is not judged.

## Why is this bad?
Any other value (`DEBUG`, `WARN`, `info`, `FULL`) is rejected: Terraform fails at plan time for
`aws_api_gateway_method_settings`, CloudFormation and the API fail at deploy. Data trace (full
request and response logging) is a separate switch (`data_trace_enabled`), not a logging level.

## Example
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        logging_level: DEBUG
```

Use instead:
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /*
        http_method: "*"
        logging_level: INFO
```

## References
- aws-facts.md §7.8 (stagelint's design notes, with sources).
- CloudFormation MethodSetting `LoggingLevel` (`OFF`, `ERROR`, `INFO`): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
- Terraform `aws_api_gateway_method_settings` `settings.logging_level`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import LOGGING_LEVELS

ID = "SL504"
NAME = "logging-level-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("observability", "correctness")
OPTIONS = None


def _invalid(level: object) -> bool:
    return not isinstance(level, str) or level not in LOGGING_LEVELS


def check(stage: Stage, options: None) -> Iterator[Violation]:
    for setting in stage.method_settings:
        reported = first_violation(setting.logging_level, _invalid)
        if reported is None:
            continue
        hint = ""
        if reported.is_known and isinstance(reported.value, str) and reported.value.upper() in LOGGING_LEVELS:
            hint = f" (write `{reported.value.upper()}`)"
        yield Violation(
            f"{shown_value(reported)} is not one of {', '.join(LOGGING_LEVELS)}{hint}",
            reported, f"method_settings[{setting.key}].logging_level",
        )
