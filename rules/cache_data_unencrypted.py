"""Cached responses are stored unencrypted.

## What it does
Reports a REST stage that caches responses while cache data encryption is off for the cached methods:

- a method setting turns caching on (`caching_enabled`, the stage-wide `*/*` one included) and neither
  it nor the stage-wide setting it inherits from sets `cache_data_encrypted: true`;
- the cache cluster is enabled — which caches `GET` methods by default — and no stage-wide method
  setting encrypts the cache (or turns caching off), nor do per-method settings manage caching
  themselves with encryption on.

Method settings count wherever they are written: on the stage, in a separate Terraform
`aws_api_gateway_method_settings` resource, in SAM `Globals`, or in a deployment's `StageDescription`.
A value stagelint cannot resolve never fires; a stage with no cache at all is never told to encrypt it.

## Why is this bad?
API Gateway keeps cached responses in the cache cluster as they are. Responses often carry personal
data or tokens; encryption at rest costs nothing extra. AWS Security Hub control APIGateway.5 and
CIS-style benchmarks require it.

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
        cache_data_encrypted: true
```

In Terraform, the same in a separate resource:
```terraform
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
    caching_enabled      = true
    cache_data_encrypted = true
  }
}
```

## References
- Enabling API caching ("only GET methods have caching enabled by default"; "Encrypt cache data"): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
- CloudFormation MethodSetting `CacheDataEncrypted`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
- AWS Security Hub APIGateway.5: https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
- aquasecurity/defsec#462 (encryption demanded where no cache is on).
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, MethodSetting, SettingScope, Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import is_stage_wide

ID = "SL104"
NAME = "cache-data-unencrypted"
DEFAULT_SEVERITY = "warning"
SECURITY_SEVERITY = 5.3
TAGS = ("security",)
OPTIONS = None


def _encrypted(setting: MethodSetting, stage_wide: MethodSetting | None) -> bool | None:
    """Whether a setting's methods are encrypted: its own value, else the stage-wide one (None: unknown)."""
    own = setting.cache_data_encrypted
    if own.is_unknown:
        return None
    if own.is_known:
        return own.value is True
    if stage_wide is None or stage_wide is setting:
        return False
    return _encrypted(stage_wide, None)


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind in (ApiKind.HTTP, ApiKind.WEBSOCKET):
        return  # no cache on v2 APIs (SL402 says so if one is set)
    settings = [setting for setting in stage.method_settings if setting.scope is SettingScope.METHOD]
    stage_wide = next((setting for setting in reversed(settings) if is_stage_wide(setting)), None)
    stage_wide_reported = False
    for setting in settings:
        caching = first_violation(setting.caching_enabled, lambda value: value is True)
        if caching is None or _encrypted(setting, stage_wide) is not False:
            continue
        stage_wide_reported |= setting is stage_wide
        subject = setting.cache_data_encrypted if setting.cache_data_encrypted.is_known else caching
        spelled = setting.cache_data_encrypted.spelled_as or "cache_data_encrypted"
        yield Violation(
            f"{shown_value(caching)} for {setting.key} but its cache data is not encrypted "
            f"(set {spelled} to true)",
            subject, f"method_settings[{setting.key}].cache_data_encrypted",
        )
    cluster = first_violation(stage.cache_cluster_enabled, lambda value: value is True)
    if cluster is None or stage_wide_reported:
        return
    if stage_wide is None and any(
        setting.caching_enabled.known_equals(True) and _encrypted(setting, None) for setting in settings
    ):
        return  # caching is managed per method, encrypted (checked above)
    if stage_wide is not None:
        if not stage_wide.caching_enabled.is_absent and not stage_wide.caching_enabled.known_equals(True):
            return  # GET caching turned off stage-wide, or unknown
        if _encrypted(stage_wide, None) is not False:
            return
    yield Violation(
        f"{shown_value(cluster)}, which caches GET methods by default, but no stage-wide method setting "
        "(`*/*`) sets cache data encryption on",
        cluster, "cache_data_encrypted",
    )
