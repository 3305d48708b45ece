"""The inventory's detailed view of one stage: each value the audit lists, or *unknown* with the reason.

Read from the model only (no format knowledge). A value is one of: set (its value), not set (None,
not in `unknown`), or unknown (None, and `unknown` names the field and why). Never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stagelint.model import SettingScope, Stage
from stagelint.records import dataclass
from stagelint.tracked import Tracked

# The detailed fields, in the inventory's column order (JSON keys and CSV headers).
DETAIL_FIELDS = ("api", "cache_ttl_min", "cache_ttl_max", "throttling_rate_limit", "throttling_burst_limit",
                 "method_throttling", "access_log_destination", "logging_level", "data_trace", "canary_percent",
                 "web_acl_arn", "client_certificate_id", "variables")


@dataclass(frozen=True, slots=True)
class StageDetails:
    """What the inventory shows of a stage beyond the summary flags (see DETAIL_FIELDS)."""

    api: str | None = None
    cache_ttl_min: int | None = None  # smallest and largest TTL (seconds) the method settings write
    cache_ttl_max: int | None = None
    throttling_rate_limit: float | None = None  # stage level
    throttling_burst_limit: int | None = None
    method_throttling: int | None = None  # how many method/route settings set a rate or burst limit
    access_log_destination: str | None = None
    logging_level: str | None = None  # the stage-wide (`*/*` or default-route) execution logging level
    data_trace: bool | None = None  # any method or route logs full requests and responses
    canary_percent: float | None = None
    web_acl_arn: str | None = None
    client_certificate_id: str | None = None
    variables: int | None = None  # how many stage variables
    unknown: tuple[tuple[str, str], ...] = ()  # (field, why it cannot be told), in DETAIL_FIELDS order

    def value(self, name: str) -> Any:
        return getattr(self, name)

    def reason(self, name: str) -> str | None:
        return dict(self.unknown).get(name)


def _why(tracked: Tracked[Any]) -> str:
    return tracked.reason or "unresolved value"


class _Collector:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.unknown: dict[str, str] = {}

    def tracked(self, name: str, tracked: Tracked[Any] | None, convert: Any = None) -> None:
        if tracked is None or tracked.is_absent:
            return
        if tracked.is_unknown:
            self.unknown[name] = _why(tracked)
            return
        value = tracked.value
        self.values[name] = convert(value) if convert is not None else value


def _number(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _sets_a_limit(*limits: Tracked[Any]) -> bool:
    for limit in limits:
        number = _number(limit.value) if limit.is_known else None
        if number is not None and number >= 0:
            return True
    return False


def _ttls(collector: _Collector, ttls: Iterable[Tracked[Any]]) -> None:
    known: list[int] = []
    for ttl in ttls:
        if ttl.is_unknown:
            for name in ("cache_ttl_min", "cache_ttl_max"):
                collector.unknown[name] = f"a TTL cannot be resolved: {_why(ttl)}"
            return
        if ttl.is_known and isinstance(ttl.value, int) and not isinstance(ttl.value, bool):
            known.append(ttl.value)
    if known:
        collector.values["cache_ttl_min"], collector.values["cache_ttl_max"] = min(known), max(known)


def details_of(stage: Stage) -> StageDetails:
    """The stage's detailed inventory values; unknowns carry their reason."""
    collector = _Collector()
    collector.tracked("api", stage.api, str)
    settings = stage.method_settings
    _ttls(collector, (setting.cache_ttl_in_seconds for setting in settings))
    collector.tracked("throttling_rate_limit", stage.throttling_rate_limit, _number)
    collector.tracked("throttling_burst_limit", stage.throttling_burst_limit, _number)
    limits = [(setting.throttling_rate_limit, setting.throttling_burst_limit) for setting in settings]
    if stage.method_settings_unreadable is not None:
        collector.unknown["method_throttling"] = stage.method_settings_unreadable
        collector.unknown["data_trace"] = stage.method_settings_unreadable
    elif any(rate.is_unknown or burst.is_unknown for rate, burst in limits):
        collector.unknown["method_throttling"] = "a method throttling limit cannot be resolved"
    else:
        collector.values["method_throttling"] = sum(1 for rate, burst in limits if _sets_a_limit(rate, burst))
    if stage.method_settings_unreadable is None:
        traces = [setting.data_trace_enabled for setting in settings]
        if any(trace.known_equals(True) for trace in traces):
            collector.values["data_trace"] = True
        elif any(trace.is_unknown for trace in traces):
            collector.unknown["data_trace"] = next(_why(trace) for trace in traces if trace.is_unknown)
        else:
            collector.values["data_trace"] = False
    stage_wide = [setting for setting in settings if setting.scope is SettingScope.DEFAULT_ROUTE
                  or setting.key in ("*/*", "/* *")]
    if stage_wide:
        collector.tracked("logging_level", stage_wide[-1].logging_level, str)
    if stage.access_log is not None:
        collector.tracked("access_log_destination", stage.access_log.destination_arn, str)
    if stage.canary is not None:
        collector.tracked("canary_percent", stage.canary.percent_traffic, _number)
    collector.tracked("web_acl_arn", stage.web_acl_arn, str)
    collector.tracked("client_certificate_id", stage.client_certificate_id, str)
    if stage.variables.is_unknown:
        collector.unknown["variables"] = _why(stage.variables)
    elif stage.variables.is_known and stage.variables.value is not None:
        collector.values["variables"] = len(stage.variables.value)
    else:
        collector.values["variables"] = 0
    unknown = tuple((name, collector.unknown[name]) for name in DETAIL_FIELDS if name in collector.unknown)
    return StageDetails(**collector.values, unknown=unknown)
