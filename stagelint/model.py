"""The neutral stage model. Decoders build it; rules read it; nothing here knows a file format.

Field names follow the API Gateway concepts (and, where a choice was needed, Terraform's
attribute names, which are also the native YAML format's). Every leaf is a `Tracked` value, so a
rule can always tell *known*, *unknown* and *absent* apart and point at the exact source span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from operator import attrgetter
from typing import Any

from stagelint.positions import SourcePosition
from stagelint.pricing import DEFAULT_REGION, monthly_cost
from stagelint.pricing import normalise_cache_size as normalise_cache_size  # importable here, as before
from stagelint.records import dataclass
from stagelint.text import shortened
from stagelint.tracked import ABSENT, KNOWN, UNKNOWN, Tracked


class ApiKind(Enum):
    REST = "REST"
    HTTP = "HTTP"
    WEBSOCKET = "WEBSOCKET"
    UNKNOWN = "UNKNOWN"


class SourceFormat(Enum):
    PLAIN = "plain"
    TERRAFORM_HCL = "terraform"
    TERRAFORM_JSON = "terraform-json"
    TERRAFORM_PLAN = "terraform-plan"
    CLOUDFORMATION = "cloudformation"
    SAM = "sam"


class SettingScope(Enum):
    """What a method setting applies to: a REST method (path + verb), a v2 route, or a v2 stage's default route."""

    METHOD = "method"
    ROUTE = "route"
    DEFAULT_ROUTE = "default-route"


# Enum members as module constants for the properties below, which run for every stage and finding
# (why: `stagelint.tracked.KNOWN`).
_PLAIN = SourceFormat.PLAIN
_DEFAULT_ROUTE = SettingScope.DEFAULT_ROUTE


@dataclass(frozen=True, slots=True)
class StageSource:
    """Where a stage was defined: the file, its format, and the resource address or logical id."""

    path: str
    format: SourceFormat
    address: str  # `aws_api_gateway_stage.prod`, `Resources.ProdStage`, `stages[0]`


@dataclass(frozen=True, slots=True)
class MethodSetting:
    """One method-settings entry.

    REST settings are keyed by `resource_path` + `http_method` in CloudFormation, SAM and the native
    format, and by a single `method_path` (`{path}/{METHOD}` or `*/*`) in Terraform: a decoder fills in
    the spelling its format uses and leaves the other ABSENT. v2 settings use `route_key`.
    """

    position: SourcePosition
    scope: SettingScope
    resource_path: Tracked[str]
    http_method: Tracked[str]
    method_path: Tracked[str]
    route_key: Tracked[str]
    caching_enabled: Tracked[bool]
    cache_ttl_in_seconds: Tracked[int]
    cache_data_encrypted: Tracked[bool]
    require_authorization_for_cache_control: Tracked[bool]
    throttling_rate_limit: Tracked[float]
    throttling_burst_limit: Tracked[int]
    logging_level: Tracked[str]
    data_trace_enabled: Tracked[bool]
    metrics_enabled: Tracked[bool]
    # Set when the setting comes from a separate resource (Terraform `aws_api_gateway_method_settings`).
    address: str | None = None

    @property
    def key(self) -> str:
        """A stable, human-readable identity for messages and fingerprints (`/users/* GET`, `*/*`)."""
        method_path = self.method_path
        if method_path.state is KNOWN:
            return str(method_path.value)
        route_key = self.route_key
        if route_key.state is KNOWN:
            return str(route_key.value)
        if self.scope is _DEFAULT_ROUTE:
            return "$default-route"
        path = str(self.resource_path.value) if self.resource_path.state is KNOWN else "?"
        method = str(self.http_method.value) if self.http_method.state is KNOWN else "?"
        return f"{path} {method}"


@dataclass(frozen=True, slots=True)
class CanarySettings:
    """A canary release on a REST stage: how much traffic it gets and what it overrides."""

    position: SourcePosition
    percent_traffic: Tracked[float]
    deployment_id: Tracked[str]
    use_stage_cache: Tracked[bool]
    stage_variable_overrides: Tracked[dict[str, str]]


@dataclass(frozen=True, slots=True)
class AccessLogSettings:
    """Where a stage writes its access logs, and in what format."""

    position: SourcePosition
    destination_arn: Tracked[str]
    format: Tracked[str]


@dataclass(frozen=True, slots=True)
class StageVariable:
    """One stage variable, its name and value each with their own position."""

    name: Tracked[str]
    value: Tracked[str]


@dataclass(frozen=True, slots=True)
class Stage:
    """One API Gateway stage, whatever format it was written in."""

    source: StageSource
    position: SourcePosition  # the resource (or list item) header
    name: Tracked[str]
    api: Tracked[str]  # the API's identity as written: a rest_api_id reference, a logical id, a name
    api_kind: ApiKind
    description: Tracked[str]
    deployment_id: Tracked[str]
    cache_cluster_enabled: Tracked[bool]
    cache_cluster_size: Tracked[str]
    throttling_rate_limit: Tracked[float]  # stage-level throttling, where the format has it
    throttling_burst_limit: Tracked[int]
    tracing_enabled: Tracked[bool]
    client_certificate_id: Tracked[str]
    web_acl_arn: Tracked[str]  # ABSENT unless a WAF association points at this stage
    variables: Tracked[tuple[StageVariable, ...]]
    tags: Tracked[dict[str, str]]
    method_settings: tuple[MethodSetting, ...] = ()
    canary: CanarySettings | None = None
    access_log: AccessLogSettings | None = None
    # Rule ids or names this stage's resource asks to ignore (CloudFormation `Metadata: stagelint: ignore`).
    ignored_rules: tuple[str, ...] = ()
    # The REST API's endpoint type (`EDGE`, `REGIONAL`, `PRIVATE`), read from the API resource when it
    # is in the same module or template (None: it is not). SL704 needs it: a private API is reachable
    # only through a VPC endpoint, and AWS WAF cannot be associated with it.
    endpoint_type: Tracked[str] | None = None
    # How the stage relates to the deployments of its module or template (SL403, SL404), set by the
    # decoders once every resource is read: the API of the deployment `deployment_id` names (None: no
    # such deployment seen; unknown when the two name their API in ways that cannot be compared) ...
    deployment_api: Tracked[str] | None = None
    # ... the `stage_name`/`StageName` of each deployment (or SAM Api) that also creates this stage ...
    created_by_deployments: tuple[Tracked[str], ...] = ()
    # ... and a v2 stage's `auto_deploy` (None: the stage's resource type has no such setting).
    auto_deploy: Tracked[bool] | None = None
    # Why some of this stage's method settings could not be read (a CloudFormation `Fn::If` over the
    # whole list, a Terraform `aws_api_gateway_method_settings` not joinable to one stage), else None.
    # A rule that judges what the settings *lack* (SL505) must not fire then: the lack may be unknown.
    method_settings_unreadable: str | None = None
    # Whether the stage's template (CloudFormation, SAM) or module/plan (Terraform) declares the
    # account-level CloudWatch Logs role that API Gateway logs through (`AWS::ApiGateway::Account` /
    # `aws_api_gateway_account` with a role ARN): SL506 needs it, as no stage attribute says so.
    # None: the format has no such notion (native YAML), so nothing can be told.
    account_logging_role: bool | None = None
    # prod, staging, dev or unknown, set by the checker from the run's configuration (`environments`);
    # None: not classified yet (`environments.environment_of` then classifies with the defaults).
    environment: str | None = None
    # The stage's AWS Region: the one its file names (a literal Terraform `provider "aws"` region, set by
    # the decoder), else the run's `--region`, set by the checker. None: not said (plugin and API users):
    # the account quota's and price table's defaults apply.
    region: str | None = None
    # SAM's extra stage `Stage`, which a SAM REST API without `OpenApiVersion` also deploys, with none
    # of the API's settings. Only rules that declare `JUDGES_SAM_EXTRA_STAGE = True` (SL405) see it:
    # every rule about what a stage lacks would otherwise repeat itself on a stage nobody wrote.
    sam_extra_stage: bool = False
    # The CloudFormation `Condition` the stage's resource is created under, when it is not true with
    # the parameters as given (false with their defaults, or undecidable): findings say so.
    condition: str | None = None

    @property
    def address(self) -> str:
        return self.source.address

    @property
    def display_name(self) -> str:
        name = self.name
        return shortened(str(name.value)) if name.state is KNOWN else self.source.address

    @property
    def identity(self) -> str:
        """What fingerprints (and so baselines) key this stage by. The native format's address is a
        list index (`stages[0]`), which moves when a stage is inserted above: there the stage's name
        and API stand in for it when known. Every other format's address is a logical id or a
        resource address already."""
        source = self.source
        if source.format is not _PLAIN or self.name.state is not KNOWN:
            return source.address
        api = f", api={self.api.value}" if self.api.is_known else ""
        return f"stages[name={self.name.value}{api}]"

    # -- computed properties from the domain (None: cannot be told from the source) ------------
    @property
    def has_caching(self) -> bool | None:
        enabled = self.cache_cluster_enabled
        if enabled.state is KNOWN:
            return bool(enabled.value)
        return False if enabled.state is ABSENT else None

    @property
    def has_access_logging(self) -> bool | None:
        if self.access_log is None:
            return False
        destination = self.access_log.destination_arn
        if destination.state is UNKNOWN:
            return True  # an unresolved ARN is still a configured destination
        return destination.state is KNOWN and bool(destination.value)

    @property
    def has_canary(self) -> bool | None:
        if self.canary is None:
            return False
        percent = self.canary.percent_traffic
        if percent.state is UNKNOWN:
            return None
        return True if percent.state is ABSENT else bool(percent.value)

    @property
    def has_throttling(self) -> bool | None:
        limits: list[Tracked[Any]] = [self.throttling_rate_limit, self.throttling_burst_limit]
        for setting in self.method_settings:
            limits += [setting.throttling_rate_limit, setting.throttling_burst_limit]
        for limit in limits:
            if limit.state is KNOWN and isinstance(limit.value, (int, float)) and limit.value >= 0:
                return True
        return None if any(limit.state is UNKNOWN for limit in limits) else False

    @property
    def estimated_monthly_cost(self) -> float | None:
        """Cache cluster cost in USD per month at us-east-1 prices (`cost_in(region)` for another Region).

        0.0 when the stage has no cache cluster; None when it cannot be told: caching or size unknown,
        or a size (or Region) the price table (`stagelint/data/cache_prices.json`) has no price for.
        """
        return self.cost_in(DEFAULT_REGION)

    def cost_in(self, region: str) -> float | None:
        """`estimated_monthly_cost` at `region`'s prices (`stagelint.pricing`)."""
        caching = self.has_caching
        if caching is None:
            return None
        if not caching:
            return 0.0
        if self.cache_cluster_size.state is not KNOWN:
            return None
        return monthly_cost(str(self.cache_cluster_size.value), region)

    # -- walking -------------------------------------------------------------------------------
    def unknown_leaves(self) -> list[tuple[str, Tracked[Any]]]:
        """`iter_tracked`'s unknown leaves, in its order: what notes name. Decoders and the checker ask
        for every stage's; walking every leaf through generators was ~5 % of a 5,000-stage module."""
        found: list[tuple[str, Tracked[Any]]] = []
        _unknown_leaves(self, found, "")
        for setting in self.method_settings:
            _unknown_leaves(setting, found)
        if self.canary is not None:
            _unknown_leaves(self.canary, found, "canary.")
        if self.access_log is not None:
            _unknown_leaves(self.access_log, found, "access_log.")
        return found

    def iter_tracked(self) -> Iterator[tuple[str, Tracked[Any]]]:
        """Every leaf with its model path (`method_settings[*/*].cache_ttl_in_seconds`), in a stable order."""
        yield from _leaves(self, "")
        for setting in self.method_settings:
            yield from _leaves(setting, f"method_settings[{setting.key}].")
        if self.canary is not None:
            yield from _leaves(self.canary, "canary.")
        if self.access_log is not None:
            yield from _leaves(self.access_log, "access_log.")


def _unknown_leaves(record: object, found: list[tuple[str, Tracked[Any]]], prefix: str | None = None) -> None:
    """Append `record`'s unknown leaves; `prefix` None: a method setting's (its key made only if needed)."""
    names = record.__slots__  # type: ignore[attr-defined]
    shown: str | None = None
    for name, value in zip(names, _slot_getter(record)(record), strict=True):
        if isinstance(value, Tracked) and value.state is UNKNOWN:
            if shown is None:
                shown = f"method_settings[{record.key}]." if prefix is None else prefix  # type: ignore[attr-defined]
            found.append((shown + name, value))


def _slot_getter(record: object) -> Callable[[object], tuple[Any, ...]]:
    """Every slot of the record's class at once (one C call; the walks above run for every stage)."""
    getter = _SLOT_GETTERS.get(type(record))
    if getter is None:
        getter = _SLOT_GETTERS[type(record)] = attrgetter(*record.__slots__)  # type: ignore[attr-defined]
    return getter


_SLOT_GETTERS: dict[type, Callable[[object], tuple[Any, ...]]] = {}


def _leaves(record: object, prefix: str) -> Iterator[tuple[str, Tracked[Any]]]:
    names = record.__slots__  # type: ignore[attr-defined]
    for name, value in zip(names, _slot_getter(record)(record), strict=True):
        if isinstance(value, Tracked):
            yield prefix + name, value
