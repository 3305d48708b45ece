"""Method setting path or HTTP method is malformed.

## What it does
Checks how a method setting names the methods it applies to:

- CloudFormation, SAM and the stagelint format use `ResourcePath` + `HttpMethod`: the path must start
  with `/` (`/` for the root, `/*` with `*` for every method, `/users`);
- in CloudFormation and SAM a *nested* path has its inner slashes encoded as `~1`: `/~1users~1{id}`,
  not `/users/{id}` (AWS's own example: `/resource/subresource` → `/~1resource~1subresource`);
- Terraform's `aws_api_gateway_method_settings.method_path` is `{path}/{METHOD}` with **no** leading
  slash (`users/GET`, `~1/GET` for the root), or `*/*` for every method; a nested path is encoded
  the same way: `~1users~1{id}/GET`, not `users/{id}/GET`;
- the stagelint format keeps plain paths (`/users/{id}`): encoding is the deploy formats' concern;
- the method must be one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, `ANY` or `*`.

## Why is this bad?
API Gateway turns these into patch paths such as `/{path}/{method}/caching/enabled`. A path without
its leading slash (CloudFormation) or with one (Terraform), or an unknown verb, fails with
"Invalid method setting path" at deploy time — or, for SAM, the setting is silently ignored. A
nested path written with plain slashes is split at them: the setting lands on another resource
and method, or the deployment is rejected.

## Example
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: users/*
        http_method: FETCH
```

Use instead:
```yaml
stages:
  - name: prod
    method_settings:
      - resource_path: /users/*
        http_method: GET
```

## References
- CloudFormation MethodSetting `ResourcePath`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
- Terraform `aws_api_gateway_method_settings.method_path`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
- hashicorp/terraform-provider-aws#15855 ("Invalid method setting path"); #9738 (nested paths need `~1`).
- UpdateStage patch paths ("Any slash ("/") character appearing in path names must be escaped with "~1""):
  https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateStage.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from stagelint.findings import Violation
from stagelint.model import MethodSetting, SettingScope, SourceFormat, Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.tracked import Tracked

ID = "SL401"
NAME = "method-settings-path-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*")


# Formats that hand the path to API Gateway as written, where a nested path's slashes are `~1`.
ENCODED_FORMATS = frozenset({SourceFormat.CLOUDFORMATION, SourceFormat.SAM, SourceFormat.TERRAFORM_HCL,
                             SourceFormat.TERRAFORM_JSON, SourceFormat.TERRAFORM_PLAN})


def resource_path_problem(path: object, encoded: bool = False) -> str | None:
    if not isinstance(path, str) or not path:
        return "is empty"
    if not path.startswith("/"):
        return "must start with `/` (e.g. `/*`, `/users`)"
    if "//" in path:
        return "has an empty segment (`//`)"
    if encoded and "/" in path[1:]:
        return (f"is a nested path with plain slashes: API Gateway reads `~1` for each inner slash "
                f"(write `/~1{path[1:].replace('/', '~1')}`)")
    return None


def method_problem(method: object) -> str | None:
    if not isinstance(method, str) or method not in HTTP_METHODS:
        upper = method.upper() if isinstance(method, str) else None
        hint = f" (write `{upper}`)" if upper in HTTP_METHODS else ""
        return f"is not one of {', '.join(HTTP_METHODS)}{hint}"
    return None


def method_path_problem(method_path: object, encoded: bool = True) -> str | None:
    if not isinstance(method_path, str) or not method_path:
        return "is empty"
    if method_path == "*/*":
        return None
    if method_path.startswith("/"):
        return "must not start with `/` (Terraform's form is `{path}/{METHOD}`, e.g. `users/GET`, or `*/*`)"
    path, slash, method = method_path.rpartition("/")
    if not slash or not path:
        return "must be `{path}/{METHOD}` (e.g. `users/GET`) or `*/*`"
    if "//" in method_path:
        return "has an empty segment (`//`)"
    problem = method_problem(method)
    if problem is not None:
        return f"ends in method `{method}`, which {problem}"
    if encoded and "/" in path:
        return (f"is a nested path with plain slashes: API Gateway reads `~1` for each inner slash "
                f"(write `~1{path.replace('/', '~1')}/{method}`)")
    return None


def _check_setting(setting: MethodSetting, encoded: bool) -> Iterator[Violation]:
    prefix = f"method_settings[{setting.key}]."
    checks: tuple[tuple[Tracked[str], Callable[[object], str | None], str], ...] = (
        (setting.method_path, lambda value: method_path_problem(value, encoded), "method path"),
        (setting.resource_path, lambda value: resource_path_problem(value, encoded), "resource path"),
        (setting.http_method, method_problem, "HTTP method"),
    )
    for tracked, problem, label in checks:
        reported = first_violation(tracked, lambda value, problem=problem: problem(value) is not None)  # type: ignore[misc]
        if reported is None:
            continue
        reason = problem(reported.value) if reported.is_known else "is malformed"
        yield Violation(f"{shown_value(reported)} {reason}",
                        reported, prefix + (tracked.spelled_as or label))


def check(stage: Stage, options: None) -> Iterator[Violation]:
    encoded = stage.source.format in ENCODED_FORMATS
    for setting in stage.method_settings:
        if setting.scope is SettingScope.METHOD:
            yield from _check_setting(setting, encoded)
