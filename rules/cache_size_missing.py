"""Caching is enabled but no cache cluster size is set.

## What it does
Reports a stage whose cache cluster is enabled while no cache cluster size is given. A size that is
set but cannot be resolved (a variable with no default) counts as set.

## Why is this bad?
Without an explicit size API Gateway picks its default (0.5 GB) and the intent is invisible in the
code: the most common cause of "our cache is too small" incidents and of surprise bills when the
console default is later changed by hand. Cache size is also what the stage costs (see
`stagelint inventory`), so it should be written down.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
```

## References
- AWS API reference, Stage `cacheClusterSize`: https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
- Terraform `aws_api_gateway_stage.cache_cluster_size`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL101"
NAME = "cache-size-missing"
DEFAULT_SEVERITY = "error"
TAGS = ("cost", "reliability")
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if not stage.cache_cluster_size.is_absent:
        return
    enabled = first_violation(stage.cache_cluster_enabled, lambda value: value is True)
    if enabled is not None:
        yield Violation(
            f"{shown_value(enabled)} but no cache cluster size is set",
            enabled, "cache_cluster_enabled",
        )
