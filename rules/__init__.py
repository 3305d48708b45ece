"""stagelint's built-in rules: one module per rule, listed explicitly (no directory scanning).

A new rule is one module here, one line in `RULES`, and a fixture folder (`fixtures/SLxxx-name/`).

Installed as `stagelint.rules` (see pyproject.toml) and registered through the `stagelint.rules`
entry-point group, exactly as a third-party rule package would be.
"""

from stagelint.rule_api import RuleModule
from stagelint.rules import (
    cache_outside_production,
    cache_size_invalid,
    cache_size_missing,
    cache_ttl_out_of_range,
    canary_percent_out_of_range,
    data_trace_in_production,
    duplicate_key,
    internal_error,
    method_settings_path_invalid,
    parse_error,
    stage_name_convention,
    stage_name_invalid,
    stage_name_reserved,
    throttling_missing_in_production,
    throttling_negative,
    unused_suppression,
)

RULES: tuple[RuleModule, ...] = (
    parse_error,
    stage_name_invalid,
    stage_name_convention,
    stage_name_reserved,
    duplicate_key,
    cache_size_missing,
    cache_size_invalid,
    cache_ttl_out_of_range,
    throttling_negative,
    throttling_missing_in_production,
    canary_percent_out_of_range,
    method_settings_path_invalid,
    data_trace_in_production,
    cache_outside_production,
    unused_suppression,
    internal_error,
)
