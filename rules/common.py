"""Helpers shared by several rules (yamllint's rules/common.py)."""

from __future__ import annotations

import re

from stagelint.model import ApiKind, MethodSetting, SourceFormat, Stage

# API Gateway: "Stage names can only contain alphanumeric characters, hyphens, and underscores.
# Maximum length is 128 characters." (CreateStage, stageName). HTTP/WebSocket APIs also accept `$default`.
VALID_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
MAX_STAGE_NAME = 128


def accepts_default_stage(stage: Stage) -> bool:
    """`$default` is valid on v2 (HTTP/WebSocket) stages, and on stages whose API kind is unknown."""
    return stage.api_kind is not ApiKind.REST


def stage_name_is_valid(stage: Stage, name: str) -> bool:
    if name == "$default" and accepts_default_stage(stage):
        return True
    return bool(VALID_STAGE_NAME.match(name))


def stage_name_problem(stage: Stage, name: object) -> str | None:
    """Why `name` is not a valid stage name, or None when it is (SL001; SL002 skips such names)."""
    if not isinstance(name, str):
        return "is not a string"
    if name == "":
        return "is empty"
    if len(name) > MAX_STAGE_NAME:
        return f"is {len(name)} characters long (at most {MAX_STAGE_NAME})"
    if not stage_name_is_valid(stage, name):
        bad = sorted({char for char in name if not (char.isascii() and (char.isalnum() or char in "-_"))})
        if name == "$default":
            return "is `$default`, which only HTTP and WebSocket APIs accept"
        return "has characters other than letters, digits, `-` and `_`: " + " ".join(repr(char) for char in bad)
    return None


def api_label(stage: Stage) -> str:
    """`an HTTP API`, `a WebSocket API`, `a REST API`, for messages."""
    return {ApiKind.HTTP: "an HTTP API", ApiKind.WEBSOCKET: "a WebSocket API",
            ApiKind.REST: "a REST API"}.get(stage.api_kind, "an API of unknown type")


def is_stage_wide(setting: MethodSetting) -> bool:
    """`*/*` (Terraform) or `/*` + `*` (CloudFormation, SAM, native): the defaults of every method."""
    if setting.method_path.is_known:
        return setting.method_path.value == "*/*"
    return setting.resource_path.known_equals("/*") and setting.http_method.known_equals("*")


def is_terraform(stage: Stage) -> bool:
    return stage.source.format in (SourceFormat.TERRAFORM_HCL, SourceFormat.TERRAFORM_JSON,
                                   SourceFormat.TERRAFORM_PLAN)


# Execution logging levels API Gateway accepts (CFN MethodSetting `LoggingLevel`; the Terraform
# provider validates `StringInSlice([OFF, ERROR, INFO])`, case-sensitive).
LOGGING_LEVELS = ("OFF", "ERROR", "INFO")
LOGGING_ON = ("ERROR", "INFO")


def cache_cost_phrase(stage: Stage) -> str:
    """`$14.60/month (us-east-1 prices, 730 h)`, or an unknown amount when the size or Region has no price."""
    from stagelint.pricing import DEFAULT_REGION

    region = stage.region or DEFAULT_REGION
    cost = stage.cost_in(region)
    if cost is None:
        return f"an unknown amount (size unknown or not priced in {region})"
    return f"${cost:,.2f}/month ({region} prices, 730 h)"
