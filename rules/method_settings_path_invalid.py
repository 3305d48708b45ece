"""Method setting path or HTTP method is malformed.

## What it does
Checks how a method setting names the methods it applies to:

- CloudFormation, SAM and the stagelint format use `ResourcePath` + `HttpMethod`: the path must start
  with `/` (`/*`, `/users/{id}`, or `/~1users~1{id}` as CloudFormation escapes nested paths);
- Terraform's `aws_api_gateway_method_settings.method_path` is `{path}/{METHOD}` with **no** leading
  slash (`users/GET`, `~1users~1{id}/GET`), or `*/*` for every method;
- the method must be one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, `ANY` or `*`.

## Why is this bad?
API Gateway turns these into patch paths such as `/{path}/{method}/caching/enabled`. A path without
its leading slash (CloudFormation) or with one (Terraform), or an unknown verb, fails with
"Invalid method setting path" at deploy time — or, for SAM, the setting is silently ignored.

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
- hashicorp/terraform-provider-aws#15855 ("Invalid method setting path").
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import MethodSetting, SettingScope, Stage
from stagelint.rule_api import first_violation, shown_value

ID = "SL401"
NAME = "method-settings-path-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*")


def resource_path_problem(path: object) -> str | None:
    if not isinstance(path, str) or not path:
        return "is empty"
    if not path.startswith("/"):
        return "must start with `/` (e.g. `/*`, `/users/{id}`)"
    if "//" in path:
        return "has an empty segment (`//`)"
    return None


def method_problem(method: object) -> str | None:
    if not isinstance(method, str) or method not in HTTP_METHODS:
        upper = method.upper() if isinstance(method, str) else None
        hint = f" (write `{upper}`)" if upper in HTTP_METHODS else ""
        return f"is not one of {', '.join(HTTP_METHODS)}{hint}"
    return None


def method_path_problem(method_path: object) -> str | None:
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
    return None if problem is None else f"ends in method `{method}`, which {problem}"


def _check_setting(setting: MethodSetting) -> Iterator[Violation]:
    prefix = f"method_settings[{setting.key}]."
    checks = (
        (setting.method_path, method_path_problem, "method path"),
        (setting.resource_path, resource_path_problem, "resource path"),
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
    for setting in stage.method_settings:
        if setting.scope is SettingScope.METHOD:
            yield from _check_setting(setting)
