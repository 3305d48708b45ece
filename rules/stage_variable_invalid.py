"""A stage variable name or value is one API Gateway rejects.

## What it does
Checks stage variables (and a canary's stage variable overrides) against API Gateway's rules:

- a name has only letters, digits and underscores (`[A-Za-z0-9_]+`) and is at most 64 characters;
- a value is not empty, is at most 512 characters and uses only `A-Z a-z 0-9 - . _ ~ : / ? # & = ,`;
- a stage has at most 100 variables.

Unresolved names and values are skipped.

## Why is this bad?
CloudFormation and Terraform do not check these: the stage is created or updated only to fail at
deploy time with `BadRequestException` ("Stage variable value ... does not match the pattern",
"Stage variables: Member must have length less than or equal to 512") — often half-way through a
stack update that then rolls back.

## Example
```yaml
stages:
  - name: prod
    variables:
      backend-host: api.example.com
      greeting: hello world
```

Use instead:
```yaml
stages:
  - name: prod
    variables:
      backend_host: api.example.com
      greeting: hello-world
```

## References
- CreateStage `variables` (name and value patterns): https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
- API Gateway quotas (100 variables; key 64, value 512 characters): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
- HTTP API quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.tracked import Tracked

ID = "SL702"
NAME = "stage-variable-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None

VALID_NAME = r"^[A-Za-z0-9_]+$"
VALID_VALUE = r"^[A-Za-z0-9\-._~:/?#&=,]+$"
MAX_NAME = 64
MAX_VALUE = 512
MAX_VARIABLES = 100


def name_problem(name: str) -> str | None:
    if not re.match(VALID_NAME, name):
        return "may only have letters, digits and underscores"
    if len(name) > MAX_NAME:
        return f"is {len(name)} characters long (at most {MAX_NAME})"
    return None


def value_problem(value: str) -> str | None:
    if not value:
        return "is empty"
    if len(value) > MAX_VALUE:
        return f"is {len(value)} characters long (at most {MAX_VALUE})"
    if not re.match(VALID_VALUE, value):
        bad = sorted({char for char in value if not re.match(VALID_VALUE, char)})
        shown = ", ".join(repr(char) for char in bad[:5])
        return f"has characters API Gateway rejects ({shown}; allowed: letters, digits and - . _ ~ : / ? # & = ,)"
    return None


def _check_pairs(pairs: list[tuple[str, Tracked[str] | None, object, SourcePosition, str]]) -> Iterator[Violation]:
    for name, name_tracked, value, value_position, what in pairs:
        problem = name_problem(name)
        if problem is not None:
            subject: Tracked[str] | SourcePosition = name_tracked if name_tracked is not None else value_position
            yield Violation(f"{what} name `{name}` {problem}", subject, f"variables.{name}")
        if isinstance(value, str):
            problem = value_problem(value)
            if problem is not None:
                yield Violation(f"{what} `{name}`: its value {problem}", value_position, f"variables.{name}")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.variables.is_known:
        variables = stage.variables.value or ()
        if len(variables) > MAX_VARIABLES:
            yield Violation(f"the stage has {len(variables)} variables (at most {MAX_VARIABLES})",
                            stage.variables, "variables")
        pairs: list[tuple[str, Tracked[str] | None, object, SourcePosition, str]] = [
            (str(variable.name.value), variable.name,
             variable.value.value if variable.value.is_known else None, variable.value.position, "stage variable")
            for variable in variables if variable.name.is_known
        ]
        yield from _check_pairs(pairs)
    canary = stage.canary
    if canary is not None and canary.stage_variable_overrides.is_known:
        overrides = canary.stage_variable_overrides
        yield from _check_pairs([
            (name, None, value, overrides.position, "canary stage variable override")
            for name, value in (overrides.value or {}).items()
        ])
