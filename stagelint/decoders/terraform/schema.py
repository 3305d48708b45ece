"""Terraform's API Gateway resources → the stage model: one mapping for configuration and plans.

`.tf`/`.tf.json` modules (`decoders.terraform`) and `terraform show -json` plans
(`decoders.terraform.plan`) describe the same resources with the same attribute names; they differ
only in how an attribute's value is found — evaluated from HCL expressions with variables and
locals, or read from the plan's values with `after_unknown`. Each decoder supplies that through the
`Values` protocol; which attribute feeds which model field is written once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from stagelint.decoders.values import to_bool, to_float, to_int
from stagelint.model import (
    AccessLogSettings,
    ApiKind,
    CanarySettings,
    MethodSetting,
    SettingScope,
    Stage,
    StageSource,
    StageVariable,
)
from stagelint.positions import SourcePosition
from stagelint.tracked import Tracked

STAGE_RESOURCES = ("aws_api_gateway_stage", "aws_apigatewayv2_stage", "aws_api_gateway_deployment")
# The association resources that attach a web ACL to a stage, with the attribute naming the ACL.
WAF_ASSOCIATIONS = {
    "aws_wafv2_web_acl_association": "web_acl_arn",
    "aws_wafregional_web_acl_association": "web_acl_id",
}


class Values(Protocol):
    """One resource instance or nested block, as a decoder reads it."""

    @property
    def span(self) -> SourcePosition: ...

    def field(self, name: str, convert: Callable[[Any], Any] | None = None) -> Tracked[Any]:
        """A scalar attribute (None: the decoder's own text conversion)."""
        ...

    def identity(self, name: str) -> Tracked[Any]:
        """An id or ARN attribute: its value, or what identifies it in the configuration."""
        ...

    def string_map(self, name: str) -> Tracked[dict[str, str]]: ...

    def variables(self, name: str) -> Tracked[tuple[StageVariable, ...]]: ...

    def blocks(self, name: str) -> Sequence[Values]: ...


def _block(values: Values, name: str) -> Values | None:
    found = values.blocks(name)
    return found[0] if found else None


def not_minus_one(tracked: Tracked[Any]) -> Tracked[Any]:
    """`aws_api_gateway_method_settings` uses -1 for "throttling not set" (the provider's default)."""
    if tracked.is_known and tracked.value == -1:
        return Tracked.absent(tracked.position, tracked.spelled_as)
    return tracked


def stage(resource_type: str, source: StageSource, position: SourcePosition, values: Values,
          v2_api_kind: ApiKind = ApiKind.UNKNOWN) -> Stage | None:
    """The stage a resource declares; None for a deployment without `stage_name`, or with `""` or
    null (it creates none: the provider's documented idiom when an `aws_api_gateway_stage` owns it).

    `position` is the resource's own span; `v2_api_kind` is what the caller could tell of an
    `aws_apigatewayv2_stage`'s API (HTTP or WebSocket), from the API resource it points at.
    """
    absent = Tracked.absent
    if resource_type == "aws_api_gateway_deployment":
        name = values.field("stage_name")
        if name.is_absent or (name.is_known and name.value in ("", None)):
            return None
        return Stage(
            source=source,
            position=position,
            name=name,
            api=values.identity("rest_api_id"),
            api_kind=ApiKind.REST,
            description=values.field("stage_description"),
            deployment_id=absent(position, "deployment_id"),
            cache_cluster_enabled=absent(position, "cache_cluster_enabled"),
            cache_cluster_size=absent(position, "cache_cluster_size"),
            throttling_rate_limit=absent(position, "throttling_rate_limit"),
            throttling_burst_limit=absent(position, "throttling_burst_limit"),
            tracing_enabled=absent(position, "xray_tracing_enabled"),
            client_certificate_id=absent(position, "client_certificate_id"),
            web_acl_arn=absent(position, "web_acl_arn"),
            variables=values.variables("variables"),
            tags=absent(position, "tags"),
        )
    if resource_type == "aws_apigatewayv2_stage":
        settings = tuple(route_setting(block, SettingScope.DEFAULT_ROUTE)
                         for block in values.blocks("default_route_settings")[:1])
        settings += tuple(route_setting(block, SettingScope.ROUTE) for block in values.blocks("route_settings"))
        return Stage(
            source=source,
            position=position,
            name=values.field("name"),
            api=values.identity("api_id"),
            api_kind=v2_api_kind,
            description=values.field("description"),
            deployment_id=values.identity("deployment_id"),
            cache_cluster_enabled=absent(position, "cache_cluster_enabled"),
            cache_cluster_size=absent(position, "cache_cluster_size"),
            throttling_rate_limit=absent(position, "throttling_rate_limit"),
            throttling_burst_limit=absent(position, "throttling_burst_limit"),
            tracing_enabled=absent(position, "xray_tracing_enabled"),
            client_certificate_id=values.identity("client_certificate_id"),
            web_acl_arn=absent(position, "web_acl_arn"),
            variables=values.variables("stage_variables"),
            tags=values.string_map("tags"),
            method_settings=settings,
            access_log=access_log(values),
            auto_deploy=values.field("auto_deploy", to_bool),
        )
    return Stage(
        source=source,
        position=position,
        name=values.field("stage_name"),
        api=values.identity("rest_api_id"),
        api_kind=ApiKind.REST,
        description=values.field("description"),
        deployment_id=values.identity("deployment_id"),
        cache_cluster_enabled=values.field("cache_cluster_enabled", to_bool),
        cache_cluster_size=values.field("cache_cluster_size"),
        throttling_rate_limit=absent(position, "throttling_rate_limit"),
        throttling_burst_limit=absent(position, "throttling_burst_limit"),
        tracing_enabled=values.field("xray_tracing_enabled", to_bool),
        client_certificate_id=values.identity("client_certificate_id"),
        web_acl_arn=absent(position, "web_acl_arn"),
        variables=values.variables("variables"),
        tags=values.string_map("tags"),
        canary=canary(values),
        access_log=access_log(values),
    )


def canary(values: Values) -> CanarySettings | None:
    block = _block(values, "canary_settings")
    if block is None:
        return None
    return CanarySettings(
        position=block.span,
        percent_traffic=block.field("percent_traffic", to_float),
        deployment_id=block.identity("deployment_id"),
        use_stage_cache=block.field("use_stage_cache", to_bool),
        stage_variable_overrides=block.string_map("stage_variable_overrides"),
    )


def access_log(values: Values) -> AccessLogSettings | None:
    block = _block(values, "access_log_settings")
    if block is None:
        return None
    return AccessLogSettings(block.span, block.identity("destination_arn"), block.field("format"))


def route_setting(block: Values, scope: SettingScope) -> MethodSetting:
    """`default_route_settings` / `route_settings` of an `aws_apigatewayv2_stage` (no -1 sentinel there)."""
    owner = block.span
    absent = Tracked.absent
    return MethodSetting(
        position=owner,
        scope=scope,
        resource_path=absent(owner, "resource_path"),
        http_method=absent(owner, "http_method"),
        method_path=absent(owner, "method_path"),
        route_key=block.field("route_key") if scope is SettingScope.ROUTE else absent(owner, "route_key"),
        caching_enabled=absent(owner, "caching_enabled"),
        cache_ttl_in_seconds=absent(owner, "cache_ttl_in_seconds"),
        cache_data_encrypted=absent(owner, "cache_data_encrypted"),
        require_authorization_for_cache_control=absent(owner, "require_authorization_for_cache_control"),
        throttling_rate_limit=block.field("throttling_rate_limit", to_float),
        throttling_burst_limit=block.field("throttling_burst_limit", to_int),
        logging_level=block.field("logging_level"),
        data_trace_enabled=block.field("data_trace_enabled", to_bool),
        metrics_enabled=block.field("detailed_metrics_enabled", to_bool),
    )


def method_setting(values: Values, position: SourcePosition, address: str) -> MethodSetting:
    """An `aws_api_gateway_method_settings` resource: `method_path` plus its `settings` block."""
    settings = _block(values, "settings")

    def setting(name: str, convert: Callable[[Any], Any] | None = None) -> Tracked[Any]:
        return settings.field(name, convert) if settings is not None else Tracked.absent(position, name)

    absent = Tracked.absent
    return MethodSetting(
        position=position,
        scope=SettingScope.METHOD,
        resource_path=absent(position, "resource_path"),
        http_method=absent(position, "http_method"),
        method_path=values.field("method_path"),
        route_key=absent(position, "route_key"),
        caching_enabled=setting("caching_enabled", to_bool),
        cache_ttl_in_seconds=setting("cache_ttl_in_seconds", to_int),
        cache_data_encrypted=setting("cache_data_encrypted", to_bool),
        require_authorization_for_cache_control=setting("require_authorization_for_cache_control", to_bool),
        throttling_rate_limit=not_minus_one(setting("throttling_rate_limit", to_float)),
        throttling_burst_limit=not_minus_one(setting("throttling_burst_limit", to_int)),
        logging_level=setting("logging_level"),
        data_trace_enabled=setting("data_trace_enabled", to_bool),
        metrics_enabled=setting("metrics_enabled", to_bool),
        address=address,
    )

