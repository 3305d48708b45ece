"""The account-level throttling quota per Region (data with its source: `stagelint/data/throttling_quotas.json`).

API Gateway caps every stage and method limit at the account's quota in the Region: 10,000 requests
per second with a 5,000-request burst, lower (2,500 / 1,250) in the Regions the AWS quotas page lists.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from stagelint.records import dataclass


@dataclass(frozen=True, slots=True)
class AccountQuota:
    """The default throttle quota of one Region: steady rate (requests per second) and burst."""

    region: str | None  # None: the default that applies to every Region not listed
    rate_limit: int
    burst_limit: int


@functools.cache
def _raw() -> dict[str, Any]:
    from stagelint import data

    with open(os.path.join(os.path.dirname(data.__file__), "throttling_quotas.json"), encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)
    return table


def quota_source() -> str:
    return str(_raw()["source"])


def lower_quota_regions() -> tuple[str, ...]:
    """The Regions whose default quota is below the default."""
    return tuple(sorted(_raw()["regions"]))


@functools.cache
def account_quota(region: str | None) -> AccountQuota:
    """The Region's default quota; the 10,000 / 5,000 default for None or a Region not listed."""
    raw = _raw()
    entry = raw["regions"].get(region) if region is not None else None
    if entry is None:
        return AccountQuota(None, int(raw["default"]["rate_limit"]), int(raw["default"]["burst_limit"]))
    return AccountQuota(region, int(entry["rate_limit"]), int(entry["burst_limit"]))
