"""Stage name does not follow the naming convention.

## What it does
Checks stage names against a convention, by default `^[A-Za-z0-9_]+$` (letters, digits and
underscores, no hyphens). Not raised when the name is invalid outright (SL001 reports that).

## Why is this bad?
Stage names end up in URLs, in CloudWatch log group names (`API-Gateway-Execution-Logs_{api}/{stage}`),
in stage-variable based routing and in dashboards. A single convention keeps those predictable;
hyphens in particular do not survive everywhere (SDK-generated identifiers, some templating).

## Example
```yaml
stages:
  - name: prod-eu
```

Use instead:
```yaml
stages:
  - name: prod_eu
```

## Options
- `name-pattern` (string, default `^[A-Za-z0-9_]+$`): the regular expression a stage name must match.

## References
- Execution log group naming: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage
from stagelint.records import dataclass
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import stage_name_problem

ID = "SL002"
NAME = "stage-name-convention"
DEFAULT_SEVERITY = "warning"
TAGS = ("style",)


@dataclass(frozen=True)
class OPTIONS:
    name_pattern: str = r"^[A-Za-z0-9_]+$"


def check(stage: Stage, options: OPTIONS) -> Iterator[Violation]:
    pattern = re.compile(options.name_pattern)

    def breaks_convention(name: object) -> bool:
        if not isinstance(name, str) or stage_name_problem(stage, name) is not None or name == "$default":
            return False  # SL001's business, or AWS's reserved default stage
        return pattern.search(name) is None

    reported = first_violation(stage.name, breaks_convention)
    if reported is not None:
        yield Violation(
            f"stage {shown_value(reported)} does not match the naming convention "
            f"`{options.name_pattern}`",
            reported, "name",
        )
