"""A development stage pays for a cache cluster.

## What it does
Reports a stage whose environment is dev (see "Configuration" in the README) when its cache
cluster is enabled; the message gives the cluster's monthly cost at the stage's Region's prices
(the file's Region, else `--region`, else us-east-1; unknown when the size or Region has no
price). Stages of an unknown environment are never reported.

## Why is this bad?
A cache cluster is billed by the hour whether or not anything is cached, from $14.60 a month for
0.5 GB to over $2,700 for 237 GB. Development stages rarely need one, and a cache hides backend
changes from the people testing them.

## Example
```yaml
stages:
  - name: dev
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
```

Use instead:
```yaml
stages:
  - name: dev
    cache_cluster_enabled: false
```

## References
- Enable API caching (billed per hour by cache size): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
- API Gateway pricing: https://aws.amazon.com/api-gateway/pricing/
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.environments import DEV, environment_of
from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import cache_cost_phrase

ID = "SL801"
NAME = "cache-outside-production"
DEFAULT_SEVERITY = "info"
TAGS = ("cost", "environment")
OPTIONS = None
# The property exists in every format; fixtures are written for these (SAM and plans share their decoders).
FORMATS = ("cloudformation", "cloudformation-json", "plain", "terraform", "terraform-json")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if environment_of(stage) != DEV:
        return
    enabled = first_violation(stage.cache_cluster_enabled, lambda value: value is True)
    if enabled is None:
        return
    yield Violation(
        f"{shown_value(enabled)} on development stage {stage.display_name}: the cache cluster costs "
        f"{cache_cost_phrase(stage)}",
        enabled, "cache_cluster_enabled",
    )
