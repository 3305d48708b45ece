"""Method cache TTL is outside 0–3600 seconds.

## What it does
Checks that each method setting's cache TTL (`cache_ttl_in_seconds`, `CacheTtlInSeconds`) lies
between 0 and 3600 seconds.

## Why is this bad?
API Gateway accepts "300 seconds by default and configurable between 0 and 3600"; anything else is
rejected when the stage is updated. A negative TTL is usually a sign/sentinel mix-up, a large one a
unit mix-up (minutes vs seconds, or milliseconds).

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
    method_settings:
      - resource_path: /*
        http_method: "*"
        caching_enabled: true
        cache_ttl_in_seconds: 7200
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
    method_settings:
      - resource_path: /*
        http_method: "*"
        caching_enabled: true
        cache_ttl_in_seconds: 3600
```

## References
- API Gateway quotas, "API caching TTL": https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
- Enabling API caching: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL103"
NAME = "cache-ttl-out-of-range"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None

MIN_TTL, MAX_TTL = 0, 3600


def _out_of_range(ttl: object) -> bool:
    return isinstance(ttl, int | float) and not isinstance(ttl, bool) and not MIN_TTL <= ttl <= MAX_TTL


def check(stage: Stage, options: None) -> Iterator[Violation]:
    for setting in stage.method_settings:
        reported = first_violation(setting.cache_ttl_in_seconds, _out_of_range)
        if reported is not None:
            yield Violation(
                f"{shown_value(reported)} is outside {MIN_TTL}..{MAX_TTL} seconds "
                f"for {setting.key}",
                reported, f"method_settings[{setting.key}].cache_ttl_in_seconds",
            )
