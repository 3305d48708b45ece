"""A cache cluster size is set while the cache cluster is disabled.

## What it does
Reports a stage that sets a cache cluster size while its cache cluster is disabled (explicitly, or by
not enabling it). A size set through an unresolved value still counts as set; an unresolved
`cache_cluster_enabled` never fires.

## Why is this bad?
The size does nothing without the cluster: readers believe the stage has a cache (and budget for it),
and in Terraform the size is silently not applied — or, with some provider versions, the stage update
never completes (hashicorp/terraform-provider-aws#22841). Either enable the cache cluster or drop the size.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_size: "0.5"
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
```

## References
- AWS API reference, Stage `cacheClusterEnabled` / `cacheClusterSize`: https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
- Terraform `aws_api_gateway_stage.cache_cluster_size`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
- hashicorp/terraform-provider-aws#22841 (cache size set with the cache disabled).
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL105"
NAME = "cache-size-without-caching"
DEFAULT_SEVERITY = "info"
TAGS = ("cost", "correctness")
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.cache_cluster_size.is_absent or stage.api_kind in (ApiKind.HTTP, ApiKind.WEBSOCKET):
        return
    size = stage.cache_cluster_size
    what = shown_value(size) if size.is_known else f"{size.spelled_as or 'cache_cluster_size'} (unresolved)"
    enabled = stage.cache_cluster_enabled
    if enabled.is_absent:
        yield Violation(
            f"{what} is set but the cache cluster is not enabled "
            f"({enabled.spelled_as or 'cache_cluster_enabled'} defaults to false)",
            stage.cache_cluster_size, "cache_cluster_size",
        )
        return
    disabled = first_violation(enabled, lambda value: value is False)
    if disabled is not None:
        yield Violation(
            f"{what} is set but {shown_value(disabled)}",
            stage.cache_cluster_size, "cache_cluster_size",
        )
