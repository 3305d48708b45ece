"""Canary traffic percentage is outside 0–100.

## What it does
Checks that a canary's `percent_traffic` (`PercentTraffic`) lies between 0 and 100.

## Why is this bad?
The value is a percentage of the stage's traffic. CloudFormation's schema bounds it to 0–100, but
Terraform's provider does not validate it, so `percent_traffic = 150` (or a fraction written as
`0.1` meaning 10 %) reaches the API and fails or silently routes the wrong share of traffic.

## Example
```yaml
stages:
  - name: prod
    canary_settings:
      percent_traffic: 150
```

Use instead:
```yaml
stages:
  - name: prod
    canary_settings:
      percent_traffic: 15
```

## References
- CloudFormation CanarySetting `PercentTraffic` (0–100): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-canarysetting.html
- Canary release deployments: https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL301"
NAME = "canary-percent-out-of-range"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness", "reliability")
OPTIONS = None


def _out_of_range(percent: object) -> bool:
    return isinstance(percent, int | float) and not isinstance(percent, bool) and not 0 <= percent <= 100


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.canary is None:
        return
    reported = first_violation(stage.canary.percent_traffic, _out_of_range)
    if reported is not None:
        yield Violation(
            f"{shown_value(reported)} is outside 0..100 percent",
            reported, "canary.percent_traffic",
        )
