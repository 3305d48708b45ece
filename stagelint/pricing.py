"""Cache-cluster prices: the price table (data with its source and date, per Region) and the monthly cost.

Kept out of the model (code review S33: the model does no I/O). A cost is *unknown* (None) when
the size or the Region has no price: never zero, never another Region's price.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from stagelint.records import dataclass

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class PriceTable:
    """One Region's hourly prices per cache size, with where they come from."""

    region: str
    currency: str
    as_of: str
    source: str
    hours_per_month: int
    hourly: tuple[tuple[str, float], ...]  # (size in GB as the API spells it, price per hour)

    def monthly(self, size: str) -> float | None:
        hourly = dict(self.hourly).get(normalise_cache_size(size))
        return None if hourly is None else round(hourly * self.hours_per_month, 2)


def normalise_cache_size(size: str) -> str:
    """`"0.50"`, `"118.0"` → the API's spelling (`"0.5"`, `"118"`); anything else unchanged."""
    try:
        number = float(size)
    except ValueError:
        return size
    return f"{number:g}"


@functools.cache
def _raw() -> dict[str, Any]:
    # A plain open() beside the package: importlib.resources pulls in tempfile, shutil, zipfile…
    # (~5 ms of start-up) for a file that always sits on disk next to stagelint/data/__init__.py.
    from stagelint import data

    with open(os.path.join(os.path.dirname(data.__file__), "cache_prices.json"), encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)
    return table


def regions() -> tuple[str, ...]:
    """The Regions the table has prices for."""
    return tuple(sorted(_raw()["regions"]))


@functools.cache
def price_table(region: str = DEFAULT_REGION) -> PriceTable | None:
    """The Region's prices, or None when the table has none for it."""
    raw = _raw()
    entry = raw["regions"].get(region)
    if entry is None:
        return None
    return PriceTable(region, raw["currency"], entry["as_of"], entry["source"], int(raw["hours_per_month"]),
                      tuple(sorted((size, float(price)) for size, price in entry["hourly_usd"].items())))


def monthly_cost(size: str, region: str = DEFAULT_REGION) -> float | None:
    """A cache cluster of `size` GB for 730 hours in `region`, or None when that price is not known."""
    table = price_table(region)
    return None if table is None else table.monthly(size)
