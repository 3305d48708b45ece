"""Cache cluster size is not one API Gateway offers.

## What it does
Checks that the cache cluster size is one of `0.5`, `1.6`, `6.1`, `13.5`, `28.4`, `58.2`, `118` or
`237` (GB), written as API Gateway spells it.

## Why is this bad?
Any other value is rejected by API Gateway at deploy time. CloudFormation's schema has no enum for
`CacheClusterSize`, so cfn-lint lets `"6.2"` through and the stack fails mid-update.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.2"
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.1"
```

## References
- AWS API reference, Stage `cacheClusterSize` (Valid Values): https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
- tflint-ruleset-aws `aws_api_gateway_stage_invalid_cache_cluster_size` (the same enum, Terraform only).
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL102"
NAME = "cache-size-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness", "cost")
OPTIONS = None

VALID_SIZES = ("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    reported = first_violation(stage.cache_cluster_size, lambda size: str(size) not in VALID_SIZES)
    if reported is not None:
        yield Violation(
            f"{shown_value(reported)} is not one of {', '.join(VALID_SIZES)} (GB)",
            reported, "cache_cluster_size",
        )
