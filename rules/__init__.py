"""stagelint's built-in rules: one module per rule, listed explicitly (no directory scanning).

A new rule is one module here, one line in `RULES`, and a fixture folder (`fixtures/SLxxx-name/`).

Installed as `stagelint.rules` (see pyproject.toml) and registered through the `stagelint.rules`
entry-point group, exactly as a third-party rule package would be.
"""

from stagelint.rule_api import RuleModule
from stagelint.rules import (
    access_log_format_invalid,
    access_logging_disabled,
    cache_data_unencrypted,
    cache_size_invalid,
    cache_size_missing,
    cache_size_without_caching,
    cache_ttl_out_of_range,
    canary_percent_out_of_range,
    client_certificate_missing,
    cloudwatch_role_missing,
    deployment_api_mismatch,
    duplicate_key,
    execution_logging_off,
    internal_error,
    logging_level_invalid,
    method_settings_path_invalid,
    parse_error,
    setting_unsupported_for_api_type,
    stage_managed_twice,
    stage_name_convention,
    stage_name_invalid,
    stage_name_reserved,
    stage_variable_invalid,
    stage_variable_secret,
    throttling_negative,
    unused_suppression,
    waf_not_associated,
    xray_tracing_disabled,
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
    cache_data_unencrypted,
    cache_size_without_caching,
    throttling_negative,
    canary_percent_out_of_range,
    method_settings_path_invalid,
    deployment_api_mismatch,
    stage_managed_twice,
    stage_variable_secret,
    stage_variable_invalid,
    client_certificate_missing,
    waf_not_associated,
    setting_unsupported_for_api_type,
    access_logging_disabled,
    access_log_format_invalid,
    logging_level_invalid,
    execution_logging_off,
    cloudwatch_role_missing,
    xray_tracing_disabled,
    unused_suppression,
    internal_error,
)
