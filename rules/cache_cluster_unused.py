"""A stage pays for a cache cluster that caches nothing.

## What it does
Reports a REST stage whose cache cluster is enabled while its stage-wide method setting (`*/*`,
or `/*` + `*`) turns caching off (`caching_enabled: false`) or sets a TTL of 0, and no other
method setting turns caching back on (each either inherits the stage-wide value or also disables
caching or sets a TTL of 0). The message gives the cluster's monthly cost at the stage's Region's
prices (unknown when the size or Region has no price). A setting that cannot be resolved may turn
caching on, so it is not reported then; nor are stages of an unknown environment (see
"Configuration" in the README).

## Why is this bad?
A cache cluster is billed by the hour for as long as it is enabled, whether or not any method
uses it: from $14.60 a month for 0.5 GB to over $2,700 for 237 GB at us-east-1 prices. AWS: "a TTL
value of 0 means caching is disabled", and a method only caches when caching is enabled for it. A
cluster that no method uses is pure cost; turn it off, or turn caching on where it is meant to be.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
    method_settings:
      - resource_path: /*
        http_method: "*"
        caching_enabled: false
```

```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = "a1b2c3"
  deployment_id         = "d1"
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = "0.5"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    cache_ttl_in_seconds = 0
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
      CacheClusterEnabled: true
      CacheClusterSize: "0.5"
      MethodSettings:
        - ResourcePath: /*
          HttpMethod: "*"
          CachingEnabled: false
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: false
```

## References
- Enable API caching ("a TTL value of 0 means caching is disabled"; billed per hour by cache size): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
- API Gateway pricing: https://aws.amazon.com/api-gateway/pricing/
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stagelint.environments import UNKNOWN, environment_of
from stagelint.findings import Violation
from stagelint.model import ApiKind, MethodSetting, SettingScope, Stage
from stagelint.rule_api import shown_value
from stagelint.rules.common import cache_cost_phrase, is_stage_wide
from stagelint.tracked import Tracked

ID = "SL802"
NAME = "cache-cluster-unused"
DEFAULT_SEVERITY = "info"
TAGS = ("cost", "environment")
OPTIONS = None
# Caching exists on REST stages only, in every format that writes them; fixtures are written for these.
FORMATS = ("cloudformation", "cloudformation-json", "plain", "sam", "terraform", "terraform-json")


def _effective(own: Tracked[Any], stage_wide: Tracked[Any]) -> Tracked[Any]:
    """A method's value: its own, else the stage-wide one it inherits."""
    return stage_wide if own.is_absent else own


def _caches_nothing(enabled: Tracked[Any], ttl: Tracked[Any]) -> bool:
    return enabled.known_equals(False) or ttl.known_equals(0)


def _off_reason(stage_wide: MethodSetting) -> tuple[str, Tracked[Any]]:
    """What turns caching off stage-wide (model attribute, value): the point a finding shows."""
    if stage_wide.caching_enabled.known_equals(False):
        return "caching_enabled", stage_wide.caching_enabled
    return "cache_ttl_in_seconds", stage_wide.cache_ttl_in_seconds


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if environment_of(stage) == UNKNOWN or stage.api_kind in (ApiKind.HTTP, ApiKind.WEBSOCKET):
        return
    if not stage.cache_cluster_enabled.known_equals(True) or stage.method_settings_unreadable is not None:
        return
    settings = [setting for setting in stage.method_settings if setting.scope is SettingScope.METHOD]
    stage_wide = next((setting for setting in reversed(settings) if is_stage_wide(setting)), None)
    if stage_wide is None or not _caches_nothing(stage_wide.caching_enabled, stage_wide.cache_ttl_in_seconds):
        return
    for setting in settings:
        if setting is stage_wide or is_stage_wide(setting):
            continue
        enabled = _effective(setting.caching_enabled, stage_wide.caching_enabled)
        ttl = _effective(setting.cache_ttl_in_seconds, stage_wide.cache_ttl_in_seconds)
        if not _caches_nothing(enabled, ttl):
            return  # this method caches (or may: a value that cannot be resolved)
    attribute, reason = _off_reason(stage_wide)
    yield Violation(
        f"{shown_value(stage.cache_cluster_enabled)} but {shown_value(reason)} for {stage_wide.key} and no "
        f"method turns caching back on: the cache cluster caches nothing and costs {cache_cost_phrase(stage)}",
        reason, f"method_settings[{stage_wide.key}].{attribute}",
    )
