"""Stage name is empty, too long, or has characters API Gateway rejects.

## What it does
Checks that a stage name is 1 to 128 characters of letters, digits, `-` and `_`. HTTP and WebSocket
APIs also accept the special name `$default`.

## Why is this bad?
API Gateway rejects the stage at deploy time ("Stage names can only contain alphanumeric
characters, hyphens, and underscores. Maximum length is 128 characters."), usually after the rest
of the stack has been created. Catching it before `apply` saves a failed, half-rolled-back deployment.

## Example
```yaml
stages:
  - name: prod.v2
```

Use instead:
```yaml
stages:
  - name: prod-v2
```

## References
- AWS API reference, CreateStage `stageName`: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
- HTTP API stages and `$default`: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import stage_name_problem

ID = "SL001"
NAME = "stage-name-invalid"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    reported = first_violation(stage.name, lambda name: stage_name_problem(stage, name) is not None)
    if reported is None:
        return
    reason = stage_name_problem(stage, reported.value) if reported.is_known else "is invalid"
    yield Violation(f"stage {shown_value(reported)} {reason}", reported, "name")
