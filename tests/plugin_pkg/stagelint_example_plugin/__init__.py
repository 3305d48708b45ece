"""Stage has no description.

## What it does
Reports stages without a description.

## Why is this bad?
A description tells the on-call engineer what a stage is for.

## Example
```yaml
stages:
  - name: prod
```

Use instead:
```yaml
stages:
  - name: prod
    description: Production traffic for the orders API
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage

ID = "EX100"
NAME = "stage-description-missing"
DEFAULT_SEVERITY = "warning"
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.description.is_absent:
        yield Violation("stage has no description", stage.name if stage.name.is_known else stage.position,
                        "description")
