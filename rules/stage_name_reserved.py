"""Stage name is reserved.

## What it does
Reports stages whose name is on the reserved list (by default `test`), compared case-insensitively.

## Why is this bad?
`test` is what the API Gateway console's *Test* feature and many tutorials use; a real stage
with that name is easily mistaken for a throw-away one, deleted, or left unprotected. Teams add
their own reserved names (`default`, `stage`) through the option.

## Example
```yaml
stages:
  - name: test
```

Use instead:
```yaml
stages:
  - name: qa
```

## Options
- `reserved-names` (list of strings, default `["test"]`): names no stage may have.

## References
- SAM creates an extra stage literally named `Stage` for REST APIs: https://github.com/aws/serverless-application-model/issues/191
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.records import dataclass
from stagelint.rule_api import first_violation, shown_value

ID = "SL003"
NAME = "stage-name-reserved"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)


@dataclass(frozen=True)
class OPTIONS:
    reserved_names: tuple[str, ...] = ("test",)


def check(stage: Stage, options: OPTIONS) -> Iterator[Violation]:
    reserved = {name.lower() for name in options.reserved_names}
    reported = first_violation(stage.name, lambda name: isinstance(name, str) and name.lower() in reserved)
    if reported is not None:
        yield Violation(f"stage {shown_value(reported)} is reserved", reported, "name")
